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

/** An arrow for a growth rate: ↗ rising, ↘ falling, → flat (|rate| below `flatBytesPerSec`). */
export function trendArrow(bytesPerSec: number, flatBytesPerSec = 10_000): string {
  if (bytesPerSec > flatBytesPerSec) return '↗';
  if (bytesPerSec < -flatBytesPerSec) return '↘';
  return '→';
}
