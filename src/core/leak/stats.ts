/** A point of a time series: `t` in epoch ms, `v` in bytes. */
export interface SeriesPoint {
  t: number;
  v: number;
}

/**
 * Theil–Sen slope in units of v per second: the median of all pairwise slopes.
 * Robust to up to ~29 % outliers, which is why one large allocation or a noisy baseline does not swing it.
 */
export function theilSenSlope(points: readonly SeriesPoint[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dt = (points[j].t - points[i].t) / 1000;
      if (dt > 0) slopes[k++] = (points[j].v - points[i].v) / dt;
    }
  }
  if (k === 0) return 0;
  const used = slopes.subarray(0, k).sort();
  return k % 2 ? used[(k - 1) / 2] : (used[k / 2 - 1] + used[k / 2]) / 2;
}

export interface MannKendallResult {
  /** Sum of signs of all later-minus-earlier differences. */
  s: number;
  /** Standard normal score, continuity-corrected. */
  z: number;
  /** One-sided p-value for an increasing trend. */
  pIncreasing: number;
}

/**
 * Mann–Kendall trend test with the tie correction (plateaus after full GCs often repeat exact values).
 * Differences smaller than `tolerance` count as ties, so allocator noise of a few bytes is not a trend.
 */
export function mannKendall(values: readonly number[], tolerance = 0): MannKendallResult {
  const n = values.length;
  if (n < 3) return { s: 0, z: 0, pIncreasing: 1 };
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = values[j] - values[i];
      if (d > tolerance) s++;
      else if (d < -tolerance) s--;
    }
  }
  // Tie groups: values within tolerance of their sorted neighbour form one group.
  const sorted = [...values].sort((a, b) => a - b);
  let tieTerm = 0;
  let run = 1;
  for (let i = 1; i <= n; i++) {
    if (i < n && sorted[i] - sorted[i - 1] <= tolerance) run++;
    else {
      if (run > 1) tieTerm += run * (run - 1) * (2 * run + 5);
      run = 1;
    }
  }
  // Small samples without ties: the exact distribution (the normal approximation is too conservative there).
  if (tieTerm === 0 && n <= EXACT_MAX_N)
    return { s, z: s / Math.sqrt((n * (n - 1) * (2 * n + 5)) / 18), pIncreasing: exactUpperTail(n, s) };
  const variance = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  if (variance <= 0) return { s, z: 0, pIncreasing: 1 };
  const z = s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0;
  return { s, z, pIncreasing: 1 - normalCdf(z) };
}

const EXACT_MAX_N = 10;

/** P(S ≥ s) for n untied values under no trend, from the count of permutations with each number of inversions. */
function exactUpperTail(n: number, s: number): number {
  const maxInv = (n * (n - 1)) / 2;
  let counts = [1];
  for (let k = 2; k <= n; k++) {
    const next = new Array<number>(counts.length + k - 1).fill(0);
    for (let i = 0; i < counts.length; i++) for (let j = 0; j < k; j++) next[i + j] += counts[i];
    counts = next;
  }
  let total = 0;
  let tail = 0;
  for (let inv = 0; inv <= maxInv; inv++) {
    total += counts[inv];
    // S = (concordant − discordant) = maxInv − 2·inversions.
    if (maxInv - 2 * inv >= s) tail += counts[inv];
  }
  return tail / total;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, error < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Median of a list (0 for an empty one). */
export function median(values: readonly number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
