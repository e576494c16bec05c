/**
 * Engine methods of the worker protocol: the facade of src/core/heap (loadHeapSnapshot, the model's paged queries,
 * diffSnapshots, findLeaks) addressed through snapshot handles. Lists are always pages; see protocol.ts for the envelope.
 */
import type {
  ClassDiffRow,
  ClassSummaryRow,
  EdgeView,
  LeakGroup,
  NodeDetails,
  NodeSummary,
  Page,
  PageRequest,
  RetainerPathStep,
  SnapshotDiff,
  SnapshotStats,
} from '../types';
import type { ClassSortKey } from '../query/classQuery';
import type { GrowingObject } from '../query/growth';
import type { HeapStatistics } from '../query/statistics';
import type { SummaryViewMethods } from './summaryViewProtocol';
import type { HeapTreeMethods } from './treeProtocol';

/** A snapshot open in the worker. Handles die with the worker: after a restart, open the file again. */
export interface OpenedSnapshot extends SnapshotStats {
  handle: number;
  file: string;
  /** Worker time spent parsing and analysing. */
  loadMs: number;
}

/** `handle` plus paging. */
export interface HandlePage extends PageRequest {
  handle: number;
}

/** diffSnapshots with the class list paged. */
export interface SnapshotDiffPage extends Omit<SnapshotDiff, 'classes'> {
  classes: Page<ClassDiffRow>;
}

/** findLeaks with both lists paged (the same offset/limit applies to each). */
export interface LeakReportPage {
  leakedCount: number;
  leakedRetainedSize: number;
  byClass: Page<ClassSummaryRow>;
  groups: Page<LeakGroup>;
}

/** The engine's methods; the Summary's filters, duplicated strings and globals are in SummaryViewMethods, the tree views' in HeapTreeMethods. */
export interface HeapEngineMethods extends SummaryViewMethods, HeapTreeMethods {
  openSnapshot: { params: { path: string }; result: OpenedSnapshot };
  closeSnapshot: { params: { handle: number }; result: { closed: boolean } };
  /**
   * Class → count, self, retained, distance (DevTools' Summary), by retained size descending; optionally filtered by a
   * case-insensitive name substring and sorted by another column (the viewer's object-type tree).
   */
  classSummary: {
    params: HandlePage & { filter?: string; sort?: ClassSortKey; descending?: boolean };
    result: Page<ClassSummaryRow>;
  };
  /** Instances of one class (key from classSummary), by retained size descending. */
  classInstances: { params: HandlePage & { classKey: string }; result: Page<NodeSummary> };
  children: { params: HandlePage & { nodeId: number }; result: Page<EdgeView> };
  retainers: { params: HandlePage & { nodeId: number }; result: Page<EdgeView> };
  /** Dominator-tree children of a node (default: the root), by retained size descending. */
  dominators: { params: HandlePage & { nodeId?: number }; result: Page<NodeSummary> };
  retainerPaths: {
    params: { handle: number; nodeId: number; maxPaths?: number; maxDepth?: number };
    result: RetainerPathStep[][];
  };
  nodeDetails: { params: { handle: number; nodeId: number }; result: NodeDetails | null };
  /** DevTools' Statistics: where the heap's bytes go (code, strings, JS arrays, typed arrays, system). */
  statistics: { params: { handle: number }; result: HeapStatistics };
  diff: { params: PageRequest & { beforeHandle: number; afterHandle: number }; result: SnapshotDiffPage };
  /**
   * Objects that grew in every step of a series of snapshots of one process (oldest first, at least 3), ranked
   * by retained-size growth; `warnings` say why a series cannot be compared (other sessions, wrong order).
   */
  growing: {
    params: { handles: number[]; limit?: number };
    result: { rows: GrowingObject[]; warnings: string[] };
  };
  /** memlab's three-snapshot leak semantics. */
  leaks: {
    params: PageRequest & { baselineHandle: number; targetHandle: number; finalHandle: number };
    result: LeakReportPage;
  };
}
