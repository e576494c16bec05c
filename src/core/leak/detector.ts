import type { GcResult, MemorySample } from '../types';
import {
  DetectorSettings,
  requiredDurationSec,
  SAMPLE_BASELINES,
  SENSITIVITY,
  TREND_RULES,
  TrendThresholds,
} from './settings';
import { mannKendall, median, SeriesPoint, theilSenSlope } from './stats';
import type { LeakMetric, LeakSensitivity, LeakVerdict } from './types';

/** Memory readings taken right after a full garbage collection: what is really live. */
export interface Baseline {
  t: number;
  heapUsed: number;
  external: number | null;
  rss: number | null;
  /** A browser page's DOM node count after the same GC (Memory.getDOMCounters); absent elsewhere. */
  domNodes?: number | null;
}

const METRICS: LeakMetric[] = ['heap', 'external', 'rss', 'dom'];

/**
 * Judges memory growth from post-GC baselines. Pure: feed it baselines (after forced GCs), diagnostic GC results,
 * or raw samples (a drop in heapUsed marks a collection), and ask `evaluate()` for verdicts.
 *
 * A verdict needs, over a sliding window: a Theil–Sen slope above the minimum rate, Mann–Kendall significance,
 * a minimum duration and total growth, growth that continues in the most recent part (rejects warm-up and caches
 * that plateau), and no single step dominating the growth (rejects one large allocation).
 */
export class LeakDetector {
  readonly settings: DetectorSettings;
  private readonly series: Record<LeakMetric, SeriesPoint[]> = { heap: [], external: [], rss: [], dom: [] };
  private lastCleanAt = -Infinity;
  private heapBaselines = 0;
  private previousSample: MemorySample | undefined;
  /** The latest upper bound of the live heap (after a young-generation GC), newer than the last heap baseline. */
  private heapUpperBound: SeriesPoint | undefined;
  /** Bytes taken off every later reading of a metric (see `discount`). */
  private readonly offsets: Record<LeakMetric, number> = { heap: 0, external: 0, rss: 0, dom: 0 };

  constructor(sensitivity: LeakSensitivity | DetectorSettings = 'normal') {
    this.settings = typeof sensitivity === 'string' ? SENSITIVITY[sensitivity] : sensitivity;
  }

  /** Adds readings taken right after a forced full GC. */
  addBaseline(b: Baseline): void {
    this.lastCleanAt = b.t;
    this.push('heap', b.t, b.heapUsed);
    if (b.external != null) this.push('external', b.t, b.external);
    if (b.rss != null) this.push('rss', b.t, b.rss);
    if (b.domNodes != null) this.push('dom', b.t, b.domNodes);
  }

  /**
   * Adds an upper bound of the live heap at `t` (heapUsed right after a young-generation GC: the old generation's
   * garbage is still in it). Never a baseline: it only tells whether growth went on after the last baseline, which a
   * fast leak needs (its full GCs are few and far between, whether V8's or forced within the cost budget).
   */
  addHeapUpperBound(t: number, heapUsed: number): void {
    const s = this.series.heap;
    if (!s.length || t <= s[s.length - 1].t) return;
    this.heapUpperBound = { t, v: heapUsed };
  }

  /** Adds a diagnostic GC's after-readings (external is unknown there, so it comes from the next sample). */
  addGc(gc: GcResult): void {
    this.lastCleanAt = gc.t;
    this.push('heap', gc.t, gc.after.heapUsed);
    if (gc.after.rss != null) this.push('rss', gc.t, gc.after.rss);
  }

  /** Adds a raw sample; used only when no forced-GC baselines arrive: the sample after a drop is a post-GC minimum. */
  addSample(s: MemorySample): void {
    const prev = this.previousSample;
    this.previousSample = s;
    if (!prev || s.t - this.lastCleanAt < SAMPLE_BASELINES.cleanGraceMs) return;
    const heapFresh = !s.stale?.includes('heap') && !prev.stale?.includes('heap');
    if (!heapFresh) return;
    const drop = prev.heapUsed - s.heapUsed;
    if (drop > Math.max(SAMPLE_BASELINES.minDropBytes, prev.heapUsed * SAMPLE_BASELINES.minDropShare)) {
      this.push('heap', s.t, s.heapUsed);
      if (s.external != null && !s.stale?.includes('external')) this.push('external', s.t, s.external);
      if (s.rss != null) this.push('rss', s.t, s.rss);
    }
  }

  /**
   * Takes `bytes` off every later reading of `metric`: memory that came from outside the program's own work. A heap
   * snapshot leaves V8's snapshot writer's memory in the debuggee's allocator (measured: RSS 162 → 1,343 MB for an
   * 87 MB heap, and it stays), so without this, any snapshot — ours, Hunt Leak's or the user's — reads as RSS growth.
   */
  discount(metric: LeakMetric, bytes: number): void {
    if (bytes > 0) this.offsets[metric] += bytes;
  }

  /** The baseline points currently in the window, for charts and reports. */
  points(metric: LeakMetric): readonly SeriesPoint[] {
    return this.series[metric];
  }

  /** Current verdicts, at most one per metric. An RSS verdict is dropped when heap and external growth explain it. */
  evaluate(): LeakVerdict[] {
    const verdicts = new Map<LeakMetric, LeakVerdict>();
    for (const metric of METRICS) {
      const v = judgeTrend(
        metric,
        this.series[metric],
        this.settings.thresholds[metric],
        this.settings.minPoints,
        metric === 'heap' ? this.heapUpperBound : undefined,
      );
      if (v) verdicts.set(metric, v);
    }
    const rss = verdicts.get('rss');
    if (rss) {
      const explained = this.rateOf('heap') + this.rateOf('external');
      if (explained > rss.rateBytesPerSec * TREND_RULES.rssExplainedShare) verdicts.delete('rss');
    }
    return [...verdicts.values()];
  }

