// Plain data types of a recording comparison. Kept free of Node imports so the webview protocol can reuse them.
import type { AlertLevel } from '../types';

/** The figures of one process of a recording that a comparison looks at. */
export interface RecordingSummary {
  source: string;
  pid: number | null;
  /** Processes in the recording (the largest one is summarized). */
  processCount: number;
  samples: number;
  durationMs: number;
  heap: { first: number; peak: number; final: number };
  rss: { first: number; peak: number; final: number } | null;
  /** Least-squares slope of heap used / RSS over the whole recording, bytes per second. */
  heapGrowthBytesPerSec: number;
  rssGrowthBytesPerSec: number | null;
  gc: { runs: number; freedBytes: number };
  alerts: { warning: number; critical: number; emergency: number; leak: number };
  maxLevel: AlertLevel;
}

export interface CheckResult {
  metric: 'peakRss' | 'peakHeap' | 'heapGrowth' | 'maxAlertLevel';
  a: number | string | null;
  b: number | string | null;
  /** The value B may reach before it counts as worse (null when not comparable). */
  limit: number | string | null;
  worse: boolean;
}
