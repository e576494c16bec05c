import type { ClassTable } from './classes';
import type { Dominators } from './dominators';

/** Per-class aggregates, indexed by class id. */
export interface ClassAggregates {
  count: Float64Array;
  selfSize: Float64Array;
  retainedSize: Float64Array;
  distance: Int32Array;
}

/**
 * DevTools' buildAggregates: counts, (folded) self sizes and minimum distances per class; nodes with self size 0 are
 * not counted. Retained sizes come from classRetainedSizes (they need the dominators; these do not).
 */
export function classTotals(classes: ClassTable, selfSize: Float64Array, distance: Int32Array): ClassAggregates {
  const classCount = classes.names.length;
  const { classOf } = classes;
  const count = new Float64Array(classCount);
  const self = new Float64Array(classCount);
  const minDistance = new Int32Array(classCount).fill(0x7fffffff);
  const nodeCount = classOf.length;
  for (let n = 0; n < nodeCount; n++) {
    const s = selfSize[n]!;
    if (!s) continue;
    const c = classOf[n]!;
    count[c]!++;
    self[c] += s;
    if (distance[n]! < minDistance[c]!) minDistance[c] = distance[n]!;
  }
  return { count, selfSize: self, retainedSize: new Float64Array(classCount), distance: minDistance };
}

/**
 * DevTools' calculateClassesRetainedSize (maxRet): per class, the retained sizes of its instances (self size > 0, root
 * excluded) that have no dominator-tree ancestor of the same class, so nested instances are not counted twice.
 * Instead of walking the tree with a stack, this numbers the dominator tree in preorder (subtrees are then
 * intervals): in that order, an instance is nested exactly when it falls inside the interval of the last counted
 * instance of its class. `retainedByPreorder` is indexed like doms.order. Uses doms.spare.first and .second.
 * Self-contained (no outer references): its source also runs in the analysis helper thread.
 */
export function classRetainedSizes(
  doms: Dominators, retainedByPreorder: Float64Array, selfSize: Float64Array, classOf: Uint32Array, classCount: number,
): Float64Array {
  const { order, idom } = doms;
  const n = order.length;
  const retained = new Float64Array(classCount);
  if (n === 0) return retained;
  // end[k]: first the size of k's subtree, then (once k is placed) the next free tree-preorder slot in k's interval,
  // finally the end of k's interval. byTreeOrder: tree-preorder slot → DFS preorder position.
  const end = doms.spare.first;
  const byTreeOrder = doms.spare.second;
  end.fill(1, 0, n);
  for (let k = n - 1; k > 0; k--) end[idom[k]!] += end[k]!;
  end[0] = 1;
  byTreeOrder[0] = 0;
  for (let k = 1; k < n; k++) {
    const p = idom[k]!;
    const slot = end[p]!;
    end[p] = slot + end[k]!;
    byTreeOrder[slot] = k;
    end[k] = slot + 1;
  }
  const openUntil = new Uint32Array(classCount);
  for (let slot = 1; slot < n; slot++) {
    const k = byTreeOrder[slot]!;
    const o = order[k]!;
    if (!selfSize[o]) continue;
    const c = classOf[o]!;
    if (slot < openUntil[c]!) continue;
    retained[c] += retainedByPreorder[k]!;
    openUntil[c] = end[k]!;
  }
  return retained;
}
