// The typed message protocol between the extension and its webviews, imported by both sides.
// Only plain JSON data crosses this boundary; every message has a `type` discriminator.

import type { ClassDiffRow, ClassSummaryRow, NodeSummary, Page } from '../core/heap/types';
import type { PanelKey } from '../core/metrics/memoryMetrics';
import type { CheckResult, RecordingSummary } from '../core/recording/comparisonTypes';
import type { MemorySample } from '../core/types';
import { SUMMARY_VIEW_PARAMS, type SummaryViewerMethods } from './summaryViewProtocol';
import { VIEWER_TREE_PARAMS, type ViewerTreeMethods } from './viewerTreeProtocol';

/**
 * One memory reading as shown in the Monitor panel: its time, the figures of MEMORY_METRICS with a `panel`, and a
 * browser page's DOM counters (DOM_METRICS).
 */
export type SampleView = Pick<MemorySample, 't' | PanelKey | 'dom'>;

export type AlertLevelName = 'normal' | 'warning' | 'critical' | 'emergency' | 'leak';

/** A marker drawn on the timeline: a diagnostic GC, a snapshot, or an alert. */
export interface MarkerView {
  t: number;
  kind: 'gc' | 'snapshot' | 'alert' | 'skipped';
  /** Short label, plain text (never HTML). */
  label: string;
  level?: AlertLevelName;
}

export interface AlertView {
  t: number;
  level: AlertLevelName;
  metric: string;
  value: number;
  limit: number;
  cleared?: boolean;
}

/** A monitored debug session as listed in the session picker. */
export interface SessionView {
  id: string;
  name: string;
  pid: number | null;
  level: AlertLevelName;
  ended: boolean;
  /** `page` for a browser page (DOM counters, no RSS), `worker` for a `worker_threads` Worker; absent for a process. */
  kind?: 'page' | 'worker';
  /** A Worker's threadId. */
  threadId?: number;
}

/** Thresholds in bytes for the threshold lines. */
export interface ThresholdsView {
  warning: number;
  critical: number;
  emergency: number;
}

/** Live instances of the watched classes at one moment (`memoryMonitor.watchedClasses`). */
export interface ObjectCountsView {
  t: number;
  /** Class name (from the setting) → count. */
  counts: Record<string, number>;
  /** Class name → why it could not be counted (plain text). */
  unresolved?: Record<string, string>;
}

/** One V8 heap space before and after a detailed diagnostic GC. */
export interface HeapSpaceView {
  name: string;
  usedBefore: number;
  usedAfter: number;
  availableBefore: number;
  availableAfter: number;
}

/** What one diagnostic GC achieved, for the GC-effectiveness chart; `spaces` only for detailed GCs. */
export interface GcEffectView {
  t: number;
  freed: number;
  /** Freed as a percentage of the heap used before. */
  percent: number;
  heapBefore: number;
  heapAfter: number;
  spaces?: HeapSpaceView[] | null;
}

/** Watched counts and GC results of a session, sent with the state. */
export interface DiagnosticsView {
  watchedClasses: string[];
  objects: ObjectCountsView[];
  gcs: GcEffectView[];
  /** The Prometheus endpoint, when `memoryMonitor.metricsPort` is set. */
  metricsUrl: string | null;
}

/** Messages the extension sends to the Monitor panel. */
export type ToMonitorMessage =
  | {
      type: 'state';
      sessions: SessionView[];
      activeSessionId: string | null;
      samples: SampleView[];
      markers: MarkerView[];
      alerts: AlertView[];
      thresholds: ThresholdsView;
    }
  | { type: 'sessions'; sessions: SessionView[]; activeSessionId: string | null }
  | { type: 'sample'; sessionId: string; sample: SampleView }
  | { type: 'marker'; sessionId: string; marker: MarkerView }
  | { type: 'alert'; sessionId: string; alert: AlertView }
  | { type: 'thresholds'; thresholds: ThresholdsView }
  | { type: 'busy'; action: 'gc' | 'snapshot'; busy: boolean }
  | { type: 'diagnostics'; sessionId: string | null; diagnostics: DiagnosticsView }
  | { type: 'objects'; sessionId: string; objects: ObjectCountsView }
  | { type: 'gcEffect'; sessionId: string; gc: GcEffectView }
  | { type: 'reveal'; view: 'diagnostics' };

