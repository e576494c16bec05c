// The typed message protocol between the extension and the Leak Report panel, imported by both sides.
// Only plain JSON data crosses this boundary. Function, class and file names come from the debuggee: render as text.

/** `dom`: a browser page's DOM node count after GC (its rates and baselines are nodes, not bytes). */
import type { RetainerKind } from '../core/leak/types';
export type LeakMetricName = 'heap' | 'external' | 'rss' | 'dom';

/** One frame of a suspect's allocation stack (1-based positions; `file` absolute or a script URL). */
export interface LeakFrameView {
  function: string;
  file: string;
  line: number;
  column: number;
  /** Why this frame is listed, e.g. "allocating line" or "compiled JavaScript". */
  note: string;
}

/** A suspected allocation line: sites on the same line (across metrics and closures) are merged into one. */
export interface LeakSuspectView {
  /** `file:line`, stable across updates. */
  key: string;
  rank: number;
  file: string;
  line: number;
  column: number;
  function: string;
  /** A class name known to be allocated here (a constructor, or a class the last hunt found leaking), else null. */
  className: string | null;
  liveBytes: number;
  growthBytesPerSec: number;
  /** The confidence of the verdict that points here (0..1). */
  confidence: number;
  /** Which memory grows (the verdict's metric). */
  metric: LeakMetricName;
  since: number;
  /** How the line was chosen by the core: the allocating statement, or the function's first line. */
  lineSource: 'allocation' | 'function';
  stack: LeakFrameView[];
}

/** A growing holder that keeps the leaked objects (the core's LeakRetainer, ranked). Heap-derived text: untrusted. */
export interface LeakRetainerView {
  /** `path@file:line`, stable across updates. */
  key: string;
  rank: number;
  /** Path from a GC root, e.g. `cache (Map) in module orders.js`. */
  path: string;
  kind: RetainerKind;
  /** The line that adds to the holder (else declares it), source-mapped, 1-based; null when unknown. */
  file: string | null;
  line: number | null;
  count: number | null;
  countGrowthPerSec: number | null;
  retainedBytes: number | null;
  /** The class of most kept objects, when known. */
  keepsClass: string | null;
  /**
   * Where that class's constructor is (source-mapped, 1-based), when known: objects made by `new C()` are charged to
   * the caller's line, so the constructor is named too.
   */
  keepsConstructor: { file: string; line: number } | null;
}

/** Where the search for retainers (two heap snapshots) stands, and what a snapshot would cost now. */
export interface LeakRetainerProbeView {
  /** `over-limit`: the heap is above the snapshot limit, so no snapshot is taken unless the user asks. */
  state: 'idle' | 'running' | 'done' | 'over-limit' | 'failed';
  heapBytes: number | null;
  limitBytes: number;
  /** Expected pause of one snapshot (ms); the probe takes two. */
  estimatedPauseMs: number | null;
  error: string | null;
}

/** When a standing verdict's growth reaches each limit (s from the verdict's `t`; 0 = already above, null = unknown). */
export interface LeakForecastView {
  criticalInSec: number | null;
  emergencyInSec: number | null;
  heapLimitInSec: number | null;
}

/** One standing growth trend with its post-GC baseline points for the growth chart. */
export interface LeakVerdictView {
  metric: LeakMetricName;
  rateBytesPerSec: number;
  confidence: number;
  since: number;
  t: number;
  baselineBytes: number;
  points: Array<[number, number]>;
  /** `suspected` when raised, `confirmed` once growth went on for as long again. */
  state: 'suspected' | 'confirmed';
  /** The core's forecast; null until the verdict's first leak line. */
  forecast: LeakForecastView | null;
  /** The forecast in words (core formatForecast), e.g. "reaches 1000 MB in ~42 min, the heap limit in ~2 h"; '' when unknown. */
  forecastText: string;
}

