import { slopePerSecond } from '../sampling/trend';
import { alertRank, type AlertLevel } from '../types';
import type { CheckResult, RecordingSummary } from './comparisonTypes';
import { largestProcess, ProcessRecording, Recording } from './recordingLoader';

export type { CheckResult, RecordingSummary } from './comparisonTypes';

export interface RecordingComparison {
  tolerance: number;
  a: RecordingSummary;
  b: RecordingSummary;
  checks: CheckResult[];
  /** True when B is worse than A beyond the tolerance on any check. */
  worse: boolean;
}

export interface CompareOptions {
  /** Relative tolerance, 0.1 = 10 % (default). */
  tolerance?: number;
  /** Growth-rate differences below this are noise (default 1 MB/min ≈ 16.7 kB/s). */
  minGrowthBytesPerSec?: number;
}

/** Summarizes one process of a recording (the largest by peak RSS unless one is given). */
export function summarizeRecording(
  rec: Recording,
  process: ProcessRecording = largestProcess(rec.processes),
): RecordingSummary {
  const s = process.samples;
  const heap = { first: s[0].heapUsed, peak: 0, final: s[s.length - 1].heapUsed };
  const withRss = s.filter((x) => x.rss !== null);
  const rss = withRss.length ? { first: withRss[0].rss!, peak: 0, final: withRss[withRss.length - 1].rss! } : null;
  for (const x of s) {
    heap.peak = Math.max(heap.peak, x.heapUsed);
    if (rss && x.rss !== null) rss.peak = Math.max(rss.peak, x.rss);
  }
  const alerts = { warning: 0, critical: 0, emergency: 0, leak: 0 };
  let maxLevel: AlertLevel = 'normal';
  for (const a of process.alerts) {
    if (a.level in alerts) alerts[a.level]++;
    if (a.level !== 'leak' && alertRank(a.level) > alertRank(maxLevel)) maxLevel = a.level;
  }
  return {
    source: rec.source,
    pid: process.pid,
    processCount: rec.processes.length,
    samples: s.length,
    durationMs: s[s.length - 1].t - s[0].t,
    heap,
    rss,
    heapGrowthBytesPerSec: Math.round(slopePerSecond(s.map((x) => ({ t: x.t, v: x.heapUsed })))),
    rssGrowthBytesPerSec: withRss.length
      ? Math.round(slopePerSecond(withRss.map((x) => ({ t: x.t, v: x.rss! }))))
      : null,
    gc: { runs: process.gcs.length, freedBytes: process.gcs.reduce((sum, g) => sum + g.freed, 0) },
    alerts,
    maxLevel,
  };
}

/**
 * Compares run B against baseline A. B is worse when any of these holds:
 * peak RSS or peak heap above A's by more than the tolerance (relative); heap growth rate above A's by more than
 * the tolerance of |A's rate| and by at least `minGrowthBytesPerSec` (so two flat runs never differ on noise);
 * a higher maximum alert level. Figures are from the largest process of each recording.
 */
export function compareRecordings(a: Recording, b: Recording, options: CompareOptions = {}): RecordingComparison {
  const tolerance = options.tolerance ?? 0.1;
  const minGrowth = options.minGrowthBytesPerSec ?? 1e6 / 60;
  const sa = summarizeRecording(a);
  const sb = summarizeRecording(b);
  const relative = (metric: CheckResult['metric'], va: number | null, vb: number | null): CheckResult => {
    if (va === null || vb === null) return { metric, a: va, b: vb, limit: null, worse: false };
    const limit = Math.round(va * (1 + tolerance));
    return { metric, a: va, b: vb, limit, worse: vb > limit };
  };
  const growthLimit = Math.round(
    sa.heapGrowthBytesPerSec + Math.max(tolerance * Math.abs(sa.heapGrowthBytesPerSec), minGrowth),
  );
  const checks: CheckResult[] = [
    relative('peakRss', sa.rss?.peak ?? null, sb.rss?.peak ?? null),
    relative('peakHeap', sa.heap.peak, sb.heap.peak),
    {
      metric: 'heapGrowth',
      a: sa.heapGrowthBytesPerSec,
      b: sb.heapGrowthBytesPerSec,
      limit: growthLimit,
      worse: sb.heapGrowthBytesPerSec > growthLimit,
    },
    {
      metric: 'maxAlertLevel',
      a: sa.maxLevel,
      b: sb.maxLevel,
      limit: sa.maxLevel,
      worse: alertRank(sb.maxLevel) > alertRank(sa.maxLevel),
    },
  ];
  return { tolerance, a: sa, b: sb, checks, worse: checks.some((c) => c.worse) };
}

/** B must cover at least this share of A's time and samples to be judged at all. */
const MIN_COVERAGE = 0.5;

/**
 * Why a comparison cannot be trusted, or null: a recording cut mid-line or holding a single sample, or a candidate B
 * covering far less time or far fewer samples than A (a crashed or killed run must never pass a CI gate).
 */
export function incompleteRecording(a: Recording, b: Recording, r: RecordingComparison): string | null {
  for (const [name, rec, s] of [
    ['A', a, r.a],
    ['B', b, r.b],
  ] as const) {
    if (rec.cutMidLine) return `recording ${name} is incomplete (cut mid-line: ${rec.cutMidLine})`;
    if (s.samples < 2) return `recording ${name} is too short (${s.samples} sample)`;
  }
  const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  if (r.b.durationMs < MIN_COVERAGE * r.a.durationMs)
    return `recording B is too short (covers ${sec(r.b.durationMs)}, A covers ${sec(r.a.durationMs)})`;
  if (r.b.samples < MIN_COVERAGE * r.a.samples)
    return `recording B is too short (${r.b.samples} samples, A has ${r.a.samples})`;
  return null;
}

/** Samples of a process as seconds since its first sample, for overlaying two recordings on one time axis. */
export function alignedSeries(process: ProcessRecording): Array<{ s: number; heapUsed: number; rss: number | null }> {
  const t0 = process.samples[0]?.t ?? 0;
  return process.samples.map((x) => ({ s: (x.t - t0) / 1000, heapUsed: x.heapUsed, rss: x.rss }));
}

/** Parses a tolerance such as `10%`, `10` (both 10 %) or `2.5%`; null when malformed. */
export function parseTolerance(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  return m ? Number(m[1]) / 100 : null;
}
