import { Worker } from 'node:worker_threads';
import { computeDominators, Dominators } from './dominators';
import { HeapSnapshotAbortError } from './errors';
import { buildRetainers, Retainers } from './retainers';

/**
 * Runs retainers + Lengauer–Tarjan on a helper thread while the calling thread computes sizes, distances and
 * classes (the way DevTools splits its work over two workers). The inputs live in SharedArrayBuffers, so nothing is
 * copied; the results are transferred back. The helper's code is the two self-contained functions' source, so no
 * separate bundle is needed. Falls back to the calling thread when a thread cannot be started.
 */
export function dominatorsInParallel(
  nodeCount: number, rootOrdinal: number, firstEdge: Uint32Array, edgeTo: Uint32Array, essential: Uint8Array, signal?: AbortSignal,
): Promise<Retainers & Dominators> {
  const shared = firstEdge.buffer instanceof SharedArrayBuffer && edgeTo.buffer instanceof SharedArrayBuffer && essential.buffer instanceof SharedArrayBuffer;
  if (!shared) return Promise.resolve(inThisThread(nodeCount, rootOrdinal, firstEdge, edgeTo, essential));
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { nodeCount, rootOrdinal, firstEdge, edgeTo, essential } });
  } catch {
    return Promise.resolve(inThisThread(nodeCount, rootOrdinal, firstEdge, edgeTo, essential));
  }
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      void worker.terminate();
      reject(new HeapSnapshotAbortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
    worker.once('message', (result: Retainers & Dominators) => {
      done();
      void worker.terminate();
      resolve(result);
    });
    worker.once('error', (err) => {
      done();
      // Out of memory or similar on the helper thread: try once more here, where the error can surface properly.
      try {
        resolve(inThisThread(nodeCount, rootOrdinal, firstEdge, edgeTo, essential));
      } catch {
        reject(err);
      }
    });
  });
}

/** The same computation on the calling thread. */
export function inThisThread(nodeCount: number, rootOrdinal: number, firstEdge: Uint32Array, edgeTo: Uint32Array, essential: Uint8Array): Retainers & Dominators {
  const retainers = buildRetainers(nodeCount, firstEdge, edgeTo);
  const doms = computeDominators(nodeCount, rootOrdinal, firstEdge, edgeTo, essential, retainers.firstRetainer, retainers.retainerNode, retainers.retainerEdge);
  return { ...retainers, ...doms };
}

const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData: d } = require('node:worker_threads');
const buildRetainers = ${buildRetainers.toString()};
const computeDominators = ${computeDominators.toString()};
const r = buildRetainers(d.nodeCount, d.firstEdge, d.edgeTo);
const doms = computeDominators(d.nodeCount, d.rootOrdinal, d.firstEdge, d.edgeTo, d.essential, r.firstRetainer, r.retainerNode, r.retainerEdge);
const result = { ...r, ...doms };
parentPort.postMessage(result, [r.firstRetainer.buffer, r.retainerNode.buffer, r.retainerEdge.buffer, doms.dominator.buffer, doms.order.buffer]);
`;
