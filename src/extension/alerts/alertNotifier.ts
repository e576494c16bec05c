import * as vscode from 'vscode';
import { formatBytes } from '../../core/format';
import type { AlertEvent } from '../../core/types';
import { COMMANDS } from '../commands/commandIds';
import type { MonitorRegistry } from '../monitoring/monitorRegistry';
import { AlertGate } from './alertGate';

const ACTIONS = ['Show Monitor', 'Take Snapshot', 'Run Diagnostic GC'] as const;

/** Shows a notification when a monitored session reaches warning, critical or emergency — once per level until it clears. */
export class AlertNotifier implements vscode.Disposable {
  private readonly gate = new AlertGate();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(registry: MonitorRegistry) {
    this.disposables.push(
      registry.onDidAlert(({ monitor, alert }) => {
        if (this.gate.shouldNotify(monitor.id, alert.level, Date.now()))
          void this.show(monitor.id, monitor.target.name, alert);
      }),
      registry.onDidSample(({ monitor }) => this.gate.levelNow(monitor.id, monitor.level)),
    );
  }

  private async show(sessionId: string, name: string, alert: AlertEvent): Promise<void> {
    const metric = alert.metric === 'rss' ? 'RSS' : alert.metric === 'heap' ? 'Heap used' : 'External memory';
    const text = `Memory ${alert.level.toUpperCase()} in "${name}": ${metric} ${formatBytes(alert.value)} is above ${formatBytes(alert.limit)}.`;
    const show = alert.level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    const choice = await show(text, ...ACTIONS);
    if (choice === 'Show Monitor') await vscode.commands.executeCommand(COMMANDS.showMonitor, sessionId);
    else if (choice === 'Take Snapshot') await vscode.commands.executeCommand(COMMANDS.takeHeapSnapshot, sessionId);
    else if (choice === 'Run Diagnostic GC') await vscode.commands.executeCommand(COMMANDS.runDiagnosticGc, sessionId);
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
