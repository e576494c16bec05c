import * as vscode from 'vscode';
import type { MonitorRegistry } from '../monitoring/monitorRegistry';
import { onLeakConfigChange, readLeakConfig } from './leakConfig';
import { LEAK_COMMANDS, LEAK_REPORT_VIEW_TYPE } from './leakCommandIds';
import { registerLeakCommands } from './leakCommands';
import { LeakController } from './leakController';
import { LeakFlags } from './leakFlags';
import { LeakNotifier } from './leakNotifier';
import { LeakReportPanel } from './leakReportPanel';
import { commandLink, statusTooltipMarkdown } from './leakText';

export { LeakController } from './leakController';

/** What the status bar needs to know about leaks (kept small so the status bar stays independent of this folder). */
export interface LeakStatusSource {
  readonly onDidChange: vscode.Event<string>;
  /** Leak lines for a session's status bar tooltip, or undefined when no leak is suspected there. */
  statusFor(sessionId: string): { tooltipMarkdown: string; enabledCommands: string[] } | undefined;
}

/**
 * Leak detection in the editor: the per-session LeakController, inline flags, notifications, the Leak Report panel
 * and its commands. Returns the controller (for the status bar) and everything to dispose.
 */
export function registerLeakDetection(
  context: vscode.ExtensionContext,
  registry: MonitorRegistry,
  log: vscode.LogOutputChannel,
): { status: LeakStatusSource; disposables: vscode.Disposable[] } {
  const controller = new LeakController(registry, readLeakConfig(), log);
  const status: LeakStatusSource = {
    onDidChange: controller.onDidChange,
    statusFor: (id) => {
      const r = controller.report(id);
      if (!r?.suspected || r.ended) return undefined;
      return {
        tooltipMarkdown: statusTooltipMarkdown(r, commandLink('Show Leak Report', LEAK_COMMANDS.showLeakReport, [id])),
        enabledCommands: [LEAK_COMMANDS.showLeakReport],
      };
    },
  };
  return {
    status,
    disposables: [
      controller,
      new LeakFlags(controller),
      new LeakNotifier(controller),
      ...registerLeakCommands({ extensionUri: context.extensionUri, registry, controller, log }),
      vscode.window.registerWebviewPanelSerializer(LEAK_REPORT_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel) => LeakReportPanel.revive(panel, context.extensionUri, controller),
      }),
      onLeakConfigChange((next) => controller.applyConfig(next)),
    ],
  };
}
