import type { LeakMetric, LeakSensitivity } from './types';

/** Thresholds of the trend test for one metric. */
export interface TrendThresholds {
  /** Below this Theil–Sen slope nothing is flagged (bytes/s). */
  minRateBytesPerSec: number;
  /** The growth must span at least this long (s); protects against warm-up that plateaus. */
  minDurationSec: number;
  /**
   * Growth slower than this rate must last longer: minDurationSec × (this rate / the measured rate), up to
   * `slowMaxDurationSec`. A cache that warms up at a few hundred KB/s for 40 s is then not taken for a leak, while
   * every leak from this rate up keeps the short minimum (issue 12: ≤ 30 s from 1 MB/s).
   */
  fullEvidenceRateBytesPerSec: number;
  slowMaxDurationSec: number;
  /** Fitted growth over the window must reach this many bytes. */
  minGrowthBytes: number;
  /** Mann–Kendall one-sided significance level. */
  alpha: number;
  /** The most recent part of the window must grow at least this fraction of the whole window's slope. */
  recentFraction: number;
  /** No single step between consecutive baselines may make up more than this share of the fitted growth. */
  maxStepShare: number;
  /** Differences below this count as ties in the Mann–Kendall test (allocator noise, RSS page granularity). */
  tieToleranceBytes: number;
}

export interface DetectorSettings {
  /** Baselines older than this (s) are dropped from the analysis window. */
  windowSec: number;
  /** Minimum baselines in the window before any verdict. */
  minPoints: number;
  /** The `dom` thresholds are in DOM nodes where the others say bytes. */
  thresholds: Record<LeakMetric, TrendThresholds>;
}

const KB = 1024;

/** The parts of the trend test that are the same for every sensitivity and metric. */
export const TREND_RULES = {
  /** "Still growing": the recent part of the window is this share of it, at least `recentMinSec` and the last
   * `recentMinBaselines` baselines (when the GC cadence stretches to stay within budget, 10 s may hold fewer). */
  recentShare: 0.25,
  recentMinSec: 10,
  recentMinBaselines: 3,
  /** "New highs": the latest baseline tops everything before the recent part by this share of the growth expected
   * over the recent part (a cache flushed and refilled only returns to its old high). */
  newHighShare: 0.5,
  /** An RSS verdict is dropped when heap + external growth explain more than this share of its rate. */
  rssExplainedShare: 0.4,
  /** A verdict's `since` is the latest baseline within this share of the growth above the window's minimum. */
  growthStartShare: 0.03,
  /** No verdict below this confidence. */
  minConfidence: 0.5,
} as const;

/** Raw samples become baselines only while no forced-GC baseline arrives, and only right after a collection. */
export const SAMPLE_BASELINES = {
  /** Raw samples are ignored while clean (forced-GC) baselines keep arriving this often. */
  cleanGraceMs: 30_000,
  /** A drop in heapUsed of at least this many bytes and this share of the heap marks a collection. */
  minDropBytes: 256 * KB,
  minDropShare: 0.05,
} as const;

function profile(
  minRate: number,
  minDurationSec: number,
  slowMaxDurationSec: number,
  alpha: number,
  minGrowth: number,
): Record<LeakMetric, TrendThresholds> {
  const heap: TrendThresholds = {
    minRateBytesPerSec: minRate,
    minDurationSec,
    fullEvidenceRateBytesPerSec: 1024 * KB,
    slowMaxDurationSec,
    minGrowthBytes: minGrowth,
    alpha,
    recentFraction: 0.4,
    maxStepShare: 0.5,
    tieToleranceBytes: 2 * KB,
  };
  return {
    heap,
    external: { ...heap },
    // RSS also moves with allocator caching and heap page growth; it needs a stronger, longer trend.
    // (Pages the allocator keeps, heap pages V8 commits: RSS warms up and steps for a minute after start.)
    rss: {
      ...heap,
      minRateBytesPerSec: minRate * 32,
      minDurationSec: minDurationSec * 3,
      slowMaxDurationSec: minDurationSec * 3,
      alpha: alpha / 10,
      minGrowthBytes: minGrowth * 16,
      recentFraction: 0.6,
      maxStepShare: 0.35,
      tieToleranceBytes: 64 * KB,
    },
    // DOM nodes (not bytes) still kept after a forced GC. A page that churns its DOM returns to the same count to
    // within a few nodes; one that keeps removed rows or closed dialogs climbs by hundreds each minute at least.
    // Below 200 nodes/s growth must last longer (up to slowMaxDurationSec): a DOM built for 40 s after load is no leak.
    dom: {
      ...heap,
      minRateBytesPerSec: (minRate / KB) * 0.5,
      fullEvidenceRateBytesPerSec: 200,
      minGrowthBytes: Math.round((minGrowth / KB) * 0.8),
      tieToleranceBytes: 8,
    },
  };
}

/**
 * Detector settings for each sensitivity. `normal` meets: ≥1 MB/s in ≤30 s, ≥100 KB/s in ≤60 s, ~5–10 KB/s in
 * ≤120 s; growth below 1 MB/s must last up to 50 s (a 40-s cache warm-up at 250 KB/s is not flagged).
 */
export const SENSITIVITY: Record<LeakSensitivity, DetectorSettings> = {
  high: { windowSec: 150, minPoints: 5, thresholds: profile(1 * KB, 20, 30, 0.02, 192 * KB) },
  normal: { windowSec: 150, minPoints: 5, thresholds: profile(2 * KB, 20, 50, 0.01, 384 * KB) },
  low: { windowSec: 240, minPoints: 8, thresholds: profile(16 * KB, 45, 90, 0.001, 2048 * KB) },
};

/** How long growth at `rateBytesPerSec` must have lasted before the trend test may flag it (s). */
export function requiredDurationSec(th: TrendThresholds, rateBytesPerSec: number): number {
  if (rateBytesPerSec >= th.fullEvidenceRateBytesPerSec) return th.minDurationSec;
  const scaled = (th.minDurationSec * th.fullEvidenceRateBytesPerSec) / Math.max(1, rateBytesPerSec);
  return Math.max(th.minDurationSec, Math.min(th.slowMaxDurationSec, scaled));
}

/** Parses a sensitivity name; undefined for anything else. */
export function parseSensitivity(value: string | undefined): LeakSensitivity | undefined {
  return value === 'low' || value === 'normal' || value === 'high' ? value : undefined;
}
