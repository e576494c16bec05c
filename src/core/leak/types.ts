import type { LeakForecast } from './forecast';

/**
 * Which memory a leak verdict is about: the JS heap, off-heap (Buffers/ArrayBuffers), the whole process, or a browser
 * page's DOM nodes (`dom`: counted after a forced GC, so they are nodes something still keeps; its figures are nodes,
 * not bytes, wherever a field says bytes).
 */
export type LeakMetric = 'heap' | 'external' | 'rss' | 'dom';

export type LeakSensitivity = 'low' | 'normal' | 'high';

/** A standing verdict: `suspected` when raised, `confirmed` once growth went on (see VerdictTracker). */
export type LeakVerdictState = 'suspected' | 'confirmed';

/** A growth trend judged to be a leak. Plain data, so the CLI, the extension and webviews can all show it. */
export interface LeakVerdict {
  metric: LeakMetric;
  /** Theil–Sen slope of the post-GC baseline over the analysis window. */
  rateBytesPerSec: number;
  /** 0..1: one minus the Mann–Kendall p-value, reduced when the most recent growth is slower than the average. */
  confidence: number;
  /** Epoch ms when the sustained growth began (the last baseline trough). */
  since: number;
  /** Epoch ms of the baseline that triggered the verdict. */
  t: number;
  /** Latest post-GC baseline of the metric, bytes. */
  baselineBytes: number;
  /** Baseline growth from `since` to `t`, bytes. */
  growthBytes: number;
  /** Evidence for reports: the baseline points used (t, bytes) and the test statistics. */
  evidence: {
    points: Array<[number, number]>;
    pValue: number;
    recentRateBytesPerSec: number;
  };
}

/** A suspected allocation site: where live sampled bytes keep growing. Positions are 1-based, `file` absolute. */
export interface LeakSite {
  file: string;
  line: number;
  column: number;
  function: string;
  /** Live bytes allocated here, estimated by V8's sampling heap profiler. */
  liveBytes: number;
  growthBytesPerSec: number;
  /** Script URL and 1-based position before source mapping, when different from file/line. */
  generated?: { url: string; line: number; column: number };
  /** How the line was chosen: the allocating statement found in the function body, or the function's first line. */
  lineSource?: 'allocation' | 'function';
}

/** The `leak` JSON line (plus `type`): one per new or changed verdict; the last one is the final verdict. */
export interface LeakReportLine {
  type: 'leak';
  t: number;
  pid: number | null;
  /** Set when the verdict is about a `worker_threads` Worker (its threadId); absent for the main thread. */
  threadId?: number;
  metric: LeakMetric;
  /** The post-GC growth per second: bytes, or DOM nodes for `metric: "dom"` (then also in `rateNodesPerSec`). */
  rateBytesPerSec: number;
  /** Only on `metric: "dom"` lines: the post-GC DOM node count's growth, nodes per second. */
  rateNodesPerSec?: number;
  confidence: number;
  since: number;
  sites: LeakSite[];
  /** What keeps the leaked objects, most responsible first; `[]` while unknown (a later line carries the update). */
  retainers: LeakRetainer[];
  /** `suspected` when raised, `confirmed` once growth went on; a withdrawn verdict gets a `leak-cleared` line. */
  state: LeakVerdictState;
  /** When the post-GC growth reaches the critical and emergency thresholds and V8's heap limit (s from `t`). */
  forecast: LeakForecast;
}

/** The `leak-cleared` JSON line: a verdict withdrawn because growth stopped (`reason` says how). */
export interface LeakClearedLine {
  type: 'leak-cleared';
  t: number;
  pid: number | null;
  threadId?: number;
  metric: LeakMetric;
  reason: string;
}

/** What kind of holder keeps leaked objects. */
export type RetainerKind =
  | 'array'
  | 'map'
  | 'set'
  | 'object'
  | 'listeners'
  | 'timers'
  | 'closure'
  | 'promise'
  | 'module-cache'
  | 'other'
  /** JavaScript that keeps detached DOM nodes (a `dom` verdict's retainers; `count` is the detached nodes). */
  | 'detached-dom';

/** A growing holder named in a verdict: its path from a GC root and the source line that adds to it (1-based, absolute). */
export interface LeakRetainer {
  path: string;
  kind: RetainerKind;
  file: string | null;
  line: number | null;
  count: number | null;
  countGrowthPerSec: number | null;
  retainedBytes: number | null;
  /**
   * The class of most objects the holder keeps, with its constructor's position (1-based) when known: objects made
   * by `new C()` are charged to the caller's line by the sampling profiler. Not part of the JSON line.
   */
  keeps?: { className: string; file: string | null; line: number | null };
}
