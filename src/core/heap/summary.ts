import type { ClassTable } from './classes';
import type { DominatorTree } from './dominators';

/** Per-class aggregates, indexed by class id. */
export interface ClassAggregates {
  count: Float64Array;
  selfSize: Float64Array;
  retainedSize: Float64Array;
  distance: Int32Array;
}

/**
 * DevTools' buildAggregates + calculateClassesRetainedSize: nodes with (folded) self size 0 are not counted; distance
 * is the class minimum; retained size is maxRet, i.e. the sum over instances that have no dominator-tree ancestor of
 * the same class, so nested instances are not counted twice.
 */
export function aggregateClasses(
  classes: ClassTable, selfSize: Float64Array, distance: Int32Array, tree: DominatorTree, rootOrdinal: number,
  stack = new Uint32Array(classes.classOf.length), cursor = new Uint32Array(classes.classOf.length),
): ClassAggregates {
  return classRetainedSizes(classTotals(classes, selfSize, distance), classes, selfSize, tree, rootOrdinal, stack, cursor);
}

/** Counts, self sizes and minimum distances per class (no dominators needed: runs while the helper computes them). */
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

/** Fills `totals.retainedSize` with maxRet per class from the dominator tree; returns `totals`. */
export function classRetainedSizes(
  totals: ClassAggregates, classes: ClassTable, selfSize: Float64Array, tree: DominatorTree, rootOrdinal: number,
  stack = new Uint32Array(classes.classOf.length), cursor = new Uint32Array(classes.classOf.length),
): ClassAggregates {
  const classCount = classes.names.length;
  const { classOf } = classes;
  const nodeCount = classOf.length;
  const retained = totals.retainedSize;
  // Iterative pre/post-order walk of the dominator tree; open[c] > 0 while inside a counted instance of class c.
  const { firstDominated, dominated, retainedSize } = tree;
  const open = new Uint32Array(classCount);
  const counted = new Uint8Array(nodeCount);
  let top = 0;
  stack[0] = rootOrdinal;
  cursor[0] = firstDominated[rootOrdinal]!;
  top = 1;
  while (top) {
    const level = top - 1;
    const node = stack[level]!;
    const next = cursor[level]!;
    if (next < firstDominated[node + 1]!) {
      cursor[level] = next + 1;
      const child = dominated[next]!;
      const c = classOf[child]!;
      if (selfSize[child] && open[c] === 0) {
        retained[c] += retainedSize[child]!;
        open[c] = 1;
        counted[child] = 1;
      }
      stack[top] = child;
      cursor[top] = firstDominated[child]!;
      top++;
    } else {
      if (counted[node]) {
        open[classOf[node]!] = 0;
        counted[node] = 0;
      }
      top--;
    }
  }
  return totals;
}