/** Messages the Monitor panel sends to the extension. */
export type FromMonitorMessage =
  | { type: 'ready' }
  | { type: 'selectSession'; sessionId: string }
  | { type: 'runGc'; testCycle: boolean; detailed?: boolean }
  | { type: 'countObjects' }
  | { type: 'takeSnapshot' }
  | { type: 'export'; format: 'csv' | 'json' };

/** State the Monitor panel keeps across reloads (webview getState/setState and the serializer). */
export interface MonitorPanelState {
  view: 'chart' | 'table' | 'alerts' | 'diagnostics';
  sessionId: string | null;
  hidden: string[];
}

// ---- Snapshot viewer ----

/** A node as listed in the viewer (the engine's own row type). `name`/`className` are untrusted heap text: render as text only. */
export type HeapNodeView = NodeSummary;

/** One class of the object-type tree (DevTools' Summary row, the engine's own row type). */
export type HeapClassView = ClassSummaryRow;

/** An edge from (children) or to (retainers) a node. */
export interface HeapEdgeView {
  name: string;
  edgeType: string;
  node: HeapNodeView;
}

export type PageView<T> = Page<T>;

export type ClassSortKey = 'name' | 'distance' | 'count' | 'selfSize' | 'retainedSize';

/** Summary of an analysed snapshot. */
export interface SnapshotInfoView {
  fileName: string;
  fileBytes: number;
  nodeCount: number;
  edgeCount: number;
  totalSize: number;
  classCount: number;
  rootId: number;
}

/** One step of a retainer path from a GC root. */
export interface RetainerStepView {
  edge: { name: string; edgeType: string } | null;
  node: HeapNodeView;
}

/** A per-class row of a two-snapshot comparison. */
export type DiffRowView = Pick<
  ClassDiffRow,
  'name' | 'addedCount' | 'removedCount' | 'countDelta' | 'addedSize' | 'removedSize' | 'sizeDelta'
>;

export interface DiffView {
  against: string;
  addedCount: number;
  removedCount: number;
  addedSize: number;
  removedSize: number;
  rows: DiffRowView[];
  /** Why the comparison may be meaningless (different processes, wrong order), each saying how it can tell. */
  warnings?: string[];
}

/** Objects that grew in every step of a series of snapshots ending with the one shown (memmon diff's `growing`). */
export interface GrowthView {
  /** File names of the series, oldest first; the last is the snapshot shown. */
  snapshots: string[];
  rows: Array<{ id: number; path: string; kind: string; sizes: number[]; retainedSizes: number[] }>;
  /** Why the series cannot be compared object by object (other sessions, wrong order). */
  warnings: string[];
}

/** A page of rows: `offset` and `limit` (at most 1000) as in the heap engine's queries. */
interface PageParams {
  offset: number;
  limit: number;
}

/**
 * The snapshot viewer's requests, like the analysis worker's: method → params and result. Each request carries a
 * `requestId`, and its reply (`reply` or `failed`) the same id, so every request settles.
 */
export interface ViewerMethods extends SummaryViewerMethods, ViewerTreeMethods {
  classes: {
    params: PageParams & { filter: string; sort: ClassSortKey; descending: boolean };
    result: PageView<HeapClassView>;
  };
  instances: { params: PageParams & { classKey: string }; result: PageView<HeapNodeView> };
  children: { params: PageParams & { nodeId: number }; result: PageView<HeapEdgeView> };
  retainers: { params: PageParams & { nodeId: number }; result: PageView<HeapEdgeView> };
  /** Objects dominated by a node (null: by the GC roots), largest retained size first. */
  dominated: { params: PageParams & { nodeId: number | null }; result: PageView<HeapNodeView> };
  retainerPath: { params: { nodeId: number }; result: RetainerStepView[] };
  /** Asks the user for a baseline snapshot and compares with it; null when the user cancels. */
  compare: { params: Record<string, never>; result: DiffView | null };
  /** Asks the user for 2 or more earlier snapshots of the same process; null when the user cancels. */
  growth: { params: Record<string, never>; result: GrowthView | null };
}
export type ViewerMethod = keyof ViewerMethods;
export type ViewerParams<M extends ViewerMethod> = ViewerMethods[M]['params'];
export type ViewerResult<M extends ViewerMethod> = ViewerMethods[M]['result'];

/** One request of the viewer (a union over the methods, so `method` narrows `params`). */
export type ViewerRequest = {
  [M in ViewerMethod]: { type: 'request'; requestId: number; method: M; params: ViewerParams<M> };
}[ViewerMethod];

