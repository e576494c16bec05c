// Row types of the dominator tree, the retainer tree and source locations (plain data, no code: the webview
// type-checks against them too).
import type { EdgeView, NodeSummary } from './types';

/** A dominator-tree node: its row, how many nodes it dominates directly, and whether it has a script location. */
export interface DominatorTreeNode extends NodeSummary {
  dominatedCount: number;
  hasSource: boolean;
}

/** A retainer as the retainer tree lists it: the edge, its source node, and the retainers-view distance. */
export interface RetainerTreeEdge extends EdgeView {
  /** DevTools' getDistanceForRetainersView: hops from the roots with the ignored nodes cut out. */
  viewDistance: number;
  /** The source node is ignored (the user cut it out of the retainers view). */
  ignored: boolean;
  /** The source node has a script location (its function, class or constructor). */
  hasSource: boolean;
}

/** The ignored retainers after a change, and how long recomputing the distances took. */
export interface IgnoredRetainers {
  ignoredIds: number[];
  recomputeMs: number;
  /** Whether every distance was recomputed (DevTools' BFS), not only the nodes the change could move. */
  recomputedAll: boolean;
}

/** Where a node's function, class or constructor is defined, as the snapshot's `locations` give it. */
export interface NodeSourceLocation {
  scriptId: number;
  /** The script's name (a path or URL) from the snapshot's Script objects; null when no closure of it names it. */
  scriptName: string | null;
  /** 0-based, as V8 records them. */
  line: number;
  column: number;
}
