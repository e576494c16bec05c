import { Worker } from 'node:worker_threads';
import { completeDominatorTree, computeDominators, dominatedLists, DominatorTree } from './dominators';
import { HeapSnapshotAbortError } from './errors';
import { buildRetainers, Retainers } from './retainers';

/**
 * Retainers, Lengauer–Tarjan and retained sizes on a helper thread, while the calling thread computes the essential
 * edges (page-owned flags), distances, class names and folded sizes (DevTools also splits its work over two workers).
 * The helper starts on the retainers right away (about as long as the essential edges take), then takes the essential
 * edges and the folded sizes. Inputs live in SharedArrayBuffers (nothing copied), results are transferred back. The helper's
 * code is the self-contained functions' own source, so no separate bundle is needed. Without shared memory, or when
 * a thread cannot be started, the same steps run on the calling thread.
 */
export class DominatorJob {
  private worker: Worker | null = null;
  private essential: Uint8Array | null = null;
  private selfSize: Float64Array | null = null;
  /** Resolves to null when the helper failed (then the work is redone on this thread). */
  private readonly done: Promise<(Retainers & DominatorTree) | null>;

  constructor(
    private readonly nodeCount: number, private readonly rootOrdinal: number,
    private readonly firstEdge: Uint32Array, private readonly edgeTo: Uint32Array, signal?: AbortSignal,
    helper?: DominatorHelper | null,
  ) {
    const shared = firstEdge.buffer instanceof SharedArrayBuffer && edgeTo.buffer instanceof SharedArrayBuffer;
    if (shared) this.worker = helper && !helper.failed ? helper.worker : startDominatorHelper()?.worker ?? null;
    else if (helper) void helper.worker.terminate();
    this.worker?.postMessage({ nodeCount, rootOrdinal, firstEdge, edgeTo });
    const worker = this.worker;
    this.done = !worker ? Promise.resolve(null) : new Promise((resolve, reject) => {
      const onAbort = () => {
        void worker.terminate();
        reject(new HeapSnapshotAbortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.once('message', (result: Retainers & DominatorTree) => {
        signal?.removeEventListener('abort', onAbort);
        void worker.terminate();
        resolve(result);
      });
      worker.once('error', () => {
        signal?.removeEventListener('abort', onAbort);
        // Out of memory or similar on the helper thread: result() redoes the work here, where errors surface.
        this.worker = null;
        resolve(null);
      });
    });
    this.done.catch(() => undefined);
  }

  /** Hands over the essential-edge flags (one byte per edge); the helper then computes the dominators. */
  provideEssentialEdges(essential: Uint8Array): void {
    this.essential = essential;
    if (this.worker && essential.buffer instanceof SharedArrayBuffer) this.worker.postMessage({ essential });
    else this.worker = null;
  }

  /** Hands over the folded self sizes (shared memory); the helper then computes retained sizes and finishes. */
  provideSelfSizes(selfSize: Float64Array): void {
    this.selfSize = selfSize;
    if (this.worker && selfSize.buffer instanceof SharedArrayBuffer) this.worker.postMessage({ selfSize });
    else this.worker = null;
  }

  /** Retainers and the complete dominator tree (call after both inputs were provided). */
  async result(): Promise<Retainers & DominatorTree> {
    return (this.worker ? await this.done : null) ?? this.inThisThread();
  }

  private inThisThread(): Retainers & DominatorTree {
    const retainers = buildRetainers(this.nodeCount, this.firstEdge, this.edgeTo);
    const doms = computeDominators(this.nodeCount, this.rootOrdinal, this.firstEdge, this.edgeTo, this.essential!, retainers.firstRetainer, retainers.retainerNode, retainers.retainerEdge);
    return { ...retainers, ...completeDominatorTree(doms, this.selfSize!, this.rootOrdinal) };
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
    helper.worker.on('error', () => { helper.failed = true; });
    return helper;
  } catch {
    return null;
  }
}

const WORKER_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
const inbox = [];
let wake = null;
parentPort.on('message', (m) => { inbox.push(m); if (wake) { wake(); wake = null; } });
const next = async () => { while (!inbox.length) await new Promise((r) => { wake = r; }); return inbox.shift(); };
const buildRetainers = ${buildRetainers.toString()};
const computeDominators = ${computeDominators.toString()};
const dominatedLists = ${dominatedLists.toString()};
const completeDominatorTree = ${completeDominatorTree.toString()};
(async () => {
  // Phase timings (MEMMON_HEAP_TIMINGS): waits for inputs and work, in ms.
  const t = [performance.now()];
  const d = await next();
  t.push(performance.now());
  const r = buildRetainers(d.nodeCount, d.firstEdge, d.edgeTo);
  t.push(performance.now());
  const { essential } = await next();
  t.push(performance.now());
  const doms = computeDominators(d.nodeCount, d.rootOrdinal, d.firstEdge, d.edgeTo, essential, r.firstRetainer, r.retainerNode, r.retainerEdge);
  t.push(performance.now());
  const { selfSize } = await next();
  t.push(performance.now());
  const tree = completeDominatorTree(doms, selfSize, d.rootOrdinal);
  t.push(performance.now());
  if (process.env.MEMMON_HEAP_TIMINGS) {
    const names = ['waitGraph', 'retainers', 'waitEssential', 'dominators', 'waitSizes', 'retainedSizes'];
    process.stderr.write('memmon heap helper (ms): start=' + Math.round(t[0]) + ' ' + names.map((n, i) => n + '=' + Math.round(t[i + 1] - t[i])).join(' ') + String.fromCharCode(10));
  }
  parentPort.postMessage({ ...r, ...tree }, [r.firstRetainer.buffer, r.retainerNode.buffer, r.retainerEdge.buffer,
    tree.dominator.buffer, tree.retainedSize.buffer, tree.firstDominated.buffer, tree.dominated.buffer]);
})();
`;
