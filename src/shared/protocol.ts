// The typed message protocol between the extension and its webviews, imported by both sides.
// Only plain JSON data crosses this boundary; every message has a `type` discriminator.

/** One memory reading as shown in the Monitor panel (same field names as the core's MemorySample). */
export interface SampleView {
  t: number;
  heapUsed: number;
  heapTotal: number;
  rss: number | null;
  external: number | null;
}

export type AlertLevelName = 'normal' | 'warning' | 'critical' | 'emergency' | 'leak';

/** A marker drawn on the timeline: a diagnostic GC, a snapshot, or an alert. */
export interface MarkerView {
  t: number;
  kind: 'gc' | 'snapshot' | 'alert';
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
}

/** Thresholds in bytes for the threshold lines. */
export interface ThresholdsView {
  warning: number;
  critical: number;
  emergency: number;
}

/** Messages the extension sends to the Monitor panel. */
export type ToMonitorMessage =
  | { type: 'state'; sessions: SessionView[]; activeSessionId: string | null; samples: SampleView[]; markers: MarkerView[]; alerts: AlertView[]; thresholds: ThresholdsView }
  | { type: 'sessions'; sessions: SessionView[]; activeSessionId: string | null }
  | { type: 'sample'; sessionId: string; sample: SampleView }
  | { type: 'marker'; sessionId: string; marker: MarkerView }
  | { type: 'alert'; sessionId: string; alert: AlertView }
  | { type: 'thresholds'; thresholds: ThresholdsView }
  | { type: 'busy'; action: 'gc' | 'snapshot'; busy: boolean };

/** Messages the Monitor panel sends to the extension. */
export type FromMonitorMessage =
  | { type: 'ready' }
  | { type: 'selectSession'; sessionId: string }
  | { type: 'runGc'; testCycle: boolean }
  | { type: 'takeSnapshot' }
  | { type: 'export'; format: 'csv' | 'json' };

/** State the Monitor panel keeps across reloads (webview getState/setState and the serializer). */
export interface MonitorPanelState {
  view: 'chart' | 'table';
  sessionId: string | null;
  hidden: string[];
}

// ---- Snapshot viewer ----

/** One row of the object-type tree (a class, an instance, an edge child or a retainer). */
export interface HeapRowView {
  /** Stable key for this row: `c:<classIndex>`, `n:<nodeIndex>`, … */
  key: string;
  /** Untrusted text from the heap: must be rendered as text. */
  name: string;
  /** Edge name for children/retainers, untrusted text. */
  edge?: string;
  count?: number;
  distance?: number;
  selfSize: number;
  retainedSize: number;
  /** For instances, children and retainers: the node index to expand further. */
  nodeIndex?: number;
  /** For classes: the class index to page instances. */
  classIndex?: number;
  nodeId?: number;
  hasChildren: boolean;
}

export interface PageView {
  rows: HeapRowView[];
  total: number;
  offset: number;
}

export type ClassSortKey = 'name' | 'count' | 'selfSize' | 'retainedSize';

/** Summary of an analysed snapshot. */
export interface SnapshotInfoView {
  fileName: string;
  fileSize: number;
  nodeCount: number;
  edgeCount: number;
  totalSize: number;
}

/** A node of the retained-size graph (top dominators). */
export interface DominatorView {
  nodeIndex: number;
  name: string;
  retainedSize: number;
  selfSize: number;
  hasChildren: boolean;
}

/** A per-class row of a two-snapshot comparison. */
export interface DiffRowView {
  name: string;
  addedCount: number;
  removedCount: number;
  countDelta: number;
  addedSize: number;
  removedSize: number;
  sizeDelta: number;
}

/** Messages the extension sends to the snapshot viewer. */
export type ToViewerMessage =
  | { type: 'progress'; message: string; fraction: number | null }
  | { type: 'error'; message: string }
  | { type: 'loaded'; info: SnapshotInfoView }
  | { type: 'classes'; requestId: number; page: PageView }
  | { type: 'rows'; requestId: number; page: PageView }
  | { type: 'dominators'; requestId: number; parent: number | null; nodes: DominatorView[] }
  | { type: 'retainerPath'; requestId: number; path: HeapRowView[] }
  | { type: 'diff'; requestId: number; against: string; rows: DiffRowView[] }
  | { type: 'failed'; requestId: number; message: string };

/** Messages the snapshot viewer sends to the extension. */
export type FromViewerMessage =
  | { type: 'ready' }
  | { type: 'getClasses'; requestId: number; filter: string; sort: ClassSortKey; descending: boolean; offset: number; limit: number }
  | { type: 'getInstances'; requestId: number; classIndex: number; offset: number; limit: number }
  | { type: 'getChildren'; requestId: number; nodeIndex: number; offset: number; limit: number }
  | { type: 'getRetainers'; requestId: number; nodeIndex: number; offset: number; limit: number }
  | { type: 'getDominators'; requestId: number; parent: number | null; limit: number }
  | { type: 'getRetainerPath'; requestId: number; nodeIndex: number }
  | { type: 'compare'; requestId: number };

const MONITOR_TYPES = new Set(['ready', 'selectSession', 'runGc', 'takeSnapshot', 'export']);
const VIEWER_TYPES = new Set(['ready', 'getClasses', 'getInstances', 'getChildren', 'getRetainers', 'getDominators', 'getRetainerPath', 'compare']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/** Checks that a message from the Monitor panel is well-formed; webviews are not trusted blindly. */
export function isFromMonitorMessage(m: unknown): m is FromMonitorMessage {
  if (!isObject(m) || typeof m.type !== 'string' || !MONITOR_TYPES.has(m.type)) return false;
  switch (m.type) {
    case 'selectSession':
      return typeof m.sessionId === 'string';
    case 'runGc':
      return typeof m.testCycle === 'boolean';
    case 'export':
      return m.format === 'csv' || m.format === 'json';
    default:
      return true;
  }
}

/** Checks that a message from the snapshot viewer is well-formed. */
export function isFromViewerMessage(m: unknown): m is FromViewerMessage {
  if (!isObject(m) || typeof m.type !== 'string' || !VIEWER_TYPES.has(m.type)) return false;
  if (m.type === 'ready') return true;
  if (!isInt(m.requestId)) return false;
  const paged = () => isInt(m.offset) && isInt(m.limit) && (m.limit as number) <= 1000;
  switch (m.type) {
    case 'getClasses':
      return typeof m.filter === 'string' && ['name', 'count', 'selfSize', 'retainedSize'].includes(m.sort as string) && typeof m.descending === 'boolean' && paged();
    case 'getInstances':
      return isInt(m.classIndex) && paged();
    case 'getChildren':
    case 'getRetainers':
      return isInt(m.nodeIndex) && paged();
    case 'getDominators':
      return (m.parent === null || isInt(m.parent)) && isInt(m.limit) && (m.limit as number) <= 1000;
    case 'getRetainerPath':
      return isInt(m.nodeIndex);
    default:
      return true;
  }
}
