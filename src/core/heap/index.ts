/**
 * Public facade of the heap snapshot engine. Plain data in and out, so the analysis worker can expose it 1:1 over RPC.
 *
 *   const model = await loadHeapSnapshot('app.heapsnapshot', { onProgress, signal });
 *   model.classes(); model.classInstances(key, { offset, limit }); model.children(id); model.retainers(id);
 *   model.dominatedChildren(); model.retainerPaths(id); model.nodeDetails(id);
 *   diffSnapshots(before, after); findLeaks(baseline, target, final);
 */
import { analyzeHeap } from './analysis';
import { HeapSnapshotModel } from './model';
import { HeapSnapshotParser } from './parser';
import type { LoadOptions } from './types';

export { HeapSnapshotError, HeapSnapshotAbortError } from './errors';
export { HeapSnapshotModel } from './model';
export { HeapSnapshotParser } from './parser';
export { diffSnapshots, findLeaks } from './compare';
export type * from './types';

/** Reads, parses and analyses a .heapsnapshot file (any size); rejects with HeapSnapshotError on bad input. */
export async function loadHeapSnapshot(path: string, options: LoadOptions = {}): Promise<HeapSnapshotModel> {
  const raw = await HeapSnapshotParser.parseFile(path, {
    signal: options.signal,
    onProgress: (f) => options.onProgress?.('parse', f),
  });
  const analysis = await analyzeHeap(raw, options.onProgress, options.signal);
  return new HeapSnapshotModel(analysis);
}

/** Same as loadHeapSnapshot, for a snapshot already in memory. */
export async function loadHeapSnapshotFromBuffer(buf: Buffer, options: LoadOptions = {}): Promise<HeapSnapshotModel> {
  const raw = HeapSnapshotParser.parseBuffer(buf);
  return new HeapSnapshotModel(await analyzeHeap(raw, options.onProgress, options.signal));
}
