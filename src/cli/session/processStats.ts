import { SUMMARIZED_METRICS, type SummarizedKey } from '../../core/metrics/memoryMetrics';
import { heapTrend, slopePerSecond, TREND_WINDOW_MS } from '../../core/sampling/trend';
import { AlertLevel, MemorySample } from '../../core/types';

interface Range {
  first: number | null;
  last: number | null;
  min: number | null;
  peak: number | null;
}

function note(r: Range, v: number | null): void {
  if (v === null) return;
  if (r.first === null) r.first = v;
  r.last = v;
  r.min = r.min === null ? v : Math.min(r.min, v);
  r.peak = r.peak === null ? v : Math.max(r.peak, v);
}

/** Running statistics of one monitored process, for the live line and the final summary. */
export class ProcessStats {
  samples = 0;
  staleSamples = 0;
  /** First/last/min/peak of each figure the summary keeps (MEMORY_METRICS with `summarized`). */
  readonly ranges = Object.fromEntries(
    SUMMARIZED_METRICS.map((m) => [m.key, { first: null, last: null, min: null, peak: null }]),
  ) as Record<SummarizedKey, Range>;
  maxLevel: AlertLevel = 'normal';
  firstT: number | null = null;
  lastT: number | null = null;
  /** Heap readings of the trend window. */
  private readonly recent: { t: number; heapUsed: number }[] = [];

  constructor(
    readonly pid: number | null,
    /** Set for a `worker_threads` Worker of the process. */
    readonly threadId?: number,
  ) {}

  add(s: MemorySample): void {
    this.samples++;
    if (s.stale?.length) this.staleSamples++;
    this.firstT ??= s.t;
    this.lastT = s.t;
    for (const m of SUMMARIZED_METRICS) note(this.ranges[m.key], s[m.key]);
    this.recent.push({ t: s.t, heapUsed: s.heapUsed });
    while (this.recent.length && this.recent[0].t < s.t - TREND_WINDOW_MS) this.recent.shift();
  }

  /** The heap trend of the last minute, as the live line (and the editor's status bar) shows it. */
  get trend(): ReturnType<typeof heapTrend> {
    return heapTrend(this.recent);
  }

  toJSON() {
    return {
      pid: this.pid,
      ...(this.threadId !== undefined && { threadId: this.threadId }),
      samples: this.samples,
      staleSamples: this.staleSamples,
      durationMs: this.firstT !== null && this.lastT !== null ? this.lastT - this.firstT : 0,
      ...this.ranges,
      // The summary's contract since its first version: the least-squares slope of the last minute.
      heapTrendBytesPerSec: Math.round(slopePerSecond(this.recent.map((r) => ({ t: r.t, v: r.heapUsed })))),
      maxLevel: this.maxLevel,
    };
  }
}
