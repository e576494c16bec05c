import { Worker } from 'node:worker_threads';
import { computeDominators, dominatedLists, dominatorsByOrdinal } from './dominators';
import { HeapSnapshotAbortError } from '../errors';
import { noteHelperFallback, noteHelperRan } from '../helperThreads';
import { describeError, logDebug } from '../../log';
import type { EssentialEdgeGraph } from './essentialEdges';
import { buildRetainers, Retainers } from './retainers';
import { byOrdinal, gatherPreorderSizes, PreorderSizes, retainedSizes } from './summary';

/** Immediate dominators and retained sizes by node ordinal. */
export interface OrdinalTree {
  dominator: Uint32Array;
  retainedSize: Float64Array;
}

/** Parts only the UI's queries need (retainer lists, dominator-tree children): built after the summary. */
export interface DeferredTreeParts extends Retainers {
  firstDominated: Uint32Array;
  dominated: Uint32Array;
}

/** The helper's first answer: maxRet per class, and the by-ordinal arrays it fills next (`ready[0]`: 1 when done, 2 failed). */
interface HelperResult extends OrdinalTree {
  classRetained: Float64Array;
  ready: Int32Array;
  /** The helper's phase timings line, when MEMMON_HEAP_TIMINGS is set. */
  timings: string;
}

/** How long ordinalTree() waits for the helper before redoing the work here (it normally waits a few ms). */
const HELPER_WAIT_MS = 10_000;

/**
 * Dominators, retained sizes and per-class maxRet on a helper thread, while the calling thread computes distances,
 * class names and folded sizes (DevTools also splits its work over two workers). The helper starts on the dominators
 * as soon as it has the graph and the WeakMap table ids, and takes the folded sizes and classes for the sizes. It
 * answers with the per-class retained sizes (all the class summary needs), then fills the by-ordinal dominator and
 * retained-size arrays (shared memory: ordinalTree() waits for them with Atomics) and builds the retainers and
 * dominator-tree children lists in the background (deferred()). Inputs live in SharedArrayBuffers (nothing copied).
 * The helper's code is the self-contained functions' own source, so no separate bundle is needed. Without shared
 * memory, or when a thread cannot be started, the same steps run on the calling thread.
 */
export class DominatorJob {
  private worker: Worker | null = null;
  private sizes: { selfSize: Float64Array; classOf: Uint32Array; classCount: number } | null = null;
  private helperResult: HelperResult | null = null;
  /** The helper's DFS preorder, once it has sent it (shared memory). */
  private order: Uint32Array | null = null;
  private tree: OrdinalTree | null = null;
  private helperFilledTree = false;
  private deferredParts: DeferredTreeParts | null = null;
  /** Resolves to null when the helper failed (then the work is redone on this thread). */
  private readonly done: Promise<HelperResult | null>;

  /**
   * `tableIdOfName`: the WeakMap table id of each string (WeakMapEdgeNames.tableIds), `tableIdList` their distinct
   * values (tableIdList); the helper starts at once.
   */
  constructor(
    private readonly graph: EssentialEdgeGraph,
    private readonly tableIdOfName: Float64Array,
    private readonly tableIdList?: Float64Array,
    signal?: AbortSignal,
    helper?: DominatorHelper | null,
  ) {
    const shared = [graph.firstEdge, graph.edgeTo, graph.edgeType, graph.edgeName, graph.nodeId].every(
      (a) => a.buffer instanceof SharedArrayBuffer,
    );
    if (shared) {
      this.worker = helper && !helper.failed ? helper.worker : (startDominatorHelper()?.worker ?? null);
      if (!this.worker) noteHelperFallback('dominatorThread', 'no thread could be started');
    } else if (helper) void helper.worker.terminate();
    // tableIdOfName is copied (~3 MB), so that it stays usable here for a fallback.
    this.worker?.postMessage({ graph, tableIdOfName, tableIdList });
    const worker = this.worker;
    this.done = !worker
      ? Promise.resolve(null)
      : new Promise((resolve, reject) => {
          let answered = false;
          const onAbort = () => {
            void worker.terminate();
            reject(new HeapSnapshotAbortError());
          };
          signal?.addEventListener('abort', onAbort, { once: true });
          // Messages: the DFS preorder, then the result, then the deferred parts.
          worker.on('message', (m: { order: Uint32Array } | HelperResult | DeferredTreeParts) => {
            if ('order' in m) {
              if (!this.sizes) this.order = m.order; // too late otherwise: the helper lists the sizes itself
            } else if ('classRetained' in m) {
              answered = true;
              signal?.removeEventListener('abort', onAbort);
              // The helper goes on with the deferred parts; it must not keep the process alive for them.
              worker.unref();
              if (m.timings) process.stderr.write(`${m.timings}\n`);
              resolve(m);
            } else {
              this.deferredParts ??= m;
              void worker.terminate();
            }
          });
          worker.once('error', (err) => {
            signal?.removeEventListener('abort', onAbort);
            // Out of memory or similar on the helper thread: the work is redone here, where errors surface.
            if (!answered) noteHelperFallback('dominatorThread', `it failed: ${describeError(err)}`);
            else logDebug(`heap analysis: the dominator thread failed after its result: ${describeError(err)}`);
            this.worker = null;
            resolve(null);
          });
        });
    // Rejects only on abort, which result() reports; unawaited when the job is dropped before that.
    this.done.catch(() => undefined);
  }

