import { EventEmitter } from 'node:events';
import { totalmem } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ClassSortKey } from '../query/classQuery';
import type { PageRequest } from '../types';
import type {
  FromWorkerMessage,
  HeapRpcMethod,
  HeapRpcMethods,
  HeapWorkerData,
  ParamsOf,
  ResultOf,
  RpcMethodTable,
  ToWorkerMessage,
} from './protocol';
import { logDebug } from '../../log';
import { RpcFailure } from './rpcFailure';
import { resolveHeapWorkerPath } from './workerLocation';

export interface HeapAnalysisClientOptions {
  /** Path of heapWorker.js; default: found next to the bundle (see resolveHeapWorkerPath). */
  workerPath?: string;
  /** V8 old-generation limit of the worker; default half of the machine's memory, between 1 and 16 GB. */
  maxOldGenerationSizeMb?: number;
}

/** Per-call options. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Progress of long calls (open, diff); `fraction` is 0…1 within `phase`. */
  onProgress?: (phase: string, fraction: number) => void;
}

interface PendingCall {
  resolve(value: unknown): void;
  reject(err: Error): void;
  onProgress?: CallOptions['onProgress'];
  cleanup(): void;
}

/** Handles of worker generation g are g·HANDLE_STRIDE + 1, + 2, …: a handle tells which worker opened it. */
const HANDLE_STRIDE = 1_000_000;

/** Default worker heap limit: typed arrays live outside it, strings and maps inside. */
function defaultWorkerHeapLimitMb(): number {
  return Math.max(1024, Math.min(16_384, Math.floor(totalmem() / 1048576 / 2)));
}

/**
 * Main-thread side of the heap analysis worker. Each call is one request; results are small pages.
 * A crashed worker fails its pending calls with a clear error and is replaced on the next call.
 * Events: `crash` (RpcFailure) whenever the worker dies unexpectedly. `Methods` is the worker's method table: a
 * worker built with more methods than heapWorker.js (the tests' one) is called through the same client.
 */
export class HeapAnalysisClient<
  Methods extends HeapRpcMethods & RpcMethodTable<Methods> = HeapRpcMethods,
