import * as vscode from 'vscode';
import { DisposableStore } from '../../core/disposableStore';
import { formatBytes } from '../../core/format';
import { formatCount } from '../../core/metrics/domMetrics';
import type { AlertEvent } from '../../core/types';
import { Commands, runCommand } from '../commands/commands';
import type { Feature, FeatureContext } from '../feature';
import type { MonitorRegistry } from '../monitoring/monitorRegistry';
import { AlertGate } from './alertGate';

/** Alert notifications for every monitored session. */
export function registerAlertNotifications(ctx: FeatureContext): Feature {
  ctx.store.add(new AlertNotifier(ctx.registry));
  return { commands: {} };
}

/** Shows a notification when a monitored session reaches warning, critical or emergency — once per level until it clears. */
export class AlertNotifier implements vscode.Disposable {
  private readonly gate = new AlertGate();
  private readonly store = new DisposableStore();

  constructor(registry: MonitorRegistry) {
    this.store.add(
      registry.onDidAlert(({ monitor, alert }) => {
        if (this.gate.shouldNotify(monitor.id, alert.level, Date.now()))
          void this.show(monitor.id, monitor.target.name, alert);
      }),
    );
    this.store.add(registry.onDidSample(({ monitor }) => this.gate.levelNow(monitor.id, monitor.level)));
  }

  private async show(sessionId: string, name: string, alert: AlertEvent): Promise<void> {
    const metric =
      alert.metric === 'rss'
        ? vscode.l10n.t('RSS')
        : alert.metric === 'heap'
          ? vscode.l10n.t('Heap used')
          : alert.metric === 'dom'
            ? vscode.l10n.t('DOM nodes')
            : vscode.l10n.t('External memory');
    // DOM alerts count nodes; the others are bytes.
    const figure = alert.metric === 'dom' ? formatCount : formatBytes;
    const text = vscode.l10n.t(
      'Memory {0} in "{1}": {2} {3} is above {4}.',
      alert.level.toUpperCase(),
      name,
      metric,
      figure(alert.value),
      figure(alert.limit),
    );
    const show = alert.level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    // Buttons by their (translated) label; the choice is matched back to its command.
    const actions = new Map([
      [vscode.l10n.t('Show Monitor'), Commands.showMonitor],
      [vscode.l10n.t('Take Snapshot'), Commands.takeHeapSnapshot],
      [vscode.l10n.t('Run Diagnostic GC'), Commands.runDiagnosticGc],
    ] as const);
    const choice = await show(text, ...actions.keys());
    const command = choice === undefined ? undefined : actions.get(choice);
    if (command) await runCommand(command, sessionId);
  }

  dispose(): void {
    this.store.dispose();
  }
}