  /**
   * Hands over the folded self sizes and each node's class (shared memory); the helper then finishes the result.
   * When the helper's DFS order has arrived, they are first listed in that order here (the helper's next step, done
   * by this otherwise idle thread), into `space` (shared memory).
   */
  provideSizesAndClasses(
    selfSize: Float64Array,
    classOf: Uint32Array,
    classCount: number,
    space?: PreorderSizes,
  ): void {
    this.sizes = { selfSize, classOf, classCount };
    if (this.worker && selfSize.buffer instanceof SharedArrayBuffer && classOf.buffer instanceof SharedArrayBuffer) {
      const gathered = this.order && space ? gatherPreorderSizes(this.order, selfSize, classOf, space) : undefined;
      this.order = null;
      this.worker.postMessage({ ...this.sizes, gathered });
    } else if (this.worker) {
      noteHelperFallback('dominatorThread', 'the sizes and classes are not in shared memory');
      this.dropWorker();
    }
  }

  /** True once the helper's DFS order has arrived (and the sizes are not yet provided). */
  get hasHelperOrder(): boolean {
    return this.order !== null;
  }

  /**
   * Whether the helper is done with the preorder space it was given (provideSizesAndClasses): it fills the by-ordinal
   * arrays from it, so only once it has. Waits for them like ordinalTree(). False when the helper failed (a thread
   * being terminated may still write).
   */
  preorderSpaceReleased(): boolean {
    this.ordinalTree();
    return this.helperFilledTree;
  }

  /** True once the helper's retainers and dominator-tree children have arrived. */
  get hasHelperDeferredParts(): boolean {
    return this.deferredParts !== null;
  }

  /** Retained size per class, DevTools' maxRet (call after both inputs were provided). */
  async result(): Promise<Float64Array> {
    this.helperResult = this.worker ? await this.done : null;
    if (this.helperResult) noteHelperRan('dominatorThread');
    return this.helperResult ? this.helperResult.classRetained : this.inThisThread();
  }

  /** Dominators and retained sizes by node ordinal (after result()); waits for the helper to finish filling them. */
  ordinalTree(): OrdinalTree {
    if (!this.tree) {
      const h = this.helperResult!;
      if (Atomics.load(h.ready, 0) === 0) Atomics.wait(h.ready, 0, 0, HELPER_WAIT_MS);
      const ready = Atomics.load(h.ready, 0);
      if (ready === 1) {
        this.tree = { dominator: h.dominator, retainedSize: h.retainedSize };
        this.helperFilledTree = true;
      } else {
        noteHelperFallback(
          'dominatorThread',
          ready === 0
            ? `its by-node arrays were not ready within ${HELPER_WAIT_MS} ms`
            : 'it failed filling its by-node arrays',
        );
        this.inThisThread();
      }
    }
    return this.tree!;
  }

  /** Retainers and dominator-tree children: the helper's if they have arrived, else built here (after result()). */
  deferred(): DeferredTreeParts {
    if (!this.deferredParts) {
      const { dominator } = this.ordinalTree();
      this.dropWorker();
      const { nodeCount, rootOrdinal, firstEdge, edgeTo } = this.graph;
      this.deferredParts = {
        ...buildRetainers(nodeCount, firstEdge, edgeTo),
        ...dominatedLists(dominator, rootOrdinal),
      };
    }
    return this.deferredParts;
  }

  private dropWorker(): void {
    void this.worker?.terminate();
    this.worker = null;
  }

  /** Everything on this thread; returns maxRet per class and keeps the by-ordinal arrays. */
  private inThisThread(): Float64Array {
    this.dropWorker();
    const doms = computeDominators(this.graph, this.tableIdOfName, undefined, this.tableIdList);
    const { selfSize, classOf, classCount } = this.sizes!;
    const { byPreorder, classRetained } = retainedSizes(doms, selfSize, classOf, classCount);
    this.tree = { dominator: dominatorsByOrdinal(doms), retainedSize: byOrdinal(doms.order, byPreorder) };
    return classRetained;
  }
}

