import type { ForecastLimit, LeakState } from '../metrics/metricsRegistry';
import type { LeakForecast } from './forecast';
import type { LeakMonitor } from './leakMonitor';
import type { LeakReportLine } from './types';

const FORECAST_FIELDS: ReadonlyArray<[ForecastLimit, keyof LeakForecast]> = [
  ['critical', 'criticalInSec'],
  ['emergency', 'emergencyInSec'],
  ['heap_limit', 'heapLimitInSec'],
];

/**
 * Each limit's soonest ETA over the standing verdicts, counted down from the verdict's `t` to `now` (ms) so that a
 * scrape between two evaluations does not serve a figure that is already seconds old. Limits no verdict forecasts
 * are left out.
 */
export function forecastSeconds(
  verdicts: readonly LeakReportLine[],
  now: number,
): Partial<Record<ForecastLimit, number>> {
  const out: Partial<Record<ForecastLimit, number>> = {};
  for (const v of verdicts) {
    const elapsed = Math.max(0, (now - v.t) / 1000);
    for (const [limit, field] of FORECAST_FIELDS) {
      const sec = v.forecast?.[field];
      if (sec == null) continue;
      const left = Math.max(0, Math.round(sec - elapsed));
      out[limit] = Math.min(out[limit] ?? Infinity, left);
    }
  }
  return out;
}

/** What a LeakMonitor knows now, for the `memmon_leak_*`, `memmon_forecast_seconds` and `memmon_heap_post_gc_bytes` series. */
export function leakStateOf(leaks: LeakMonitor, now = Date.now()): LeakState {
  const heap = leaks.detector.points('heap');
  const last = heap[heap.length - 1];
  return {
    suspected: leaks.verdicts.map((v) => ({ metric: v.metric, rateBytesPerSec: v.rateBytesPerSec })),
    postGcHeap: last ? { t: last.t, bytes: last.v } : null,
    forecast: forecastSeconds(leaks.verdicts, now),
  };
}
