import * as vscode from 'vscode';
import { DisposableStore } from '../../core/disposableStore';
import { formatBytes } from '../../core/format';
import type { AlertEvent } from '../../core/types';
import { Commands, runCommand } from '../commands/commands';
import type { Feature, FeatureContext } from '../feature';
import type { MonitorRegistry } from '../monitoring/monitorRegistry';
import { AlertGate } from './alertGate';

const ACTIONS = ['Show Monitor', 'Take Snapshot', 'Run Diagnostic GC'] as const;

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
    const metric = alert.metric === 'rss' ? 'RSS' : alert.metric === 'heap' ? 'Heap used' : 'External memory';
    const text = `Memory ${alert.level.toUpperCase()} in "${name}": ${metric} ${formatBytes(alert.value)} is above ${formatBytes(alert.limit)}.`;
    const show = alert.level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    const choice = await show(text, ...ACTIONS);
    if (choice === 'Show Monitor') await runCommand(Commands.showMonitor, sessionId);
    else if (choice === 'Take Snapshot') await runCommand(Commands.takeHeapSnapshot, sessionId);
    else if (choice === 'Run Diagnostic GC') await runCommand(Commands.runDiagnosticGc, sessionId);
  }

  dispose(): void {
    this.store.dispose();
  }
}
