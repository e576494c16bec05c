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
 * not counted. Retained sizes come from retainedSizes (they need the dominators; these do not).
 */
export function classTotals(classes: ClassTable, selfSize: Float64Array, distance: Int32Array): ClassAggregates {
  const classCount = classes.names.length;
  const { classOf } = classes;
  const count = new Float64Array(classCount);
  const self = new Float64Array(classCount);
  const minDistance = new Int32Array(classCount).fill(0x7fffffff);
  const nodeCount = classOf.length;
  for (let n = 0; n < nodeCount; n++) {
    const s = selfSize[n];
    if (!s) continue;
    const c = classOf[n];
    count[c]++;
    self[c] += s;
    if (distance[n] < minDistance[c]) minDistance[c] = distance[n]!;
  }
  return { count, selfSize: self, retainedSize: new Float64Array(classCount), distance: minDistance };
}

/**
 * Retained sizes per node (self sizes summed up the dominator tree; by DFS preorder position, see byOrdinal) and
 * DevTools' calculateClassesRetainedSize (maxRet) per class: the retained sizes of a class's instances (self size > 0,
 * root excluded) that have no dominator-tree ancestor of the same class, so nested instances are not counted twice. Everything runs over DFS-preorder positions
 * (doms.order), where a node's dominator comes first: one gather of sizes and classes, then sequential passes. For
 * maxRet, the dominator tree is numbered in preorder (subtrees become intervals): in that order an instance is
 * nested exactly when it falls inside the interval of the last counted instance of its class, so no stack walk.
 * Uses doms.spare; `gathered`: the first step's result if another thread did it (gatherPreorderSizes). Self-contained
 * (no outer references): its source also runs in the analysis helper thread.
 */
export function retainedSizes(
  doms: Dominators,
  selfSize: Float64Array,
  classOf: Uint32Array,
  classCount: number,
  gathered?: PreorderSizes,
): { byPreorder: Float64Array; classRetained: Float64Array } {
  const { order, idom } = doms;
  const n = order.length;
  const NONE = 0xffffffff;
  const sizes = gathered ? gathered.sizes : doms.spare.sizes; // retained size by preorder position
  const classAt = gathered ? gathered.classAt : doms.spare.first; // class by preorder position, NONE for self size 0
  const end = doms.spare.second; // subtree size, then the end of the subtree's interval in tree preorder
  const byTreeOrder = doms.spare.third; // tree-preorder slot → DFS preorder position
  if (gathered) end.fill(1, 0, n);
  else {
    for (let k = 0; k < n; k++) {
      const o = order[k];
      const s = selfSize[o];
      sizes[k] = s;
      classAt[k] = s ? classOf[o] : NONE;
      end[k] = 1;
    }
  }
  for (let k = n - 1; k > 0; k--) {
    const d = idom[k];
    sizes[d] += sizes[k];
    end[d] += end[k];
  }
  // Tree preorder with children in DFS order: each node takes the next free slot of its dominator's interval.
  if (n) {
    end[0] = 1;
    byTreeOrder[0] = 0;
  }
  for (let k = 1; k < n; k++) {
    const d = idom[k];
    const slot = end[d];
    end[d] = slot + end[k];
    byTreeOrder[slot] = k;
    end[k] = slot + 1;
  }
  const classRetained = new Float64Array(classCount);
  const openUntil = new Uint32Array(classCount);
  for (let slot = 1; slot < n; slot++) {
    const k = byTreeOrder[slot];
    const c = classAt[k];
    if (c === NONE || slot < openUntil[c]) continue;
    classRetained[c] += sizes[k];
    openUntil[c] = end[k]!;
  }
  return { byPreorder: sizes, classRetained };
}

/** Self sizes and classes (0xffffffff for self size 0) listed in DFS preorder: retainedSizes' first step. */
export interface PreorderSizes {
  sizes: Float64Array;
  classAt: Uint32Array;
}

/** retainedSizes' first step, for another thread to take over (self-contained). */
export function gatherPreorderSizes(
  order: Uint32Array,
  selfSize: Float64Array,
  classOf: Uint32Array,
  out: PreorderSizes,
): PreorderSizes {
  const { sizes, classAt } = out;
  for (let k = 0; k < order.length; k++) {
    const o = order[k];
    const s = selfSize[o];
    sizes[k] = s;
    classAt[k] = s ? classOf[o] : 0xffffffff;
  }
  return out;
}

/** Per-node values listed in DFS preorder (retainedSizes' byPreorder), by node ordinal; self-contained. */
export function byOrdinal(
  order: Uint32Array,
  byPreorder: Float64Array,
  out = new Float64Array(order.length),
): Float64Array {
  for (let k = 0; k < order.length; k++) out[order[k]] = byPreorder[k]!;
  return out;
}
