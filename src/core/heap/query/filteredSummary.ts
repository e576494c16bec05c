import type { HeapAnalysis } from '../analyze/analysis';
import type { ClassSummaryRow } from '../types';

/**
 * DevTools' aggregatesWithFilter: the Summary restricted to the nodes `mask` marks (self size > 0). A class's
 * retained size sums its marked instances that have no marked dominator-tree ancestor of the same class
 * (calculateClassesRetainedSize with a filter). Rows ordered like HeapSnapshotModel.classes().
 */
export function filteredClassSummary(analysis: HeapAnalysis, mask: Uint8Array): ClassSummaryRow[] {
  const { raw, classes, distance, tree } = analysis;
  const { classOf, names, keys } = classes;
  const self = raw.nodeSelfSize;
  const classCount = names.length;
  const count = new Float64Array(classCount);
  const selfSum = new Float64Array(classCount);
  const retainedSum = new Float64Array(classCount);
  const minDistance = new Int32Array(classCount).fill(0x7fffffff);
  for (let n = 0; n < raw.nodeCount; n++) {
    if (!mask[n] || !self[n]) continue;
    const c = classOf[n];
    count[c]++;
    selfSum[c] += self[n];
    if (distance[n] < minDistance[c]) minDistance[c] = distance[n]!;
  }
  // Preorder walk of the dominator tree with an explicit stack; open[c] > 0 while an ancestor of class c counted.
  const { firstDominated, dominated, retainedSize } = tree;
  const open = new Uint32Array(classCount);
  const stack = new Uint32Array(raw.nodeCount + 1);
  const exitAt: number[] = []; // stack heights at which a counted ancestor's subtree is finished
  const exitClass: number[] = [];
  let top = 0;
  stack[top++] = raw.rootOrdinal;
  while (top > 0) {
    const n = stack[--top];
    const c = classOf[n];
    const from = firstDominated[n];
    const to = firstDominated[n + 1];
    if (!open[c] && mask[n] && self[n]) {
      retainedSum[c] += retainedSize[n];
      if (from !== to) {
        open[c]++;
        exitAt.push(top);
        exitClass.push(c);
      }
    }
    for (let i = from; i < to; i++) stack[top++] = dominated[i];
    while (exitAt.length && exitAt[exitAt.length - 1] === top) {
      exitAt.pop();
      open[exitClass.pop()!]--;
    }
  }
  const rows: ClassSummaryRow[] = [];
  for (let c = 0; c < classCount; c++) {
    if (!count[c]) continue;
    rows.push({
      name: names[c],
      key: keys[c],
      count: count[c],
      selfSize: selfSum[c],
      retainedSize: retainedSum[c],
      distance: minDistance[c],
    });
  }
  rows.sort((x, y) => y.retainedSize - x.retainedSize || y.selfSize - x.selfSize || (x.key < y.key ? -1 : 1));
  return rows;
}
