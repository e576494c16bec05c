import * as vscode from 'vscode';
import { Commands, runCommand } from '../commands/commands';
import type { LeakController } from './leakController';
import { LeakNotificationGate } from './leakNotificationGate';
import { notificationText } from './leakText';

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
    // Buttons by their (translated) label; the choice is matched back to its command.
    const actions = new Map([
      [vscode.l10n.t('Show Leak Report'), Commands.showLeakReport],
      [vscode.l10n.t('Take Snapshot'), Commands.takeHeapSnapshot],
      [vscode.l10n.t('Hunt Leak'), Commands.huntLeak],
    ] as const);
    const choice = await vscode.window.showWarningMessage(
      notificationText(report.sessionName, report),
      ...actions.keys(),
    );
    const command = choice === undefined ? undefined : actions.get(choice);
    if (command) await runCommand(command, sessionId);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
