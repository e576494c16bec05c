import type { MessagePort } from 'node:worker_threads';
import type { FromWorkerMessage, RpcMethodTable, ToWorkerMessage } from './protocol';
import { RpcFailure, toErrorPayload } from './rpcFailure';

/** Progress messages per call are limited to this rate; the main thread has better things to do. */
const PROGRESS_INTERVAL_MS = 100;

/** What a handler gets besides its params: the call's cancellation and a progress reporter. */
export interface CallContext {
  signal: AbortSignal;
  progress(phase: string, fraction: number): void;
}

/** Answers one method. */
export type Handler<Params, Result> = (params: Params, ctx: CallContext) => Promise<Result> | Result;

/** One handler per method of `Methods`. */
export type HandlerTable<Methods extends RpcMethodTable<Methods>> = {
  [M in keyof Methods]: Handler<Methods[M]['params'], Methods[M]['result']>;
};

/**
 * Answers requests arriving on `port` (the worker's parentPort) with `handlers`, one message at a time; each call
 * gets an AbortSignal that a `cancel` message aborts, and rate-limited progress.
 */
export function serveRpc<Methods extends RpcMethodTable<Methods>>(
  port: Pick<MessagePort, 'on' | 'postMessage'>,
  handlers: HandlerTable<Methods>,
): void {
  const running = new Map<number, AbortController>();
  const post = (message: FromWorkerMessage) => port.postMessage(message);

  const handle = async (id: number, method: string, params: unknown): Promise<void> => {
    const controller = new AbortController();
    running.set(id, controller);
    let lastProgress = 0;
    const ctx: CallContext = {
      signal: controller.signal,
      progress(phase, fraction) {
        const now = performance.now();
        if (fraction < 1 && now - lastProgress < PROGRESS_INTERVAL_MS) return;
        lastProgress = now;
        post({ type: 'progress', id, phase, fraction });
      },
    };
    try {
      // The method name and params come from another thread: an unknown name is answered, never trusted.
      const handler = Object.hasOwn(handlers, method)
        ? (handlers as Record<string, (params: unknown, ctx: CallContext) => unknown>)[method]
        : undefined;
      if (!handler) throw new RpcFailure(`unknown method ${JSON.stringify(method)}`, 'unknown-method');
      const result: unknown = await handler(params, ctx);
      if (controller.signal.aborted) throw new RpcFailure('cancelled', 'cancelled');
      post({ type: 'response', id, result });
    } catch (err) {
      post({ type: 'response', id, error: toErrorPayload(err, controller.signal) });
    } finally {
      running.delete(id);
    }
  };

  port.on('message', (message: ToWorkerMessage) => {
    if (message.type === 'cancel') {
      running.get(message.id)?.abort();
      return;
    }
    if (message.type === 'request') void handle(message.id, message.method, message.params);
  });
}