/** Messages the extension sends to the snapshot viewer. */
export type ToViewerMessage =
  | { type: 'progress'; phase: string; fraction: number }
  /** The snapshot cannot be shown, or a comparison started from a command failed. */
  | { type: 'error'; message: string }
  | { type: 'loaded'; info: SnapshotInfoView }
  /** A comparison started from a command (Compare Heap Snapshots…), not by the viewer. */
  | { type: 'diff'; diff: DiffView }
  /** Growth across snapshots started from a command (Compare Heap Snapshots… with 3 or more). */
  | { type: 'growth'; growth: GrowthView }
  | { type: 'reply'; requestId: number; result: ViewerResult<ViewerMethod> }
  | { type: 'failed'; requestId: number; message: string };

/** Messages the snapshot viewer sends to the extension. */
export type FromViewerMessage = { type: 'ready' } | ViewerRequest;

const MONITOR_TYPES = new Set(['ready', 'selectSession', 'runGc', 'takeSnapshot', 'export', 'countObjects']);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/** Checks that a message from the Monitor panel is well-formed; webviews are not trusted blindly. */
export function isFromMonitorMessage(m: unknown): m is FromMonitorMessage {
  if (!isObject(m) || typeof m.type !== 'string' || !MONITOR_TYPES.has(m.type)) return false;
  switch (m.type) {
    case 'selectSession':
      return typeof m.sessionId === 'string';
    case 'runGc':
      return typeof m.testCycle === 'boolean' && (m.detailed === undefined || typeof m.detailed === 'boolean');
    case 'export':
      return m.format === 'csv' || m.format === 'json';
    default:
      return true;
  }
}

const isPage = (p: Record<string, unknown>) => isInt(p.offset) && isInt(p.limit) && p.limit <= 1000;

/** Checks each method's params; a table so that a new method cannot be added without its check. */
const VIEWER_PARAMS: { [M in ViewerMethod]: (p: Record<string, unknown>) => boolean } = {
  ...SUMMARY_VIEW_PARAMS,
  classes: (p) =>
    typeof p.filter === 'string' &&
    p.filter.length <= 500 &&
    ['name', 'distance', 'count', 'selfSize', 'retainedSize'].includes(p.sort as string) &&
    typeof p.descending === 'boolean' &&
    isPage(p),
  instances: (p) => typeof p.classKey === 'string' && isPage(p),
  children: (p) => isInt(p.nodeId) && isPage(p),
  retainers: (p) => isInt(p.nodeId) && isPage(p),
  dominated: (p) => (p.nodeId === null || isInt(p.nodeId)) && isPage(p),
  retainerPath: (p) => isInt(p.nodeId),
  compare: () => true,
  growth: () => true,
  ...VIEWER_TREE_PARAMS,
};

/** Checks that a message from the snapshot viewer is well-formed. */
export function isFromViewerMessage(m: unknown): m is FromViewerMessage {
  if (!isObject(m)) return false;
  if (m.type === 'ready') return true;
  if (m.type !== 'request' || !isInt(m.requestId) || !isObject(m.params)) return false;
  return typeof m.method === 'string' && Object.hasOwn(VIEWER_PARAMS, m.method)
    ? VIEWER_PARAMS[m.method as ViewerMethod](m.params)
    : false;
}

// ---- Recording comparison (Memory: Compare Recordings…) ----

/** One recording's side of the comparison table (bytes, bytes per second): the core's summary, labelled. */
export type RecordingSummaryView = Omit<RecordingSummary, 'source'> & { label: string };

/** A check of B against A, as `memmon compare` makes it. */
export type CompareCheckView = CheckResult;

/** Points of one recording on the shared time axis: seconds since its first sample. */
export interface AlignedSeriesView {
  s: number[];
  heapUsed: number[];
  rss: (number | null)[];
}

/** Messages the extension sends to the recording comparison panel. */
export type ToCompareMessage =
  | {
      type: 'comparison';
      a: RecordingSummaryView;
      b: RecordingSummaryView;
      seriesA: AlignedSeriesView;
      seriesB: AlignedSeriesView;
      checks: CompareCheckView[];
      tolerance: number;
      worse: boolean;
    }
  | { type: 'error'; message: string };

/** Messages the recording comparison panel sends to the extension. */
export type FromCompareMessage = { type: 'ready' };

/** Checks that a message from the comparison panel is well-formed. */
export function isFromCompareMessage(m: unknown): m is FromCompareMessage {
  return isObject(m) && m.type === 'ready';
}
