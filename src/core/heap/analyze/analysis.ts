import { assignClasses, ClassTable } from './classes';
import { computeDistances } from './distances';
import type { DominatorTree } from './dominators';
import { propagateDomAttachment } from './domAttachment';
import { HeapSnapshotAbortError } from '../errors';
import { essentialEdgeGraph } from './essentialEdges';
import { foldOwnedSizes } from './ownership';
import { seedScratchArena } from '../scratchArena';
import { sharedUint32 } from '../sharedArrays';
import type { RawHeapSnapshot } from '../rawSnapshot';
import { DominatorHelper, DominatorJob } from './parallelDominators';
import type { Retainers } from './retainers';
import { classTotals, ClassAggregates } from './summary';
import type { HeapAnalysisPhase } from '../types';
import { WeakMapEdgeNames } from './weakMapEdges';

/** Everything derived from a parsed snapshot; all arrays are indexed by node ordinal. */
export interface HeapAnalysis {
  raw: RawHeapSnapshot;
  /** Built after the summary (in the background when a helper thread runs): first use may wait for them. */
  retainers: Retainers;
  /** Built after the summary, like the retainers (dominator and retainedSize within milliseconds of it). */
  tree: DominatorTree;
  distance: Int32Array;
  /** Edge by which the distance BFS first reached each node (0xffffffff = none): shortest retainer paths. */
  parentEdge: Uint32Array;
  classes: ClassTable;
  aggregates: ClassAggregates;
  /** Milliseconds per phase, for benchmarks and docs. */
  timings: Record<string, number>;
}

/**
 * Runs every analysis phase with DevTools' semantics; `helper`: a pre-started dominator thread. The helper computes
 * page-owned marks, essential edges, dominators and retained sizes while this thread computes distances, classes and
 * folded sizes (and then lists sizes and classes in the helper's DFS order, which the helper needs next). The
 * summary needs only the per-class retained sizes; the by-ordinal dominator and retained-size arrays, the retainers
 * and the dominator-tree children lists follow in the background (first use waits for them or builds them here).
 * `whileWaiting`: called when this thread is about to wait for the helper, to start work in time slices meanwhile.
 */
export async function analyzeHeap(
  raw: RawHeapSnapshot,
  onProgress?: (phase: HeapAnalysisPhase, fraction: number) => void,
  signal?: AbortSignal,
  helper?: DominatorHelper | null,
  whileWaiting?: () => void,
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
  // The helper thread starts on the dominators now and gets the sizes and classes when they are ready.
  const job = new DominatorJob(
    essentialEdgeGraph(raw),
    weakMapNames.tableIds(),
    weakMapNames.tableIdList(),
    signal,
    helper,
  );
  // Scratch memory shared by the phases below, so their temporaries do not pile up until a GC: two node-sized
  // Uint32 arrays, later (shared with the helper) the sizes and classes in the helper's DFS order.
  const n = raw.nodeCount;
  const shared = raw.edgeTo.buffer instanceof SharedArrayBuffer;
  const scratch = shared ? new SharedArrayBuffer(12 * n) : new ArrayBuffer(8 * n);
  const scratchA = new Uint32Array(scratch, 0, n);
  const scratchB = new Uint32Array(scratch, 4 * n, n);
  // DOM state renames nodes, never edges: the essential edges do not depend on it.
  propagateDomAttachment(raw);
  await step('retainers', 'helperInputs');
  const { distance, parentEdge } = computeDistances(raw, weakMapNames, scratchA);
  await step('distances', 'distances');
  const classes = assignClasses(raw, new Int32Array(scratch, 0, n), shared ? sharedUint32(n) : undefined);
  await step('classes', 'classes');
  foldOwnedSizes(raw, scratchA, scratchB);
  const preorderSpace = shared
    ? { sizes: new Float64Array(scratch, 0, n), classAt: new Uint32Array(scratch, 8 * n, n) }
    : undefined;
  job.provideSizesAndClasses(raw.nodeSelfSize, classes.classOf, classes.names.length, preorderSpace);
  const aggregates = classTotals(classes, raw.nodeSelfSize, distance);
  await step('dominators', 'foldSizes');
  // This thread would idle until the helper is done (0.4 s on a 1 GB snapshot): background work can start now.
  whileWaiting?.();
  aggregates.retainedSize = await job.result();
  await step('dominators', 'waitForDominators');
  // The by-ordinal views follow the summary (the helper fills them meanwhile): first use may wait for them.
  const tree: DominatorTree = {
    get dominator() {
      return job.ordinalTree().dominator;
    },
    get retainedSize() {
      return job.ordinalTree().retainedSize;
    },
    get firstDominated() {
      return job.deferred().firstDominated;
    },
    get dominated() {
      return job.deferred().dominated;
    },
  };
  await step('summary', 'summary');
  // The scratch space, paged in by now, serves queries on the open snapshot (once the helper is done with its part).
  seedScratchArena(raw, () => (!preorderSpace || job.preorderSpaceReleased() ? scratch : null));
  return {
    raw,
    tree,
    distance,
    parentEdge,
    classes,
    aggregates,
    timings,
    get retainers() {
      const { firstRetainer, retainerNode, retainerEdge } = job.deferred();
      return { firstRetainer, retainerNode, retainerEdge };
    },
  };
}
