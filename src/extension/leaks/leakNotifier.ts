import * as vscode from 'vscode';
import { Commands, runCommand } from '../commands/commands';
import type { LeakController } from './leakController';
import { LeakNotificationGate } from './leakNotificationGate';
import { notificationText } from './leakText';

const ACTIONS = ['Show Leak Report', 'Take Snapshot', 'Hunt Leak'] as const;

/** Shows a warning when a leak is first suspected in a session, once until the suspicion clears. */
export class LeakNotifier implements vscode.Disposable {
  private readonly gate = new LeakNotificationGate();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly controller: LeakController) {
    this.subscription = controller.onDidChange((id) => this.onChange(id));
  }

  private onChange(sessionId: string): void {
    const report = this.controller.report(sessionId);
    if (!report) {
      this.gate.forget(sessionId);
      return;
    }
    if (this.gate.update(sessionId, report.suspected && !report.ended)) void this.show(sessionId);
  }

  private async show(sessionId: string): Promise<void> {
    const report = this.controller.report(sessionId);
    if (!report) return;
    const choice = await vscode.window.showWarningMessage(notificationText(report.sessionName, report), ...ACTIONS);
    if (choice === 'Show Leak Report') await runCommand(Commands.showLeakReport, sessionId);
    else if (choice === 'Take Snapshot') await runCommand(Commands.takeHeapSnapshot, sessionId);
    else if (choice === 'Hunt Leak') await runCommand(Commands.huntLeak, sessionId);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
