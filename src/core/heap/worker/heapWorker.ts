/**
 * Entry point of the heap analysis worker (bundled as dist/heapWorker.js). Answers requests from HeapAnalysisClient
 * one message at a time; long calls stay cancellable because the engine yields between file chunks.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { setCoreLogger } from '../../log';
import type { FromWorkerMessage, HeapRpcMethods, HeapWorkerData } from './protocol';
import { serveRpc } from './rpcServer';
import { lowerThisThreadPriority } from './threadPriority';
import { createHandlers } from './workerHandlers';

if (!parentPort) throw new Error('heapWorker.js must run as a worker thread');
// Background work: this thread and the threads it starts (parsing, dominators) yield the cores to the thread that
// started the worker (in VS Code, the extension host) whenever both want them.
lowerThisThreadPriority();
const port = parentPort;
// The host (CLI or extension) decides where these go: they travel to the client, which logs them there.
setCoreLogger({ debug: (message) => port.postMessage({ type: 'log', message } satisfies FromWorkerMessage) });
serveRpc<HeapRpcMethods>(port, createHandlers(workerData as HeapWorkerData));
