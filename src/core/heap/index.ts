/**
 * Public facade of the heap snapshot engine. Plain data in and out, so the analysis worker can expose it 1:1 over RPC.
 *
 *   const model = await loadHeapSnapshot('app.heapsnapshot', { onProgress, signal });
 *   model.classes(); model.classInstances(key, { offset, limit }); model.children(id); model.retainers(id);
 *   model.dominatedChildren(); model.retainerPaths(id); model.nodeDetails(id);
 *   diffSnapshots(before, after); findLeaks(baseline, target, final);
 */
import { analyzeHeap } from './analyze/analysis';
import { HeapSnapshotModel } from './query/model';
import { startDominatorHelper } from './analyze/parallelDominators';
import { describeHelperThreads, helperThreadCounts } from './helperThreads';
import { parseSnapshotFile } from './parse/snapshotFile';
import { indexDuplicateStrings } from './query/duplicateStrings';
import { statisticsParts } from './query/statistics';
import type { LoadOptions } from './types';

export { HeapSnapshotError, HeapSnapshotAbortError } from './errors';
export { helperThreadCounts } from './helperThreads';
export type { HelperThreadCounts } from './helperThreads';
export { HeapSnapshotModel } from './query/model';
export { HeapSnapshotParser } from './parse/parser';
export { convertJscSnapshot, isJscHeapSnapshot, v8SnapshotBytes } from './parse/jscSnapshot';
export type { JscHeapSnapshot } from './parse/jscSnapshot';
export { diffSnapshots, findLeaks, presentIn } from './query/compare';
export type * from './types';
export type { HeapStatistics } from './query/statistics';
export type { DuplicateStringGroup } from './query/duplicateStrings';
export { NAMED_FILTERS, isNamedFilter } from './query/namedFilters';
export type { NamedFilter } from './query/namedFilters';
export { NODE_FILTERS, isNodeFilter } from './query/nodeFilters';
export type { NodeFilter } from './query/nodeFilters';
export { idStability } from './query/sameSession';
export type { GlobalVariable } from './query/globals';
export { FilteredSummaries, SUMMARY_FILTERS, isSummaryFilter, needsOtherSnapshot } from './query/summaryFilters';
export type { SummaryFilter } from './query/summaryFilters';
export type { IdStability } from './query/sameSession';

/**
 * Reads, parses and analyses a .heapsnapshot file (any size) or a JavaScriptCore snapshot (Bun's, converted); rejects
 * with HeapSnapshotError on bad input.
 */
export async function loadHeapSnapshot(path: string, options: LoadOptions = {}): Promise<HeapSnapshotModel> {
  const started = performance.now();
  const threadsBefore = helperThreadCounts();
  // The dominator helper thread boots while the file is parsed.
  const helper = startDominatorHelper();
  let raw;
  try {
    raw = await parseSnapshotFile(path, {
      signal: options.signal,
      onProgress: (f) => options.onProgress?.('parse', f),
    });
  } catch (err) {
    void helper?.worker.terminate();
    throw err;
  }
  const parsed = performance.now();
  let failed = false;
  const parsedRaw = raw;
  const work = options.whileWaiting ?? [];
  const whileWaiting = work.length
    ? () => {
        if (work.includes('duplicated-strings'))
          void indexDuplicateStrings(parsedRaw, () => !failed && !options.signal?.aborted);
        if (work.includes('statistics')) statisticsParts(parsedRaw);
      }
    : undefined;
  let analysis;
  try {
    analysis = await analyzeHeap(raw, options.onProgress, options.signal, helper, whileWaiting);
  } catch (err) {
    failed = true;
    throw err;
  }
  const analysed = performance.now();
  const model = new HeapSnapshotModel(analysis);
  if (process.env.MEMMON_HEAP_TIMINGS) {
    // Phase timer for performance work: ms since process start, then per phase.
    const t = {
      processStartToLoad: started,
      parse: parsed - started,
      ...analysis.timings,
      model: performance.now() - analysed,
    };
    process.stderr.write(
      `memmon heap timings (ms): ${Object.entries(t)
        .map(([k, v]) => `${k}=${Math.round(v)}`)
        .join(' ')}\nmemmon heap threads: ${describeHelperThreads(threadsBefore, helperThreadCounts())}\n`,
    );
  }
  return model;
}
