import { assignClasses, ClassTable } from './classes';
import { computeDistances } from './distances';
import { buildDominatorTree, DominatorTree, essentialEdges } from './dominators';
import { propagateDomState } from './domState';
import { HeapSnapshotAbortError } from './errors';
import { foldOwnedSizes, markPageOwnedNodes } from './ownership';
import type { RawHeapSnapshot } from './rawSnapshot';
import { buildRetainers, Retainers } from './retainers';
import { aggregateClasses, ClassAggregates } from './summary';
import type { HeapAnalysisPhase } from './types';
import { WeakMapEdgeNames } from './weakMapEdges';

/** Everything derived from a parsed snapshot; all arrays are indexed by node ordinal. */
export interface HeapAnalysis {
  raw: RawHeapSnapshot;
  retainers: Retainers;
  tree: DominatorTree;
  distance: Int32Array;
  /** Edge by which the distance BFS first reached each node (0xffffffff = none): shortest retainer paths. */
  parentEdge: Uint32Array;
  classes: ClassTable;
  aggregates: ClassAggregates;
  /** Milliseconds per phase, for benchmarks and docs. */
  timings: Record<string, number>;
}

/** Runs every analysis phase in DevTools' order (folding sizes before dominators, as DevTools does). */
export async function analyzeHeap(
  raw: RawHeapSnapshot,
  onProgress?: (phase: HeapAnalysisPhase, fraction: number) => void,
  signal?: AbortSignal,
): Promise<HeapAnalysis> {
  const timings: Record<string, number> = {};
  let t = performance.now();
  // Between phases: report, let the event loop breathe, honour cancellation.
  const step = async (phase: HeapAnalysisPhase, name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - t);
    t = now;
    onProgress?.(phase, 1);
    await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted) throw new HeapSnapshotAbortError();
  };
  const weakMapNames = new WeakMapEdgeNames(raw.strings);
  const retainers = buildRetainers(raw);
  await step('retainers', 'retainers');
  propagateDomState(raw);
  const pageOwned = markPageOwnedNodes(raw);
  foldOwnedSizes(raw);
  const essential = essentialEdges(raw, pageOwned, weakMapNames);
  await step('dominators', 'flagsAndSizes');
  const tree = buildDominatorTree(raw, retainers, essential);
  await step('dominators', 'dominators');
  const { distance, parentEdge } = computeDistances(raw, weakMapNames);
  await step('distances', 'distances');
  const classes = assignClasses(raw);
  await step('classes', 'classes');
  const aggregates = aggregateClasses(classes, raw.nodeSelfSize, distance, tree, raw.rootOrdinal);
  await step('summary', 'summary');
  return { raw, retainers, tree, distance, parentEdge, classes, aggregates, timings };
}
