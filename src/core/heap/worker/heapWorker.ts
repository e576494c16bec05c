/**
 * Entry point of the heap analysis worker (bundled as dist/heapWorker.js). Answers requests from HeapAnalysisClient
 * one message at a time; long calls stay cancellable because the engine yields between file chunks.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorkerMessage, HeapRpcMethod, HeapWorkerData, ToWorkerMessage } from './protocol';
import { RpcFailure, toErrorPayload } from './rpcFailure';
import { CallContext, createHandlers, Handler } from './workerHandlers';
import { lowerThisThreadPriority } from './threadPriority';

/** Progress messages per call are limited to this rate; the main thread has better things to do. */
const PROGRESS_INTERVAL_MS = 100;

if (!parentPort) throw new Error('heapWorker.js must run as a worker thread');
// Background work: this thread and the threads it starts (parsing, dominators) yield the cores to the thread that
// started the worker (in VS Code, the extension host) whenever both want them.
lowerThisThreadPriority();
const port = parentPort;
const data = workerData as HeapWorkerData;
const handlers = createHandlers(data);
const running = new Map<number, AbortController>();

const post = (message: FromWorkerMessage) => port.postMessage(message);

port.on('message', (message: ToWorkerMessage) => {
  if (message.type === 'cancel') {
    running.get(message.id)?.abort();
    return;
  }
  if (message.type === 'request') void handle(message.id, message.method, message.params);
});

async function handle(id: number, method: HeapRpcMethod, params: unknown): Promise<void> {
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
    const handler = (handlers as Record<string, Handler<HeapRpcMethod>>)[method];
    if (!handler) throw new RpcFailure(`unknown method ${JSON.stringify(method)}`, 'unknown-method');
    const result = await handler(params as never, ctx);
    if (controller.signal.aborted) throw new RpcFailure('cancelled', 'cancelled');
    post({ type: 'response', id, result });
  } catch (err) {
    post({ type: 'response', id, error: toErrorPayload(err, controller.signal) });
  } finally {
    running.delete(id);
  }
}
