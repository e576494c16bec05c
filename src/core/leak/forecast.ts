import type { LeakMetric } from './types';

/** When a standing verdict's growth reaches each limit, in seconds from the verdict's `t`. */
export interface LeakForecast {
  /** The critical threshold (`--memory-threshold-mb`, default 1000 MB); 0 when already above, null when not growing. */
  criticalInSec: number | null;
  /** The emergency threshold (`--memory-alert-mb`, default 2000 MB); same conventions. */
  emergencyInSec: number | null;
  /** V8's `heap_size_limit`; only for a JS-heap verdict (null for external/RSS growth, or when the limit is unknown). */
  heapLimitInSec: number | null;
}

/** What the forecast is computed from: the verdict's post-GC slope and where memory stands now. */
export interface ForecastInput {
  metric: LeakMetric;
  /** The verdict's post-GC growth (Theil–Sen slope of the baselines), bytes/s. */
  rateBytesPerSec: number;
  /** The figure the alert levels compare (the higher of RSS and heapUsed in the latest sample), bytes; null if unknown. */
  levelBytes: number | null;
  /** The latest post-GC heapUsed, bytes (what V8 must fit under its heap limit); null if unknown. */
  heapBytes: number | null;
  thresholds: { criticalBytes: number; emergencyBytes: number };
  /** `v8.getHeapStatistics().heap_size_limit` of the debuggee; null when it could not be read. */
  heapLimitBytes: number | null;
}

/**
 * Linear extrapolation of the post-GC slope to each limit. 0 means "already crossed"; null means "not on this path"
 * (slope ≤ 0, the figure unknown, or growth that does not count against that limit).
 */
export function forecastLeak(f: ForecastInput): LeakForecast {
  // DOM nodes count towards no memory limit.
  if (f.metric === 'dom') return { criticalInSec: null, emergencyInSec: null, heapLimitInSec: null };
  const eta = (current: number | null, limit: number | null): number | null => {
    if (current === null || limit === null || !Number.isFinite(limit) || limit <= 0) return null;
    if (current >= limit) return 0;
    if (!(f.rateBytesPerSec > 0)) return null;
    return Math.round((limit - current) / f.rateBytesPerSec);
  };
  return {
    criticalInSec: eta(f.levelBytes, f.thresholds.criticalBytes),
    emergencyInSec: eta(f.levelBytes, f.thresholds.emergencyBytes),
    // Off-heap and native growth does not fill the JS heap.
    heapLimitInSec: f.metric === 'heap' ? eta(f.heapBytes, f.heapLimitBytes) : null,
  };
}

/** A duration for people: `~40 s`, `~42 min`, `~2 h 10 min`, `~3 d 4 h`. */
export function formatEta(sec: number): string {
  if (sec < 90) return `~${Math.max(1, Math.round(sec))} s`;
  const min = Math.round(sec / 60);
  if (min < 60) return `~${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `~${h} h${min % 60 ? ` ${min % 60} min` : ''}`;
  const d = Math.floor(h / 24);
  return `~${d} d${h % 24 ? ` ${h % 24} h` : ''}`;
}

/**
 * "reaches 1000 MB in ~42 min, 2000 MB in ~1 h 30 min, the heap limit in ~2 h 10 min", or "is already above
 * 1000 MB; reaches …" for limits crossed; '' when nothing is known.
 */
export function formatForecast(f: LeakForecast, thresholds: { criticalBytes: number; emergencyBytes: number }): string {
  const mb = (b: number) => `${Math.round(b / 1e6)} MB`;
  const above: string[] = [];
  const ahead: string[] = [];
  const add = (sec: number | null, what: string) => {
    if (sec === 0) above.push(what);
    else if (sec !== null) ahead.push(`${what} in ${formatEta(sec)}`);
  };
  add(f.criticalInSec, mb(thresholds.criticalBytes));
  add(f.emergencyInSec, mb(thresholds.emergencyBytes));
  add(f.heapLimitInSec, 'the heap limit');
  return [
    above.length ? `is already above ${above.join(' and ')}` : '',
    ahead.length ? `reaches ${ahead.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}
