import { mb } from '../../core/format';
import type { LeakState } from '../../core/metrics/metricsRegistry';
import type * as vscode from 'vscode';
import { Commands } from '../commands/commands';
import type { LeakDetectionConfig } from '../config';
import type { Feature, FeatureContext } from '../feature';
import { registerLeakCommands } from './leakCommands';
import { LeakController } from './leakController';
import { LeakFlags } from './leakFlags';
import { LeakNotifier } from './leakNotifier';
import { LeakReportPanelHost } from './leakReportPanel';
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
 * and its commands. Also returns what the status bar shows about leaks.
 */
export function registerLeakDetection(ctx: FeatureContext): Feature<
  'showLeakReport' | 'huntLeak' | 'findLeakRetainers'
> & {
  status: LeakStatusSource;
  /** A session's leak detection for the metrics endpoint (`memmon_leak_*`); null while none runs. */
  leakState: (sessionId: string) => LeakState | null;
  controller: LeakController;
} {
  const controller = ctx.store.add(
    new LeakController(ctx.registry, ctx.config.current.leakDetection, ctx.log, {
      thresholds: () => ({
        criticalBytes: mb(ctx.config.current.thresholdMb),
        emergencyBytes: mb(ctx.config.current.alertThresholdMb),
      }),
    }),
  );
  const panel = ctx.store.add(new LeakReportPanelHost(ctx.extensionUri, controller));
  ctx.store.add(new LeakFlags(controller));
  ctx.store.add(new LeakNotifier(controller));
  ctx.store.add(
    ctx.config.onDidChange(({ config, previous }) => {
      if (!sameLeakConfig(config.leakDetection, previous.leakDetection)) controller.applyConfig(config.leakDetection);
    }),
  );
  const status: LeakStatusSource = {
    onDidChange: controller.onDidChange,
    statusFor: (id) => {
      const r = controller.report(id);
      if (!r?.suspected || r.ended) return undefined;
      return {
        tooltipMarkdown: statusTooltipMarkdown(r, commandLink('Show Leak Report', Commands.showLeakReport, [id])),
        enabledCommands: [Commands.showLeakReport],
      };
    },
  };
  return {
    commands: registerLeakCommands(ctx, controller, panel),
    status,
    leakState: (id) => controller.leakState(id),
    controller,
  };
}

function sameLeakConfig(a: LeakDetectionConfig, b: LeakDetectionConfig): boolean {
  return (
    a.enabled === b.enabled &&
    a.sensitivity === b.sensitivity &&
    a.keepFlagsAfterSession === b.keepFlagsAfterSession &&
    a.retainerSnapshotLimitMb === b.retainerSnapshotLimitMb
  );
}
