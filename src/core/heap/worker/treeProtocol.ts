/**
 * Worker methods behind the viewer's dominator tree, retainer tree (with DevTools' ignore/restore) and source links.
 * Part of the engine protocol (HeapEngineMethods extends it); kept apart so each view's methods read together.
 */
import type { DominatorTreeNode, IgnoredRetainers, NodeSourceLocation, RetainerTreeEdge } from '../treeTypes';
import type { Page, PageRequest, RetainerPathStep } from '../types';

export interface HeapTreeMethods {
  /** The node itself (default: the root) as a dominator-tree node; null when no node has that id. */
  dominatorNode: { params: { handle: number; nodeId?: number }; result: DominatorTreeNode | null };
  /** Dominator-tree children of a node (default: the root), by retained size descending. */
  dominatorTree: { params: { handle: number; nodeId?: number } & PageRequest; result: Page<DominatorTreeNode> };
  /** Retainers of a node, nearest to the roots first by the retainers view's distances (ignored nodes cut out). */
  retainerTree: { params: { handle: number; nodeId: number } & PageRequest; result: Page<RetainerTreeEdge> };
  /** The k shortest retainer paths from the roots, avoiding ignored nodes. */
  retainerTreePaths: {
    params: { handle: number; nodeId: number; maxPaths?: number };
    result: RetainerPathStep[][];
  };
  /** DevTools' ignoreNodeInRetainersView (ignore: true) / unignoreNodeInRetainersView (false). */
  ignoreRetainer: { params: { handle: number; nodeId: number; ignore: boolean }; result: IgnoredRetainers };
  /** DevTools' unignoreAllNodesInRetainersView. */
  unignoreAllRetainers: { params: { handle: number }; result: IgnoredRetainers };
  /** Where a node's function/class/constructor is defined; null when the snapshot records no location. */
  nodeSource: { params: { handle: number; nodeId: number }; result: NodeSourceLocation | null };
  /** Where a Summary class's constructor is defined (from its key); null for classes without a location. */
  classSource: { params: { handle: number; classKey: string }; result: NodeSourceLocation | null };
}
