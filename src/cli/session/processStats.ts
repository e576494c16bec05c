import { slopePerSecond } from '../../core/sampling/trend';
import { AlertLevel, MemorySample } from '../../core/types';

interface Range {
  first: number | null;
  last: number | null;
  min: number | null;
  peak: number | null;
}

const emptyRange = (): Range => ({ first: null, last: null, min: null, peak: null });

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
  readonly heapUsed = emptyRange();
  readonly heapTotal = emptyRange();
  readonly rss = emptyRange();
  readonly external = emptyRange();
  maxLevel: AlertLevel = 'normal';
  firstT: number | null = null;
  lastT: number | null = null;
  /** Recent heap readings for the trend (last 60 s). */
  private readonly recent: { t: number; v: number }[] = [];

  constructor(readonly pid: number | null) {}

  add(s: MemorySample): void {
    this.samples++;
    if (s.stale?.length) this.staleSamples++;
    this.firstT ??= s.t;
    this.lastT = s.t;
    note(this.heapUsed, s.heapUsed);
    note(this.heapTotal, s.heapTotal);
    note(this.rss, s.rss);
    note(this.external, s.external);
    this.recent.push({ t: s.t, v: s.heapUsed });
    while (this.recent.length && this.recent[0].t < s.t - 60_000) this.recent.shift();
  }

  /** Heap growth over the last minute, bytes per second. */
  get trendBytesPerSec(): number {
    return slopePerSecond(this.recent);
  }

  toJSON() {
    return {
      pid: this.pid,
      samples: this.samples,
      staleSamples: this.staleSamples,
      durationMs: this.firstT !== null && this.lastT !== null ? this.lastT - this.firstT : 0,
      heapUsed: this.heapUsed,
      heapTotal: this.heapTotal,
      rss: this.rss,
      external: this.external,
      heapTrendBytesPerSec: Math.round(this.trendBytesPerSec),
      maxLevel: this.maxLevel,
    };
  }
}
