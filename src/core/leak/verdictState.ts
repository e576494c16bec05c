import { formatLeakRate } from '../format';
import type { DetectorSettings } from './settings';
import { mannKendall, SeriesPoint, theilSenSlope } from './stats';
import type { LeakMetric, LeakVerdict, LeakVerdictState } from './types';

/** A verdict that stands: raised by the trend test and not yet withdrawn. */
export interface StandingVerdict {
  verdict: LeakVerdict;
  state: LeakVerdictState;
  /** Epoch ms of the evaluation that raised it, and the post-GC baseline then. */
  raisedAt: number;
  raisedBaselineBytes: number;
}

/** A withdrawn verdict: growth stopped long enough. */
export interface ClearedVerdict {
  metric: LeakMetric;
  t: number;
  reason: string;
  /** The verdict as it last stood. */
  verdict: LeakVerdict;
  state: LeakVerdictState;
}

/** What one evaluation changed. `updated`: the verdict still stands, with new figures. */
export type VerdictChange =
  | { kind: 'raised' | 'confirmed' | 'updated'; standing: StandingVerdict }
  | { kind: 'cleared'; cleared: ClearedVerdict };

/**
 * Verdicts as states: the trend test raises a verdict (**suspected**); it becomes **confirmed** when growth went on
 * for as long again ({@link settleSec}) and added at least the minimum growth; it is **cleared** when the trend test
 * no longer holds and the post-GC baselines of the last {@link settleSec} are flat (Theil–Sen slope below the
 * minimum rate and a fifth of the verdict's rate, Mann–Kendall not significant). Pure: feed it evaluations.
 */
export class VerdictTracker {
  private readonly standingByMetric = new Map<LeakMetric, StandingVerdict>();
  private readonly clearedList: ClearedVerdict[] = [];
  /** Epoch ms until which the debuggee was (or, Infinity, still is) paused by our own snapshots. */
  private pausedUntil = -Infinity;

  constructor(private readonly settings: DetectorSettings) {}

  /**
   * The debuggee is paused by a heap snapshot of ours (`until` = Infinity while it lasts, then when it ended): a
   * program that cannot run cannot allocate, so the baselines around the pause look flat. A plateau must lie wholly
   * after it to clear a verdict (measured: two 15-s retainer snapshots of a 5 MB/s leak cleared its verdict).
   */
  pausedByUs(until: number): void {
    this.pausedUntil = until;
  }

  /** Verdicts standing now, in metric order of first raise. */
  get standing(): StandingVerdict[] {
    return [...this.standingByMetric.values()];
  }

  /** Every verdict withdrawn so far, oldest first. */
  get cleared(): readonly ClearedVerdict[] {
    return this.clearedList;
  }

  /**
   * How long growth must go on to confirm a verdict, and stay flat to clear it (s): the minimum duration of the
   * trend test, or longer for a slow leak — as long as its rate takes to add the minimum growth — within the window.
   */
  settleSec(metric: LeakMetric, rateBytesPerSec: number): number {
    const th = this.settings.thresholds[metric];
    const toGrow = rateBytesPerSec > 0 ? th.minGrowthBytes / rateBytesPerSec : Infinity;
    return Math.min(this.settings.windowSec, Math.max(th.minDurationSec, toGrow));
  }

  /** Applies one evaluation (`verdicts` from LeakDetector.evaluate at time `t`); returns what changed. */
  update(
    t: number,
    verdicts: readonly LeakVerdict[],
    points: (m: LeakMetric) => readonly SeriesPoint[],
  ): VerdictChange[] {
    const changes: VerdictChange[] = [];
    const held = new Set<LeakMetric>();
    for (const v of verdicts) {
      held.add(v.metric);
      const s = this.standingByMetric.get(v.metric);
      if (!s) {
        const standing: StandingVerdict = {
          verdict: v,
          state: 'suspected',
          raisedAt: t,
          raisedBaselineBytes: v.baselineBytes,
        };
        this.standingByMetric.set(v.metric, standing);
        changes.push({ kind: 'raised', standing });
        continue;
      }
      s.verdict = v;
      const grewOn =
        (t - s.raisedAt) / 1000 >= this.settleSec(v.metric, v.rateBytesPerSec) &&
        v.baselineBytes - s.raisedBaselineBytes >= this.settings.thresholds[v.metric].minGrowthBytes;
      if (s.state === 'suspected' && grewOn) {
        s.state = 'confirmed';
        changes.push({ kind: 'confirmed', standing: s });
      } else changes.push({ kind: 'updated', standing: s });
    }
    for (const [metric, s] of this.standingByMetric) {
      if (held.has(metric)) continue;
      const reason = this.flatFor(metric, s.verdict, t, points(metric));
      if (!reason) continue;
      this.standingByMetric.delete(metric);
      const cleared: ClearedVerdict = { metric, t, reason, verdict: s.verdict, state: s.state };
      this.clearedList.push(cleared);
      changes.push({ kind: 'cleared', cleared });
    }
    return changes;
  }

  /** Why the verdict can be withdrawn (the baselines of the settle span are flat), or undefined. */
  private flatFor(metric: LeakMetric, v: LeakVerdict, t: number, pts: readonly SeriesPoint[]): string | undefined {
    const th = this.settings.thresholds[metric];
    const spanSec = this.settleSec(metric, v.rateBytesPerSec);
    if (this.pausedUntil === Infinity) return undefined;
    const recent = pts.filter((p) => p.t >= Math.max(t - spanSec * 1000, this.pausedUntil));
    if (recent.length < Math.min(4, this.settings.minPoints)) return undefined;
    // The points must cover nearly all of the span: a gap in the baselines (or a pause of ours) is no evidence of a
    // plateau.
    if ((t - recent[0].t) / 1000 < spanSec * 0.8) return undefined;
    const slope = theilSenSlope(recent);
    if (slope >= Math.max(th.minRateBytesPerSec, v.rateBytesPerSec * 0.2)) return undefined;
    const mk = mannKendall(
      recent.map((p) => p.v),
      th.tieToleranceBytes,
    );
    if (mk.pIncreasing <= th.alpha) return undefined;
    const secs = Math.round((recent[recent.length - 1].t - recent[0].t) / 1000);
    return `growth stopped: post-GC ${metric} flat for ${secs} s (${recent.length} baselines, ${formatLeakRate(metric, slope)}; it had grown ${formatLeakRate(metric, v.rateBytesPerSec)})`;
  }
}
