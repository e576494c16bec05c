/**
 * The heap analysis worker with test-only methods on top of heapWorker.js' own: they sleep, spin and crash, so the
 * RPC's concurrency, progress, cancellation and crash handling can be checked. Bundled at test time by
 * startTestWorkerClient; never part of dist/.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { HeapRpcMethods, HeapWorkerData } from '../../src/core/heap/worker/protocol';
import { RpcFailure } from '../../src/core/heap/worker/rpcFailure';
import { CallContext, HandlerTable, serveRpc } from '../../src/core/heap/worker/rpcServer';
import { createHandlers } from '../../src/core/heap/worker/workerHandlers';

/** The methods only the tests' worker has. */
export interface TestWorkerMethods {
  /** Waits `ms`, reporting progress; honours cancellation. */
  sleep: { params: { ms: number }; result: { sleptMs: number } };
  /** How many sleep calls are still waiting in the worker (a cancelled one stops at once). */
  sleeping: { params: Record<string, never>; result: { count: number } };
  /** Busy-loops `ms` on the worker thread (proves the caller's event loop stays free). */
  spin: { params: { ms: number }; result: { spunMs: number } };
  /** Ends the worker: `process.exit`, an uncaught exception, or running out of heap. */
  crashForTest: { params: { how: 'exit' | 'throw' | 'oom' }; result: never };
}

let sleeping = 0;

function sleep(ms: number, ctx: CallContext): Promise<{ sleptMs: number }> {
  const start = performance.now();
  sleeping++;
  return new Promise<{ sleptMs: number }>((resolve, reject) => {
    const tick = setInterval(
      () => ctx.progress('sleep', Math.min(1, (performance.now() - start) / ms)),
      Math.max(10, Math.min(ms / 10, 50)),
    );
    const done = setTimeout(() => {
      clearInterval(tick);
      ctx.signal.removeEventListener('abort', onAbort);
      resolve({ sleptMs: performance.now() - start });
    }, ms);
    const onAbort = () => {
      clearInterval(tick);
      clearTimeout(done);
      reject(new RpcFailure('cancelled', 'cancelled'));
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
  }).finally(() => sleeping--);
}

const testHandlers: HandlerTable<TestWorkerMethods> = {
  sleep: ({ ms }, ctx) => sleep(ms, ctx),
  sleeping: () => ({ count: sleeping }),
  spin: ({ ms }) => {
    const start = performance.now();
    while (performance.now() - start < ms) {
      // Deliberately blocks the worker thread only.
    }
    return { spunMs: performance.now() - start };
  },
  crashForTest: ({ how }) => {
    if (how === 'exit') process.exit(7);
    if (how === 'oom') {
      const hog: string[][] = [];
      for (;;) hog.push(Array.from({ length: 1e5 }, (_, i) => `${i}-${hog.length}`));
    }
    // Escapes the request handler on purpose: an uncaught exception kills the worker.
    setImmediate(() => {
      throw new Error('crashForTest: uncaught exception in the worker');
    });
    return new Promise<never>(() => undefined);
  },
};

if (parentPort)
  serveRpc<HeapRpcMethods & TestWorkerMethods>(parentPort, {
    ...createHandlers(workerData as HeapWorkerData),
    ...testHandlers,
  });
