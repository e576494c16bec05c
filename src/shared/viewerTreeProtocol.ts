// The snapshot viewer's dominator tree, retainer tree and source links: requests added to ViewerMethods.
// Names in these rows come from the debuggee's heap: render them as text only.

import type { DominatorTreeNode, IgnoredRetainers, RetainerTreeEdge } from '../core/heap/treeTypes';
import type { Page, RetainerPathStep } from '../core/heap/types';

/** A dominator-tree node (retained size, how many it dominates directly, whether it has a script location). */
export type DominatorNodeView = DominatorTreeNode;
/** A retainer in the retainer tree, with the retainers-view distance and whether it is ignored. */
export type RetainerTreeEdgeView = RetainerTreeEdge;
/** The ignored retainers after a change, and the milliseconds the distance recomputation took. */
export type IgnoredRetainersView = IgnoredRetainers;

/** Where "Go to source" went: the file and 1-based line opened, and the generated position when source-mapped. */
export interface OpenedSourceView {
  file: string;
  line: number;
  generated?: { file: string; line: number };
}

interface PageParams {
  offset: number;
  limit: number;
}

export interface ViewerTreeMethods {
  /** A node (null: the root) as a dominator-tree node; null when the id is not in the snapshot (search by @id). */
  dominatorNode: { params: { nodeId: number | null }; result: DominatorNodeView | null };
  /** Dominator-tree children of a node (null: the root), largest retained size first. */
  dominatorTree: { params: PageParams & { nodeId: number | null }; result: Page<DominatorNodeView> };
  /** Retainers of a node, nearest to the roots first (ignored retainers last). */
  retainerTree: { params: PageParams & { nodeId: number }; result: Page<RetainerTreeEdgeView> };
  /** The k shortest retainer paths from the GC roots, avoiding ignored retainers. */
  retainerPaths: { params: { nodeId: number; maxPaths: number }; result: RetainerPathStep[][] };
  /** Ignores a retainer (ignore: true) or restores it; distances are recomputed as DevTools does. */
  ignoreRetainer: { params: { nodeId: number; ignore: boolean }; result: IgnoredRetainersView };
  /** Restores every ignored retainer. */
  unignoreAllRetainers: { params: Record<string, never>; result: IgnoredRetainersView };
  /** Opens the script line of a node's function, class or constructor in the editor, source-mapped. */
  openSource: { params: { nodeId: number }; result: OpenedSourceView };
  /** Opens the constructor line of a Summary class (by key), source-mapped. */
  openClassSource: { params: { classKey: string }; result: OpenedSourceView };
}

const isInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isPage = (p: Record<string, unknown>) => isInt(p.offset) && isInt(p.limit) && p.limit <= 1000;

/** Checks each tree method's params (webviews are not trusted blindly). */
export const VIEWER_TREE_PARAMS: { [M in keyof ViewerTreeMethods]: (p: Record<string, unknown>) => boolean } = {
  dominatorNode: (p) => p.nodeId === null || isInt(p.nodeId),
  dominatorTree: (p) => (p.nodeId === null || isInt(p.nodeId)) && isPage(p),
  retainerTree: (p) => isInt(p.nodeId) && isPage(p),
  retainerPaths: (p) => isInt(p.nodeId) && isInt(p.maxPaths) && p.maxPaths >= 1 && p.maxPaths <= 20,
  ignoreRetainer: (p) => isInt(p.nodeId) && typeof p.ignore === 'boolean',
  unignoreAllRetainers: () => true,
  openSource: (p) => isInt(p.nodeId),
  openClassSource: (p) => typeof p.classKey === 'string' && p.classKey.length <= 10_000,
};
