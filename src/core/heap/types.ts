/** Plain, JSON-serialisable data returned by the heap snapshot engine (safe to send over worker RPC as is). */

/** Analysis phases reported through onProgress. */
export type HeapAnalysisPhase = 'parse' | 'retainers' | 'dominators' | 'distances' | 'classes' | 'summary';

/** Options for loadHeapSnapshot. */
export interface LoadOptions {
  /** fraction is 0…1 within the phase. */
  onProgress?: (phase: HeapAnalysisPhase, fraction: number) => void;
  signal?: AbortSignal;
  /**
   * Work to do while the analysis waits for its helper thread (time this thread would idle): 'statistics' (from
   * the folded sizes, computed then), 'duplicated-strings' (the index, begun in time slices; HeapSnapshotModel.
   * prepareInBackground carries it on, and the analysis worker finishes it before it reports the snapshot open).
   */
  whileWaiting?: ('statistics' | 'duplicated-strings')[];
}

/** One row of the class summary (DevTools' Summary view). */
export interface ClassSummaryRow {
  name: string;
  /** Stable across snapshots: ",Name" or "scriptId,line,column,Name" for classes with a constructor location. */
  key: string;
  count: number;
  selfSize: number;
  retainedSize: number;
  distance: number;
  /** The class has a constructor location (its key carries it): the viewer links it to its source line. */
  hasSource?: boolean;
}

/** Totals of a snapshot. */
export interface SnapshotStats {
  nodeCount: number;
  edgeCount: number;
  /** Sum of all self sizes. */
  totalSize: number;
  fileBytes: number;
  classCount: number;
  rootId: number;
}

/** A node as listed in tables. */
export interface NodeSummary {
  id: number;
  type: string;
  name: string;
  className: string;
  selfSize: number;
  retainedSize: number;
  /** Hops from the user roots; DevTools' 100000000+ for system-only, -5 for unreachable. */
  distance: number;
  /** The node has a script location (its function, class or constructor): the viewer links it to its source. */
  hasSource?: boolean;
}

/** Script position of a node's constructor/function (from the snapshot's `locations`). */
export interface NodeLocation {
  scriptId: number;
  line: number;
  column: number;
}

/** Everything about one node. */
export interface NodeDetails extends NodeSummary {
  classKey: string;
  edgeCount: number;
  retainerCount: number;
  /** Immediate dominator's id; null for the root. */
  dominatorId: number | null;
  location: NodeLocation | null;
}

/** An edge seen from one side: `node` is the target (children) or the source (retainers). */
export interface EdgeView {
  /** Property name, element index, or internal name, as text. */
  name: string;
  edgeType: string;
  node: NodeSummary;
}

/** A page of results. */
export interface Page<T> {
  total: number;
  offset: number;
  items: T[];
}

/** Paging parameters (limit defaults to 100, capped at 10000). */
export interface PageRequest {
  offset?: number;
  limit?: number;
}

/** One step of a retainer path: `edge` leads from the previous step's node to `node`. First step: a GC root. */
export interface RetainerPathStep {
  edge: { name: string; edgeType: string } | null;
  node: NodeSummary;
}

/** Per-class comparison of two snapshots (nodes matched by id). */
export interface ClassDiffRow {
  name: string;
  key: string;
  addedCount: number;
  removedCount: number;
  countDelta: number;
  addedSize: number;
  removedSize: number;
  sizeDelta: number;
  /** Counts and self sizes in the two snapshots (the base's plain objects named by the target's shapes, as compared). */
  countBefore: number;
  countAfter: number;
  sizeBefore: number;
  sizeAfter: number;
}

/** Result of diffSnapshots. */
export interface SnapshotDiff {
  before: SnapshotStats;
  after: SnapshotStats;
  addedCount: number;
  removedCount: number;
  addedSize: number;
  removedSize: number;
  /**
   * False when the snapshots come from different heap-profiler sessions (V8 reassigns ids): then new/deleted are
   * derived from class counts and sizes, and `warning` says so.
   */
  idsComparable: boolean;
  warning?: string;
  /** Classes with any change, by |sizeDelta| descending. */
  classes: ClassDiffRow[];
  /** Why the diff may be meaningless (snapshots of different processes, or given in the wrong order); empty if none. */
  warnings: string[];
}

/** A group of leaked objects: one class and one retainer path shape. */
export interface LeakGroup {
  name: string;
  key: string;
  count: number;
  /** Retained by the group's objects, not counting objects dominated by other leaked objects. */
  retainedSize: number;
  selfSize: number;
  /** Shortest retainer path of a representative, as "Class.edge → Class.edge → …" from the GC roots. */
  retainerPath: string[];
  sampleIds: number[];
}

/** Result of findLeaks (memlab's semantics: allocated after baseline, present in target, still alive in final). */
export interface LeakReport {
  leakedCount: number;
  leakedRetainedSize: number;
  /** Grouped by class. */
  byClass: ClassSummaryRow[];
  /** Grouped by class and retainer path, by retained size descending. */
  groups: LeakGroup[];
}
