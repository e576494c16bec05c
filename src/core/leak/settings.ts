import type { LeakMetric, LeakSensitivity } from './types';

/** Thresholds of the trend test for one metric. */
export interface TrendThresholds {
  /** Below this Theil–Sen slope nothing is flagged (bytes/s). */
  minRateBytesPerSec: number;
  /** The growth must span at least this long (s); protects against warm-up that plateaus. */
  minDurationSec: number;
  /** Fitted growth over the window must reach this many bytes. */
  minGrowthBytes: number;
  /** Mann–Kendall one-sided significance level. */
  alpha: number;
  /** The most recent part of the window must grow at least this fraction of the whole window's slope. */
  recentFraction: number;
  /** No single step between consecutive baselines may make up more than this share of the fitted growth. */
  maxStepShare: number;
}

export interface DetectorSettings {
  /** Baselines older than this (s) are dropped from the analysis window. */
  windowSec: number;
  /** Minimum baselines in the window before any verdict. */
  minPoints: number;
  thresholds: Record<LeakMetric, TrendThresholds>;
}

const KB = 1024;

function profile(
  minRate: number,
  minDurationSec: number,
  alpha: number,
  minGrowth: number,
): Record<LeakMetric, TrendThresholds> {
  const heap: TrendThresholds = {
    minRateBytesPerSec: minRate,
    minDurationSec,
    minGrowthBytes: minGrowth,
    alpha,
    recentFraction: 0.4,
    maxStepShare: 0.5,
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
      alpha: alpha / 10,
      minGrowthBytes: minGrowth * 16,
      recentFraction: 0.6,
      maxStepShare: 0.35,
    },
  };
}

/** Detector settings for each sensitivity. `normal` meets: ≥1 MB/s in ≤30 s, ≥100 KB/s in ≤60 s, ~5–10 KB/s in ≤120 s. */
export const SENSITIVITY: Record<LeakSensitivity, DetectorSettings> = {
  high: { windowSec: 150, minPoints: 5, thresholds: profile(1 * KB, 20, 0.02, 192 * KB) },
  normal: { windowSec: 150, minPoints: 5, thresholds: profile(2 * KB, 20, 0.01, 384 * KB) },
  low: { windowSec: 240, minPoints: 8, thresholds: profile(16 * KB, 45, 0.001, 2048 * KB) },
};

/** Parses a sensitivity name; undefined for anything else. */
export function parseSensitivity(value: string | undefined): LeakSensitivity | undefined {
  return value === 'low' || value === 'normal' || value === 'high' ? value : undefined;
}
