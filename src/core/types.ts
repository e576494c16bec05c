import type { SampleFigures } from './metrics/memoryMetrics';

/**
 * One memory reading of one debuggee process. Field names are the `sample` JSON-lines contract; the figures
 * (heapUsed, heapTotal, rss, external, arrayBuffers) and where each comes from are in MEMORY_METRICS.
 */
export interface MemorySample extends SampleFigures {
  /** Epoch milliseconds. */
  t: number;
  /** Process id of the debuggee, null when unknown (e.g. a browser target). */
  pid: number | null;
  /** The `worker_threads` Worker's threadId when the sample is of a Worker; absent for the main thread. */
  threadId?: number;
  /** Page metrics of a browser target (`Memory.getDOMCounters`); absent for Node.js, Deno and Bun. */
  dom?: DomCounters;
  /** Fields carried over from an earlier reading because the debuggee did not answer (busy or paused). */
  stale?: Array<'heap' | 'external'>;
}

/** A page's live DOM: nodes, documents and JavaScript event listeners. Field names are the `sample` contract. */
export interface DomCounters {
  nodes: number;
  documents: number;
  listeners: number;
}

/** Magnitude alert levels, in increasing severity. `leak` is a separate, trend-based level. */
export const ALERT_LEVELS = ['normal', 'warning', 'critical', 'emergency'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

/** Severity of a magnitude level: normal 0, warning 1, critical 2, emergency 3 (also `memory_alert_level`). */
export function alertRank(level: AlertLevel): number {
  return ALERT_LEVELS.indexOf(level);
}

/** `dom`: a browser page's DOM node count (values and limits are nodes), alerted only with a DOM threshold. */
export type AlertMetric = 'rss' | 'heap' | 'dom';

/** An alert raised when a metric crosses a level upwards. Field names are the `alert` JSON-lines contract. */
export interface AlertEvent {
  t: number;
  pid?: number | null;
  /** Set when the alert is about a `worker_threads` Worker (its threadId); absent for the main thread. */
  threadId?: number;
  level: Exclude<AlertLevel, 'normal'> | 'leak';
  metric: AlertMetric | 'external';
  value: number;
  limit: number;
}

/** Readings taken around a diagnostic GC. */
export interface GcMeasure {
  heapUsed: number;
  heapTotal: number;
  rss: number | null;
}

/** Result of one diagnostic GC. Field names are the `gc` JSON-lines contract. */
export interface GcResult {
  t: number;
  pid: number | null;
  /** Set when the GC ran in a `worker_threads` Worker (its threadId); absent for the main thread. */
  threadId?: number;
  before: GcMeasure;
  after: GcMeasure;
  /** Heap bytes freed (before.heapUsed − after.heapUsed; may be negative when the debuggee allocated meanwhile). */
  freed: number;
  durationMs: number;
  testCycle: { created: boolean; collected: boolean; bytes?: number } | null;
  /** Per V8 heap space, with the `detailed` option (null when the target cannot report spaces). */
  spaces?: HeapSpaceDelta[] | null;
}

/** One V8 heap space before and after a diagnostic GC. Field names are part of the `gc` JSON-lines contract. */
export interface HeapSpaceDelta {
  /** V8's space name: new_space, old_space, code_space, large_object_space, … */
  name: string;
  usedBefore: number;
  usedAfter: number;
  availableBefore: number;
  availableAfter: number;
  /** Bytes reserved for the space (space_size). */
  sizeBefore: number;
  sizeAfter: number;
}