/** A verdict withdrawn because growth stopped: listed as cleared, no longer a standing leak. */
export interface LeakClearedView {
  metric: LeakMetricName;
  /** Epoch ms when it was cleared. */
  t: number;
  /** Why, e.g. "growth stopped: post-GC heap flat for 30 s (…)". */
  reason: string;
  /** The state it had reached, and its figures as it last stood. */
  state: 'suspected' | 'confirmed';
  rateBytesPerSec: number;
  since: number;
}

/** The result of the last Hunt Leak run (three-snapshot comparison). */
export interface LeakHuntView {
  t: number;
  leakedCount: number;
  leakedRetainedSize: number;
  /** `survival`: share of the class's objects allocated between baseline and target still alive at the end. */
  classes: Array<{ name: string; count: number; selfSize: number; retainedSize: number; survival?: number }>;
  /** Ranked: the program's holders first. `discounted`: why the runtime's own buffers explain the group. */
  groups: Array<{ name: string; count: number; retainedSize: number; retainerPath: string[]; discounted?: string }>;
}

/** Everything the report shows for one monitored session. */
export interface LeakReportView {
  sessionId: string;
  sessionName: string;
  pid: number | null;
  ended: boolean;
  enabled: boolean;
  sensitivity: 'low' | 'normal' | 'high';
  /** True while at least one verdict stands (suspected or confirmed). */
  suspected: boolean;
  /** The verdicts standing now. */
  verdicts: LeakVerdictView[];
  /** Verdicts withdrawn during the session, oldest first. */
  cleared: LeakClearedView[];
  suspects: LeakSuspectView[];
  hunt: LeakHuntView | null;
  /** What keeps the leaked objects, most responsible first ([] while unknown). */
  retainers: LeakRetainerView[];
  /** The retainer search's state; null while detection is not running. */
  retainerProbe: LeakRetainerProbeView | null;
  /** Why allocation sites are missing, when the sampling profiler is shared or unavailable. */
  profilerNote: string | null;
  /** Detection cost so far, percent of one core. */
  overheadPercent: number | null;
  updatedAt: number;
}

/** Messages the extension sends to the Leak Report panel. */
export type ToLeakReportMessage =
  | { type: 'report'; report: LeakReportView | null; sessions: Array<{ id: string; name: string; suspected: boolean }> }
  | { type: 'busy'; action: 'hunt' | 'snapshot' | 'retainers'; busy: boolean };

/** Messages the Leak Report panel sends to the extension. */
export type FromLeakReportMessage =
  | { type: 'ready' }
  | { type: 'selectSession'; sessionId: string }
  | { type: 'openSource'; file: string; line: number; column: number }
  | { type: 'takeSnapshot' }
  | { type: 'huntLeak' }
  | { type: 'findRetainers' }
  | { type: 'copyMarkdown'; key: string | null }
  | { type: 'export'; format: 'json' | 'markdown' };

const LEAK_REPORT_TYPES = new Set([
  'ready',
  'selectSession',
  'openSource',
  'takeSnapshot',
  'huntLeak',
  'findRetainers',
  'copyMarkdown',
  'export',
]);

/** Checks that a message from the Leak Report panel is well-formed; webviews are not trusted blindly. */
export function isFromLeakReportMessage(m: unknown): m is FromLeakReportMessage {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return false;
  const o = m as Record<string, unknown>;
  if (typeof o.type !== 'string' || !LEAK_REPORT_TYPES.has(o.type)) return false;
  const pos = (v: unknown) => Number.isInteger(v) && (v as number) >= 1;
  switch (o.type) {
    case 'selectSession':
      return typeof o.sessionId === 'string';
    case 'openSource':
      return typeof o.file === 'string' && o.file.length > 0 && o.file.length < 4096 && pos(o.line) && pos(o.column);
    case 'copyMarkdown':
      return o.key === null || typeof o.key === 'string';
    case 'export':
      return o.format === 'json' || o.format === 'markdown';
    default:
      return true;
  }
}
