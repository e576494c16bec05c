import { assignClasses, ClassTable } from './classes';
import { computeDistances } from './distances';
import { computeEssentialEdges, DominatorTree, essentialEdgeInput } from './dominators';
import { propagateDomState } from './domState';
import { HeapSnapshotAbortError } from './errors';
import { foldOwnedSizes } from './ownership';
import { sharedUint8 } from './sharedArrays';
import type { RawHeapSnapshot } from './rawSnapshot';
import { DominatorHelper, DominatorJob } from './parallelDominators';
import type { Retainers } from './retainers';
import { classRetainedSizes, classTotals, ClassAggregates } from './summary';
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

/** Runs every analysis phase in DevTools' order (folding sizes before dominators, as DevTools does); `helper`: a pre-started dominator thread. */
export async function analyzeHeap(
  raw: RawHeapSnapshot,
  onProgress?: (phase: HeapAnalysisPhase, fraction: number) => void,
  signal?: AbortSignal,
  helper?: DominatorHelper | null,
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
  // The helper thread starts on the retainers now and gets the other inputs as they become ready.
  const job = new DominatorJob(raw.nodeCount, raw.rootOrdinal, raw.firstEdge, raw.edgeTo, signal, helper);
  // Two node-sized scratch arrays shared by the phases below, so their temporaries do not pile up until a GC.
  const scratchA = new Uint32Array(raw.nodeCount);
  const scratchB = new Uint32Array(raw.nodeCount);
  // Essential edges here, while the helper builds the retainers (the two take about as long). They do not depend on
  // the DOM state (it renames nodes, never edges), so the helper gets them before that pass.
  const essentialBuffer = raw.edgeTo.buffer instanceof SharedArrayBuffer ? sharedUint8(raw.edgeCount) : undefined;
  job.provideEssentialEdges(computeEssentialEdges(essentialEdgeInput(raw, weakMapNames), essentialBuffer, scratchA));
  propagateDomState(raw);
  await step('retainers', 'helperInputs');
  const { distance, parentEdge } = computeDistances(raw, weakMapNames, scratchA);
  await step('distances', 'distances');
  const classes = assignClasses(raw, new Int32Array(scratchA.buffer));
  await step('classes', 'classes');
  foldOwnedSizes(raw, scratchA, scratchB);
  job.provideSelfSizes(raw.nodeSelfSize);
  const totals = classTotals(classes, raw.nodeSelfSize, distance);
  await step('dominators', 'foldSizes');
  const { firstRetainer, retainerNode, retainerEdge, ...tree } = await job.result();
  const retainers = { firstRetainer, retainerNode, retainerEdge };
  await step('dominators', 'waitForDominators');
  const aggregates = classRetainedSizes(totals, classes, raw.nodeSelfSize, tree, raw.rootOrdinal, scratchA, scratchB);
  await step('summary', 'summary');
  return { raw, retainers, tree, distance, parentEdge, classes, aggregates, timings };
}
