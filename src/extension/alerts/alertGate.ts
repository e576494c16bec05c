// Pure de-duplication of alert notifications: each level is notified once per session until it clears. No vscode import.
import { alertRank } from '../../core/types';
import type { AlertLevelName } from '../../shared/protocol';

/** Severity for the gate: a suspected leak is not on the magnitude scale and ranks below every magnitude level. */
const rank = (level: AlertLevelName): number => (level === 'leak' ? -1 : alertRank(level));

/**
 * Decides which alerts become notifications. A level is announced once; it may be announced again only after the
 * session's level dropped below it (the alert cleared). At most one notification per session within `minGapMs`,
 * except when the level is higher than anything announced in that gap.
 */
export class AlertGate {
  private readonly announced = new Map<string, Set<AlertLevelName>>();
  private readonly lastAt = new Map<string, { t: number; level: AlertLevelName }>();

  constructor(private readonly minGapMs = 10_000) {}

  /** True when an alert of `level` for `sessionId` should be shown now; records it as shown. */
  shouldNotify(sessionId: string, level: AlertLevelName, now: number): boolean {
    const set = this.announced.get(sessionId) ?? new Set<AlertLevelName>();
    this.announced.set(sessionId, set);
    if (set.has(level)) return false;
    const last = this.lastAt.get(sessionId);
    if (last && now - last.t < this.minGapMs && rank(level) <= rank(last.level) && level !== 'leak') return false;
    set.add(level);
    this.lastAt.set(sessionId, { t: now, level });
    return true;
  }

  /** Tells the gate the session's current level: every announced level above it has cleared. */
  levelNow(sessionId: string, level: AlertLevelName): void {
    const set = this.announced.get(sessionId);
    if (!set) return;
    const current = rank(level);
    for (const l of [...set]) if (l !== 'leak' && rank(l) > current) set.delete(l);
  }

  /** Forgets a session. */
  forget(sessionId: string): void {
    this.announced.delete(sessionId);
    this.lastAt.delete(sessionId);
  }
}
