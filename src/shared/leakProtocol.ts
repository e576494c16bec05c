// The typed message protocol between the extension and the Leak Report panel, imported by both sides.
// Only plain JSON data crosses this boundary. Function, class and file names come from the debuggee: render as text.

export type LeakMetricName = 'heap' | 'external' | 'rss';

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

/** One suspected growth trend with its post-GC baseline points for the growth chart. */
export interface LeakVerdictView {
  metric: LeakMetricName;
  rateBytesPerSec: number;
  confidence: number;
  since: number;
  t: number;
  baselineBytes: number;
  points: Array<[number, number]>;
}

/** The result of the last Hunt Leak run (three-snapshot comparison). */
export interface LeakHuntView {
  t: number;
  leakedCount: number;
  leakedRetainedSize: number;
  /** `survival`: share of the class's objects allocated between baseline and target still alive at the end. */
  classes: Array<{ name: string; count: number; selfSize: number; retainedSize: number; survival?: number }>;
  groups: Array<{ name: string; count: number; retainedSize: number; retainerPath: string[] }>;
}

/** Everything the report shows for one monitored session. */
export interface LeakReportView {
  sessionId: string;
  sessionName: string;
  pid: number | null;
  ended: boolean;
  enabled: boolean;
  sensitivity: 'low' | 'normal' | 'high';
  /** True while at least one verdict stands. */
  suspected: boolean;
  verdicts: LeakVerdictView[];
  suspects: LeakSuspectView[];
  hunt: LeakHuntView | null;
  /** Why allocation sites are missing, when the sampling profiler is shared or unavailable. */
  profilerNote: string | null;
  /** Detection cost so far, percent of one core. */
  overheadPercent: number | null;
  updatedAt: number;
}

/** Messages the extension sends to the Leak Report panel. */
export type ToLeakReportMessage =
  | { type: 'report'; report: LeakReportView | null; sessions: Array<{ id: string; name: string; suspected: boolean }> }
  | { type: 'busy'; action: 'hunt' | 'snapshot'; busy: boolean };

/** Messages the Leak Report panel sends to the extension. */
export type FromLeakReportMessage =
  | { type: 'ready' }
  | { type: 'selectSession'; sessionId: string }
  | { type: 'openSource'; file: string; line: number; column: number }
  | { type: 'takeSnapshot' }
  | { type: 'huntLeak' }
  | { type: 'copyMarkdown'; key: string | null }
  | { type: 'export'; format: 'json' | 'markdown' };

const LEAK_REPORT_TYPES = new Set([
  'ready',
  'selectSession',
  'openSource',
  'takeSnapshot',
  'huntLeak',
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