  /**
   * Post-GC heap baselines gathered so far, and whether the window holds enough of them, over a long enough span, for
   * the trend test to reach a verdict at all (a "no verdict" without them means "not enough data", not "no leak").
   */
  dataStatus(): { baselines: number; enough: boolean } {
    const pts = this.series.heap;
    const spanSec = pts.length ? (pts[pts.length - 1].t - pts[0].t) / 1000 : 0;
    // Data still counts as "not enough" when only an upper bound extends the span: the verdict says so itself.
    return {
      baselines: this.heapBaselines,
      enough: pts.length >= this.settings.minPoints && spanSec >= this.settings.thresholds.heap.minDurationSec,
    };
  }

  private rateOf(metric: LeakMetric): number {
    return Math.max(0, theilSenSlope(this.series[metric]));
  }

  private push(metric: LeakMetric, t: number, v: number): void {
    const s = this.series[metric];
    if (s.length && t <= s[s.length - 1].t) return;
    s.push({ t, v: v - this.offsets[metric] });
    if (metric === 'heap') {
      this.heapBaselines++;
      if (this.heapUpperBound && this.heapUpperBound.t <= t) this.heapUpperBound = undefined;
    }
    const oldest = t - this.settings.windowSec * 1000;
    while (s.length && s[0].t < oldest) s.shift();
  }
}

/** Applies the trend test to one baseline series; returns a verdict or undefined. */
function judgeTrend(
  metric: LeakMetric,
  pts: readonly SeriesPoint[],
  th: TrendThresholds,
  minPoints: number,
  upperBound?: SeriesPoint,
): LeakVerdict | undefined {
  if (pts.length < minPoints) return undefined;
  const first = pts[0];
  const last = pts[pts.length - 1];
  const spanSec = (last.t - first.t) / 1000;
  const slope = theilSenSlope(pts);
  if (slope < th.minRateBytesPerSec) return undefined;
  // The growth must have lasted: up to the last baseline, or up to an upper bound that kept rising at the
  // recent-growth rate since (a bound can only show that memory went on piling up, so it never adds a point).
  let lastedSec = spanSec;
  if (upperBound && upperBound.t > last.t) {
    const afterSec = (upperBound.t - last.t) / 1000;
    if (upperBound.v - last.v >= Math.max(th.minGrowthBytes, slope * th.recentFraction * afterSec))
      lastedSec = (upperBound.t - first.t) / 1000;
  }
  if (lastedSec < requiredDurationSec(th, slope)) return undefined;
  const fittedGrowth = slope * spanSec;
  if (fittedGrowth < th.minGrowthBytes) return undefined;
  const mk = mannKendall(
    pts.map((p) => p.v),
    th.tieToleranceBytes,
  );
  if (mk.pIncreasing > th.alpha) return undefined;

  // Growth must still be going on: the recent part of the window keeps rising.
  const recentSec = Math.max(
    TREND_RULES.recentMinSec,
    spanSec * TREND_RULES.recentShare,
    (last.t - pts[pts.length - TREND_RULES.recentMinBaselines].t) / 1000,
  );
  const recent = pts.filter((p) => p.t >= last.t - recentSec * 1000);
  const recentSlope = theilSenSlope(recent);
  if (recentSlope < Math.max(th.minRateBytesPerSec, slope * th.recentFraction)) return undefined;
  // A leak keeps setting new highs; a cache that is flushed and refilled only returns to its old high.
  let olderMax = -Infinity;
  for (const p of pts) if (p.t < last.t - recentSec * 1000) olderMax = Math.max(olderMax, p.v);
  if (last.v - olderMax < TREND_RULES.newHighShare * slope * recentSec) return undefined;

  // One large allocation shows up as one big step between consecutive baselines. A gap longer than the usual one
  // (full GCs of a fast-growing heap are sparse: V8's come further apart as the heap grows, forced ones are held
  // back by the budget) is owed the slope's growth over its extra length: a steady leak's step there is no jump.
  const gaps: number[] = [];
  for (let i = 1; i < pts.length; i++) gaps.push(pts[i].t - pts[i - 1].t);
  const usualGap = median(gaps);
  let maxStep = 0;
  for (let i = 1; i < pts.length; i++)
    maxStep = Math.max(maxStep, pts[i].v - pts[i - 1].v - (slope * Math.max(0, gaps[i - 1] - usualGap)) / 1000);
  if (maxStep > fittedGrowth * th.maxStepShare) return undefined;

  const since = growthStart(pts, fittedGrowth);
  const confidence = Math.max(0, Math.min(1, (1 - mk.pIncreasing) * Math.min(1, recentSlope / slope)));
  // A verdict that is more likely wrong than right is never raised (growth slowing down lowers the confidence).
  if (confidence < TREND_RULES.minConfidence) return undefined;
  return {
    metric,
    rateBytesPerSec: Math.round(slope),
    confidence: Math.round(confidence * 1000) / 1000,
    since: since.t,
    t: last.t,
    baselineBytes: last.v,
    growthBytes: Math.max(0, last.v - since.v),
    evidence: {
      points: pts.map((p) => [p.t, p.v]),
      pValue: mk.pIncreasing,
      recentRateBytesPerSec: Math.round(recentSlope),
    },
  };
}

/** The last trough before the growth: the latest point near the window's minimum (TREND_RULES.growthStartShare). */
function growthStart(pts: readonly SeriesPoint[], growth: number): SeriesPoint {
  let min = pts[0];
  for (const p of pts) if (p.v < min.v) min = p;
  let start = min;
  for (const p of pts) if (p.t > start.t && p.v <= min.v + growth * TREND_RULES.growthStartShare) start = p;
  return start;
}
