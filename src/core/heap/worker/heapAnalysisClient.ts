import { EventEmitter } from 'node:events';
import { totalmem } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FromWorkerMessage, HeapRpcMethod, HeapWorkerData, ParamsOf, ResultOf, ToWorkerMessage } from './protocol';
import { RpcFailure } from './rpcFailure';
import { resolveHeapWorkerPath } from './workerLocation';

export interface HeapAnalysisClientOptions {
  /** Path of heapWorker.js; default: found next to the bundle (see resolveHeapWorkerPath). */
  workerPath?: string;
  /** V8 old-generation limit of the worker; default half of the machine's memory, between 1 and 16 GB. */
  maxOldGenerationSizeMb?: number;
  /** Enables `crashForTest` (tests only). */
  enableTestMethods?: boolean;
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

/** Default worker heap limit: typed arrays live outside it, strings and maps inside. */
export function defaultWorkerHeapLimitMb(): number {
  return Math.max(1024, Math.min(16_384, Math.floor(totalmem() / 1048576 / 2)));
}

/**
 * Main-thread side of the heap analysis worker. Each call is one request; results are small pages.
 * A crashed worker fails its pending calls with a clear error and is replaced on the next call.
 * Events: `crash` (RpcFailure) whenever the worker dies unexpectedly.
 */
export class HeapAnalysisClient extends EventEmitter {
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
  call<M extends HeapRpcMethod>(method: M, params: ParamsOf<M>, options: CallOptions = {}): Promise<ResultOf<M>> {
    if (this.disposed) return Promise.reject(new RpcFailure('heap analysis client is disposed', 'disposed'));
    if (options.signal?.aborted) return Promise.reject(new RpcFailure('cancelled', 'cancelled'));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<ResultOf<M>>((resolve, reject) => {
      const onAbort = () => {
        if (!this.pending.has(id)) return;
        this.settle(id);
        this.post({ type: 'cancel', id });
        reject(new RpcFailure('cancelled', 'cancelled'));
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: resolve as (v: unknown) => void,
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
    return this.call('ping', { echo });
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
    const data: HeapWorkerData = { enableTestMethods: !!this.options.enableTestMethods, heapLimitMb: this.heapLimitMb };
    const worker = new Worker(this.workerPath, {
      workerData: data,
      resourceLimits: { maxOldGenerationSizeMb: this.heapLimitMb },
    });
    this.generation++;
    worker.on('message', (m: FromWorkerMessage) => this.onMessage(m));
    worker.on('error', (err: Error & { code?: string }) => {
      const oom = err?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.onWorkerDeath(
        worker,
        oom
          ? new RpcFailure(`heap analysis worker ran out of memory (limit ${this.heapLimitMb} MB); the snapshot is too big for this limit`, 'out-of-memory')
          : new RpcFailure(`heap analysis worker crashed: ${String(err?.message ?? err).split('\n')[0]}`, 'worker-crashed'),
      );
    });
    worker.on('exit', (code) => this.onWorkerDeath(worker, new RpcFailure(`heap analysis worker exited unexpectedly (code ${code})`, 'worker-crashed')));
    this.worker = worker;
    return worker;
  }

  private onMessage(m: FromWorkerMessage): void {
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
