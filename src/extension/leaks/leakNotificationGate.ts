// Pure de-duplication of "leak suspected" notifications. No vscode import.

/**
 * A session's leak is announced once when first suspected; it can be announced again only after the suspicion
 * cleared (no verdict any more), so a leak that stays suspected for hours produces one notification.
 */
export class LeakNotificationGate {
  private readonly announced = new Set<string>();

  /** Tells the gate the session's current state; true when a notification should be shown now. */
  update(sessionId: string, suspected: boolean): boolean {
    if (!suspected) {
      this.announced.delete(sessionId);
      return false;
    }
    if (this.announced.has(sessionId)) return false;
    this.announced.add(sessionId);
    return true;
  }

  /** Forgets a session. */
  forget(sessionId: string): void {
    this.announced.delete(sessionId);
  }
}