> extends EventEmitter {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, PendingCall>();
  private nextId = 1;
  private disposed = false;
  /** Incremented each time a worker starts; handles from an older generation are dead. */
  generation = 0;
  readonly heapLimitMb: number;
  private readonly workerPath: string;

  constructor(private readonly options: HeapAnalysisClientOptions = {}) {
    super();
    this.heapLimitMb = options.maxOldGenerationSizeMb ?? defaultWorkerHeapLimitMb();
    this.workerPath = resolveHeapWorkerPath(options.workerPath);
  }

  /** Calls one worker method. Rejects with an RpcFailure (code tells why) on error, cancellation or crash. */
  call<M extends keyof Methods & string>(
    method: M,
    params: Methods[M]['params'],
    options: CallOptions = {},
  ): Promise<Methods[M]['result']> {
    return this.request(method, params, options);
  }

  /** One call of heapWorker.js' own methods, whatever `Methods` adds. */
  private engine<M extends HeapRpcMethod>(method: M, params: ParamsOf<M>, options?: CallOptions): Promise<ResultOf<M>> {
    // The worker's answer to `method` is ResultOf<M> by the protocol; the RPC itself carries unknown.
    return this.request(method, params, options) as Promise<ResultOf<M>>;
  }

  private request(method: string, params: unknown, options: CallOptions = {}): Promise<unknown> {
    if (this.disposed) return Promise.reject(new RpcFailure('heap analysis client is disposed', 'disposed'));
    if (options.signal?.aborted) return Promise.reject(new RpcFailure('cancelled', 'cancelled'));
    const stale = staleHandle(params, this.worker ? this.generation : -1);
    if (stale !== undefined) {
      return Promise.reject(
        new RpcFailure(
          `snapshot handle ${stale} was lost when the analysis worker restarted; open the snapshot again`,
          'not-found',
        ),
      );
    }
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const onAbort = () => {
        if (!this.pending.has(id)) return;
        this.settle(id);
        this.post({ type: 'cancel', id });
        reject(new RpcFailure('cancelled', 'cancelled'));
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: resolve,
        reject,
        onProgress: options.onProgress,
        cleanup: () => options.signal?.removeEventListener('abort', onAbort),
      });
      worker.ref();
      this.post({ type: 'request', id, method, params });
    });
  }

  /** Round trip to the worker. */
  ping(echo?: string) {
    return this.engine('ping', { echo });
  }

  /** Parses and analyses a .heapsnapshot file in the worker; progress phases: parse, retainers, dominators, … */
  openSnapshot(file: string, options?: CallOptions) {
    return this.engine('openSnapshot', { path: file }, options);
  }

  /** Releases a snapshot's memory in the worker. */
  closeSnapshot(handle: number) {
    return this.engine('closeSnapshot', { handle });
  }

  /** A page of DevTools' Summary: classes by retained size, or filtered and sorted as asked. */
  classSummary(
    handle: number,
    page: PageRequest & { filter?: string; sort?: ClassSortKey; descending?: boolean } = {},
    options?: CallOptions,
  ) {
    return this.engine('classSummary', { handle, ...page }, options);
  }

  /** A page of one class's instances, by retained size. */
  classInstances(handle: number, classKey: string, page: PageRequest = {}, options?: CallOptions) {
    return this.engine('classInstances', { handle, classKey, ...page }, options);
  }

  /** A page of a node's outgoing edges. */
  children(handle: number, nodeId: number, page: PageRequest = {}, options?: CallOptions) {
    return this.engine('children', { handle, nodeId, ...page }, options);
  }

  /** A page of a node's retainers (incoming edges). */
  retainers(handle: number, nodeId: number, page: PageRequest = {}, options?: CallOptions) {
    return this.engine('retainers', { handle, nodeId, ...page }, options);
  }

  /** A page of the nodes a node (default: the root) immediately dominates, by retained size. */
  dominators(handle: number, nodeId?: number, page: PageRequest = {}, options?: CallOptions) {
    return this.engine('dominators', { handle, nodeId, ...page }, options);
  }

  /** Shortest retainer paths from the GC roots, skipping weak edges. */
  retainerPaths(
    handle: number,
    nodeId: number,
    limits: { maxPaths?: number; maxDepth?: number } = {},
    options?: CallOptions,
  ) {
    return this.engine('retainerPaths', { handle, nodeId, ...limits }, options);
  }

  /** Everything about one node; null when the id is not in the snapshot. */
  nodeDetails(handle: number, nodeId: number, options?: CallOptions) {
    return this.engine('nodeDetails', { handle, nodeId }, options);
  }

  /** DevTools' Statistics view of a snapshot (code, strings, JS arrays, typed arrays, system, native). */
  statistics(handle: number, options?: CallOptions) {
    return this.engine('statistics', { handle }, options);
  }

  /** Objects added and removed per class between two snapshots (classes paged). */
  diff(beforeHandle: number, afterHandle: number, page: PageRequest = {}, options?: CallOptions) {
    return this.engine('diff', { beforeHandle, afterHandle, ...page }, options);
  }

  /** Objects that grew in every step of snapshots `handles` (oldest first, 3 or more) of one process. */
  growing(handles: number[], limit?: number, options?: CallOptions) {
    return this.engine('growing', { handles, limit }, options);
  }

  /** Objects allocated after the baseline, present in the target and still alive in the final snapshot. */
  leaks(
    baselineHandle: number,
    targetHandle: number,
    finalHandle: number,
    page: PageRequest = {},
    options?: CallOptions,
  ) {
    return this.engine('leaks', { baselineHandle, targetHandle, finalHandle, ...page }, options);
  }

  /** Terminates the worker and fails pending calls; the client cannot be used afterwards. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.failAll(new RpcFailure('heap analysis client is disposed', 'disposed'));
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  /** Number of calls waiting for an answer. */
  get pendingCount(): number {
    return this.pending.size;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    this.generation++;
    const data: HeapWorkerData = {
      heapLimitMb: this.heapLimitMb,
      handleBase: this.generation * HANDLE_STRIDE,
    };
    const worker = new Worker(this.workerPath, {
      workerData: data,
      resourceLimits: { maxOldGenerationSizeMb: this.heapLimitMb },
    });
    worker.on('message', (m: FromWorkerMessage) => this.onMessage(m));
    worker.on('error', (err: Error & { code?: string }) => {
      const oom = err?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.onWorkerDeath(
        worker,
        oom
          ? new RpcFailure(
              `heap analysis worker ran out of memory (limit ${this.heapLimitMb} MB); the snapshot is too big for this limit`,
              'out-of-memory',
            )
          : new RpcFailure(
              `heap analysis worker crashed: ${String(err?.message ?? err).split('\n')[0]}`,
              'worker-crashed',
            ),
      );
    });
    worker.on('exit', (code) =>
      this.onWorkerDeath(
        worker,
        new RpcFailure(`heap analysis worker exited unexpectedly (code ${code})`, 'worker-crashed'),
      ),
    );
    this.worker = worker;
    return worker;
  }

  private onMessage(m: FromWorkerMessage): void {
    if (m.type === 'log') {
      logDebug(`heap analysis worker: ${m.message}`);
      return;
    }
    const call = this.pending.get(m.id);
    if (!call) return; // Cancelled or from before a restart: dropped.
    if (m.type === 'progress') {
      call.onProgress?.(m.phase, m.fraction);
      return;
    }
    this.settle(m.id);
    if ('error' in m) call.reject(RpcFailure.from(m.error));
    else call.resolve(m.result);
  }

  private onWorkerDeath(worker: Worker, failure: RpcFailure): void {
    if (this.worker !== worker) return; // Already replaced, or terminated by dispose().
    this.worker = undefined;
    this.failAll(failure);
    if (!this.disposed && this.listenerCount('crash') > 0) this.emit('crash', failure);
  }

  private failAll(failure: RpcFailure): void {
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const call of calls) {
      call.cleanup();
      call.reject(new RpcFailure(failure.message, failure.code));
    }
  }

  /** Forgets a call; lets the process exit when nothing is pending. */
  private settle(id: number): void {
    this.pending.get(id)?.cleanup();
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker?.unref();
  }

  private post(message: ToWorkerMessage): void {
    this.worker?.postMessage(message);
  }
}

/** The first snapshot handle in `params` that belongs to another worker generation than `current`, if any. */
function staleHandle(params: unknown, current: number): number | undefined {
  if (!params || typeof params !== 'object') return undefined;
  for (const [key, value] of Object.entries(params)) {
    if (typeof value !== 'number' || !/^(handle|\w+Handle)$/.test(key)) continue;
    if (Math.floor(value / HANDLE_STRIDE) !== current) return value;
  }
  return undefined;
}
