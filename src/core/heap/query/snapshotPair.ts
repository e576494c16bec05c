import type { HeapSnapshotModel } from './model';

/** Ids with the same class in two snapshots of one process; more mismatches than this share means two processes. */
const MAX_SAME_PROCESS_MISMATCH = 0.02;
const MIN_MISMATCHES = 20;

/**
 * Warnings when two snapshots cannot be diffed meaningfully, each saying how it can tell. V8 gives each heap object
 * an odd id that never changes and grows with allocation (embedder objects get even, address-derived ids: ignored):
 * - a later snapshot's newest id is never below an earlier one's, so `after` with an older newest id is swapped;
 * - in one process an id always names the same object, so ids present in both with different classes mean the
 *   snapshots come from different processes (ids are per process and coincide by chance).
 */
export function snapshotPairWarnings(before: HeapSnapshotModel, after: HeapSnapshotModel): string[] {
  const warnings: string[] = [];
  const a = before.analysis.raw;
  const b = after.analysis.raw;
  const orderA = before.idOrder();
  const orderB = after.idOrder();
  let maxA = -1;
  let maxB = -1;
  for (let i = orderA.length - 1; i >= 0 && maxA < 0; i--)
    if (a.nodeId[orderA[i]] % 2 === 1) maxA = a.nodeId[orderA[i]];
  for (let i = orderB.length - 1; i >= 0 && maxB < 0; i--)
    if (b.nodeId[orderB[i]] % 2 === 1) maxB = b.nodeId[orderB[i]];
  let common = 0;
  let mismatched = 0;
  let j = 0;
  for (let i = 0; i < orderA.length; i++) {
    const na = orderA[i];
    const id = a.nodeId[na];
    while (j < orderB.length && b.nodeId[orderB[j]] < id) j++;
    if (j >= orderB.length) break;
    const nb = orderB[j];
    if (b.nodeId[nb] !== id || id % 2 === 0 || !a.nodeSelfSize[na]) continue;
    common++;
    if (
      a.layout.nodeTypes[a.nodeType[na]] !== b.layout.nodeTypes[b.nodeType[nb]] ||
      a.strings.get(a.nodeName[na]) !== b.strings.get(b.nodeName[nb])
    )
      mismatched++;
  }
  if (mismatched >= MIN_MISMATCHES && mismatched > MAX_SAME_PROCESS_MISMATCH * common) {
    const pct = ((100 * mismatched) / common).toFixed(1);
    warnings.push(
      `the snapshots look like they come from different processes, or from separate inspector sessions of one process (V8 renumbers its objects when a session ends; take them with one memmon snapshot --count command): ${mismatched} of ${common} objects with the same id (${pct} %) have a different name or type; their object ids cannot be matched`,
    );
  } else if (maxA >= 0 && maxB >= 0 && maxB < maxA) {
    warnings.push(
      `the snapshots look swapped: the newest object id in the second (@${maxB}) is older than in the first (@${maxA}), and V8 numbers objects in allocation order; give the earlier snapshot first`,
    );
  }
  return warnings;
}
