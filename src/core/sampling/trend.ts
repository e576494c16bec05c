import { theilSenSlope } from '../leak/stats';

/** Least-squares slope of `value` over `t` in units per second; 0 with fewer than 2 points. */
export function slopePerSecond(points: ReadonlyArray<{ t: number; v: number }>): number {
  const n = points.length;
  if (n < 2) return 0;
  let st = 0;
  let sv = 0;
  for (const p of points) {
    st += p.t;
    sv += p.v;
  }
  const mt = st / n;
  const mv = sv / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.v - mv);
    den += (p.t - mt) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 1000;
}

/** Direction of the heap, as the trend arrow shows it. */
export type Trend = 'up' | 'down' | 'flat';

/** The arrow of each direction. */
export const TREND_ARROW: Record<Trend, string> = { up: '↗', down: '↘', flat: '→' };

/** The trend arrow's window: the last minute of readings. */
export const TREND_WINDOW_MS = 60_000;
/** Fewer readings than this are no trend: a single step would read as one. */
const MIN_POINTS = 4;
/** Pairwise slopes grow with the square of the points; thinning to this many keeps short intervals cheap. */
const MAX_POINTS = 120;
/** Below this growth (600 kB/min) the heap reads as steady. */
const FLAT_BYTES_PER_SEC = 10_000;

/**
 * The heap trend the CLI's live line and the status bar show: the Theil–Sen slope (median of pairwise slopes) of
 * heap used over the last minute. Robust to the GC sawtooth and to single odd readings, which swing a least-squares
 * fit or a comparison of two means; at most 120 points (~7,000 pairs), so cheap at every sample.
 */
export function heapTrend(readings: ReadonlyArray<{ t: number; heapUsed: number }>): {
  bytesPerSec: number;
  direction: Trend;
} {
  const end = readings.length;
  if (!end) return { bytesPerSec: 0, direction: 'flat' };
  const since = readings[end - 1].t - TREND_WINDOW_MS;
  let start = end;
  while (start > 0 && readings[start - 1].t >= since) start--;
  const count = end - start;
  if (count < MIN_POINTS) return { bytesPerSec: 0, direction: 'flat' };
  const step = Math.max(1, (count - 1) / (MAX_POINTS - 1));
  const points: { t: number; v: number }[] = [];
  for (let i = 0; i < count; i += step) {
    const r = readings[start + Math.round(i)];
    points.push({ t: r.t, v: r.heapUsed });
  }
  const bytesPerSec = theilSenSlope(points);
  const direction = bytesPerSec > FLAT_BYTES_PER_SEC ? 'up' : bytesPerSec < -FLAT_BYTES_PER_SEC ? 'down' : 'flat';
  return { bytesPerSec, direction };
}