/** A helper thread started ahead of its inputs, so its start-up (~40 ms) overlaps parsing. */
export interface DominatorHelper {
  readonly worker: Worker;
  /** Set when the thread failed before it was given work (a job then starts a fresh one). */
  failed: boolean;
}

/** Starts the dominator helper thread now; null when threads are unavailable. Terminate it if it is never used. */
export function startDominatorHelper(): DominatorHelper | null {
  try {
    const helper: DominatorHelper = { worker: new Worker(WORKER_SOURCE, { eval: true }), failed: false };
    helper.worker.on('error', (err) => {
      // A job given this helper starts a fresh one instead (the job counts a fallback if that fails too).
      if (!helper.failed) logDebug(`heap analysis: the dominator thread failed: ${describeError(err)}`);
      helper.failed = true;
    });
    return helper;
  } catch (err) {
    logDebug(`heap analysis: cannot start a dominator thread: ${describeError(err)}`);
    return null;
  }
}

const WORKER_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
// Bundlers that keep function names (esbuild's keepNames, as under tsx) wrap inner functions in __name(fn, name).
const __name = (fn) => fn;
const inbox = [];
let wake = null;
parentPort.on('message', (m) => { inbox.push(m); if (wake) { wake(); wake = null; } });
const next = async () => { while (!inbox.length) await new Promise((r) => { wake = r; }); return inbox.shift(); };
const computeDominators = ${computeDominators.toString()};
const dominatorsByOrdinal = ${dominatorsByOrdinal.toString()};
const retainedSizes = ${retainedSizes.toString()};
const gatherPreorderSizes = ${gatherPreorderSizes.toString()};
const byOrdinal = ${byOrdinal.toString()};
const dominatedLists = ${dominatedLists.toString()};
const buildRetainers = ${buildRetainers.toString()};
(async () => {
  // Phase timings (MEMMON_HEAP_TIMINGS): waits for inputs and work, in ms.
  const t = [performance.now()];
  const { graph: g, tableIdOfName, tableIdList } = await next();
  t.push(performance.now());
  // Edge-sized: the predecessor lists, later the retainers' source nodes.
  const nodeSpace = new Uint32Array(g.edgeTo.length);
  const doms = computeDominators(g, tableIdOfName, nodeSpace, tableIdList, (order) => parentPort.postMessage({ order }));
  t.push(performance.now());
  const { selfSize, classOf, classCount, gathered } = await next();
  t.push(performance.now());
  const { byPreorder, classRetained } = retainedSizes(doms, selfSize, classOf, classCount, gathered);
  t.push(performance.now());
  // The summary needs only classRetained: send it now, fill the by-ordinal arrays after.
  const n = g.nodeCount;
  const dominator = new Uint32Array(new SharedArrayBuffer(4 * n));
  const retainedSize = new Float64Array(new SharedArrayBuffer(8 * n));
  const ready = new Int32Array(new SharedArrayBuffer(4));
  // The calling thread prints the timings (this thread's output could be cut off when the process exits).
  const names = ['waitGraph', 'dominators', 'waitSizes', 'retainedSizes'];
  const timings = process.env.MEMMON_HEAP_TIMINGS ? 'memmon heap helper (ms): start=' + Math.round(t[0]) + ' ' +
    names.map((n, i) => n + '=' + Math.round(t[i + 1] - t[i])).join(' ') + (gathered ? ' (sizes listed by the calling thread)' : '') : '';
  parentPort.postMessage({ classRetained, dominator, retainedSize, ready, timings }, [classRetained.buffer]);
  try {
    dominatorsByOrdinal(doms, dominator);
    byOrdinal(doms.order, byPreorder, retainedSize);
    Atomics.store(ready, 0, 1);
  } catch (err) {
    Atomics.store(ready, 0, 2);
    throw err;
  } finally {
    Atomics.notify(ready, 0);
  }
  const lists = dominatedLists(dominator, g.rootOrdinal, doms.spare.first, doms.spare.second);
  const retainers = buildRetainers(g.nodeCount, g.firstEdge, g.edgeTo, nodeSpace);
  parentPort.postMessage({ ...lists, ...retainers }, [lists.firstDominated.buffer, lists.dominated.buffer,
    retainers.firstRetainer.buffer, retainers.retainerNode.buffer, retainers.retainerEdge.buffer]);
})();
`;
