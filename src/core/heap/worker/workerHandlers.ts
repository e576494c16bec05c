import { threadId } from 'node:worker_threads';
import type { HeapRpcMethod, HeapWorkerData, ParamsOf, ResultOf } from './protocol';
import { RpcFailure } from './rpcFailure';
import { createEngineHandlers } from './engineHandlers';

/** What a handler gets besides its params: the call's cancellation and a progress reporter. */
export interface CallContext {
  signal: AbortSignal;
  progress(phase: string, fraction: number): void;
}

export type Handler<M extends HeapRpcMethod> = (
  params: ParamsOf<M>,
  ctx: CallContext,
) => Promise<ResultOf<M>> | ResultOf<M>;
export type HandlerTable = { [M in HeapRpcMethod]: Handler<M> };

/** All worker methods: RPC mechanics plus the engine's. */
export function createHandlers(data: HeapWorkerData): HandlerTable {
  return {
    ping: ({ echo }) => ({ echo, threadId, heapLimitMb: data.heapLimitMb }),
    sleep: ({ ms }, ctx) => sleep(ms, ctx),
    spin: ({ ms }) => {
      const start = performance.now();
      while (performance.now() - start < ms) {
        // Deliberately blocks the worker thread only.
      }
      return { spunMs: performance.now() - start };
    },
    crashForTest: ({ how }) => {
      if (!data.enableTestMethods)
        throw new RpcFailure('crashForTest is only available when test methods are enabled', 'unknown-method');
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
    ...createEngineHandlers(data.handleBase),
  };
}

function sleep(ms: number, ctx: CallContext): Promise<{ sleptMs: number }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const tick = setInterval(
      () => ctx.progress('sleep', Math.min(1, (performance.now() - start) / ms)),
      Math.max(10, ms / 10),
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
  });
}
