import { Worker } from 'node:worker_threads';
import { completeDominatorTree, computeDominators, dominatedLists, DominatorTree } from './dominators';
import { HeapSnapshotAbortError } from './errors';
import { foldSizes } from './ownership';
import { buildRetainers, Retainers } from './retainers';

/** What the helper needs to fold sizes: see ownership.ts. */
export interface FoldInput {
  kinds: Uint8Array | null;
  edgeType: Uint8Array;
  weakType: number;
  selfSize: Float64Array;
}

/**
 * Retainers, Lengauer–Tarjan, size folding and retained sizes on a helper thread, while the calling thread computes
 * essential edges, distances and class names (DevTools also splits its work over two workers). The helper starts on
 * the retainers right away, then takes the essential-edge bitmap and the folding inputs when they are ready. Inputs live in SharedArrayBuffers (nothing copied), results are transferred back. The helper's
 * code is the self-contained functions' own source, so no separate bundle is needed. Without shared memory, or when
 * a thread cannot be started, the same steps run on the calling thread.
 */
export class DominatorJob {
  private worker: Worker | null = null;
  private essential: Uint8Array | null = null;
  private fold: FoldInput | null = null;
  /** Resolves to null when the helper failed (then the work is redone on this thread). */
  private readonly done: Promise<(Retainers & DominatorTree) | null>;

  constructor(
    private readonly nodeCount: number, private readonly rootOrdinal: number,
    private readonly firstEdge: Uint32Array, private readonly edgeTo: Uint32Array, signal?: AbortSignal,
  ) {
    const shared = firstEdge.buffer instanceof SharedArrayBuffer && edgeTo.buffer instanceof SharedArrayBuffer;
    try {
      if (shared) this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { nodeCount, rootOrdinal, firstEdge, edgeTo } });
    } catch {
      this.worker = null;
    }
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

  /**
   * Hands over the essential-edge bitmap and what size folding needs; the helper then computes dominators, folds
   * the self sizes in place (shared memory: do not read them before result()) and the retained sizes.
   */
  provide(essential: Uint8Array, fold: FoldInput): void {
    this.essential = essential;
    this.fold = fold;
    const shared = [essential, fold.edgeType, fold.selfSize].every((a) => a.buffer instanceof SharedArrayBuffer);
    if (this.worker && shared) this.worker.postMessage({ essential, fold });
    else this.worker = null;
  }

  /** Retainers and the complete dominator tree (call after both inputs were provided). */
  async result(): Promise<Retainers & DominatorTree> {
    return (this.worker ? await this.done : null) ?? this.inThisThread();
  }

  private inThisThread(): Retainers & DominatorTree {
    const retainers = buildRetainers(this.nodeCount, this.firstEdge, this.edgeTo);
    const doms = computeDominators(this.nodeCount, this.rootOrdinal, this.firstEdge, this.edgeTo, this.essential!, retainers.firstRetainer, retainers.retainerNode, retainers.retainerEdge);
    const f = this.fold!;
    if (f.kinds) foldSizes(f.kinds, this.rootOrdinal, this.firstEdge, this.edgeTo, f.edgeType, f.weakType, f.selfSize, doms.spare!.third, doms.spare!.fourth);
    return { ...retainers, ...completeDominatorTree(doms, f.selfSize, this.rootOrdinal) };
  }
}

const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData: d } = require('node:worker_threads');
const inbox = [];
let wake = null;
parentPort.on('message', (m) => { inbox.push(m); if (wake) { wake(); wake = null; } });
const next = async () => { while (!inbox.length) await new Promise((r) => { wake = r; }); return inbox.shift(); };
const buildRetainers = ${buildRetainers.toString()};
const computeDominators = ${computeDominators.toString()};
const dominatedLists = ${dominatedLists.toString()};
const completeDominatorTree = ${completeDominatorTree.toString()};
const foldSizes = ${foldSizes.toString()};
(async () => {
  const r = buildRetainers(d.nodeCount, d.firstEdge, d.edgeTo);
  const { essential, fold } = await next();
  const doms = computeDominators(d.nodeCount, d.rootOrdinal, d.firstEdge, d.edgeTo, essential, r.firstRetainer, r.retainerNode, r.retainerEdge);
  if (fold.kinds) foldSizes(fold.kinds, d.rootOrdinal, d.firstEdge, d.edgeTo, fold.edgeType, fold.weakType, fold.selfSize, doms.spare.third, doms.spare.fourth);
  const tree = completeDominatorTree(doms, fold.selfSize, d.rootOrdinal);
  parentPort.postMessage({ ...r, ...tree }, [r.firstRetainer.buffer, r.retainerNode.buffer, r.retainerEdge.buffer,
    tree.dominator.buffer, tree.retainedSize.buffer, tree.firstDominated.buffer, tree.dominated.buffer]);
})();
`;
