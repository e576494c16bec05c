import path from 'node:path';
import { CdpEvent, InspectorConnection, InspectorError } from '../../inspector/connection';
import { checkDiskSpace } from './diskSpace';
import { SnapshotFileSink } from './fileSink';
import { SnapshotPace } from './snapshotPace';
import {
  cancelledError,
  guard,
  HeapSnapshotCaptureError,
  isMissingHeapProfiler,
  rethrowAsCaptureError,
  throwIfCancelled,
  toCaptureError,
} from './captureErrors';
import { captureJscSnapshot } from './jscCapture';

export { HeapSnapshotCaptureError } from './captureErrors';
export type { HeapSnapshotCaptureErrorCode } from './captureErrors';

/** Options of one heap snapshot capture. */
export interface HeapSnapshotCaptureOptions {
  /** Called with V8's progress (objects serialized so far, total); `done === total` at the end of that phase. */
  onProgress?: (done: number, total: number) => void;
  /** Aborting stops the capture, closes and deletes the partial file; chunks arriving later are ignored. */
  signal?: AbortSignal;
  /** Ask V8 for progress events (default true). */
  reportProgress?: boolean;
  /** Record numeric values of heap numbers/Smis (newer V8 only; ignored by older ones). */
  captureNumericValue?: boolean;
  /** Expose V8 internals in the snapshot (bigger file). */
  exposeInternals?: boolean;
  /**
   * The connection is js-debug's CDP proxy, which forwards events only after `JsDebug.subscribe`. `'auto'` (default)
   * tries the subscription and ignores "method not found" from a direct inspector.
   */
  proxy?: boolean | 'auto';
  /** Timeout of the whole capture; default grows with the heap size (5 minutes + 1 s per MB in use). */
  timeoutMs?: number;
  /** Refuse when free disk space is clearly too small (default true). */
  checkDiskSpace?: boolean;
  /** Told about a capture that goes ahead despite a risk (e.g. low disk space). */
  onWarning?: (message: string) => void;
  /**
   * When another capture of this debuggee is under way: wait for it to end (default false: fail with `busy`). For
   * captures the user did not ask for one by one (Hunt Leak's series, the leak monitor's retainer probe).
   */
  waitIfBusy?: boolean;
}

/** What a finished capture produced. */
export interface HeapSnapshotCaptureResult {
  /** Absolute path of the snapshot file. */
  file: string;
  bytes: number;
  durationMs: number;
  chunks: number;
  /** The debuggee's heapUsed right before the capture, null when it could not be read. */
  heapUsed: number | null;
  /** Largest amount of snapshot data ever queued in memory waiting for the disk. */
  maxBufferedBytes: number;
}

/** The capture under way on each connection (chunks of two snapshots on one socket would interleave). */
const busyConnections = new WeakMap<InspectorConnection, Promise<unknown>>();
/** A cancelled capture's request still streams chunks until V8 answers it; the next capture waits for that. */
const abandonedRequests = new WeakMap<InspectorConnection, Promise<unknown>>();

/**
 * Takes a heap snapshot of the debuggee behind `conn` and streams it into `file` chunk by chunk.
 * Rejects with a HeapSnapshotCaptureError (partial file deleted) on cancellation, disk, connection or timeout trouble.
 */
export async function captureHeapSnapshot(
  conn: InspectorConnection,
  file: string,
  options: HeapSnapshotCaptureOptions = {},
): Promise<HeapSnapshotCaptureResult> {
  return new HeapSnapshotCapture(conn, file, options).run();
}

/** One capture (see captureHeapSnapshot). */
class HeapSnapshotCapture {
  readonly file: string;

  constructor(
    private readonly conn: InspectorConnection,
    file: string,
    private readonly options: HeapSnapshotCaptureOptions = {},
  ) {
    this.file = path.resolve(file);
  }

  /** Runs the capture once. */
  async run(): Promise<HeapSnapshotCaptureResult> {
    const { conn, options } = this;
    for (let running = busyConnections.get(conn); running; running = busyConnections.get(conn)) {
      if (!options.waitIfBusy)
        throw new HeapSnapshotCaptureError('a heap snapshot of this debuggee is already being taken', 'busy');
      await guard(
        running.catch(() => undefined),
        options.signal,
      );
    }
    throwIfCancelled(options.signal);
    const capture = this.capture();
    busyConnections.set(conn, capture);
    try {
      return await capture;
    } finally {
      busyConnections.delete(conn);
    }
  }

  private async capture(): Promise<HeapSnapshotCaptureResult> {
    const { conn, options, file } = this;
    const started = Date.now();
    const abandoned = abandonedRequests.get(conn);
    if (abandoned) await guard(abandoned, options.signal);
    const heapUsed = await guard(readHeapUsed(conn), options.signal);
    if (heapUsed !== null && options.checkDiskSpace !== false) {
      const verdict = await checkDiskSpace(file, heapUsed);
      if (!verdict.enough) throw new HeapSnapshotCaptureError(verdict.message!, 'disk-space');
      if (verdict.warning) options.onWarning?.(verdict.warning);
    }
    await guard(subscribeThroughProxy(conn, options.proxy ?? 'auto'), options.signal);
    const hasHeapProfiler = await guard(
      conn.send('HeapProfiler.enable').then(
        () => true,
        (err: unknown) => (isMissingHeapProfiler(err) ? false : rethrowAsCaptureError(err)),
      ),
      options.signal,
    );
    if (!hasHeapProfiler) return this.captureJsc(started, heapUsed);
    throwIfCancelled(options.signal);

    const sink = await SnapshotFileSink.open(file, conn.transportSocket).catch((err: Error) => {
      throw new HeapSnapshotCaptureError(err.message, 'write');
    });
    const pace = new SnapshotPace();
    let stop: (err: Error) => void = () => undefined;
    const stopped = new Promise<never>((_, reject) => (stop = reject));
    // Raced against the request below; a stop after the capture ended has nobody to tell.
    stopped.catch(() => undefined);
    const onEvent = (e: CdpEvent) => {
      if (e.method === 'HeapProfiler.addHeapSnapshotChunk') {
        pace.chunk(e.params.chunk.length);
        sink.write(e.params.chunk);
        if (sink.error)
          stop(
            new HeapSnapshotCaptureError(
              `cannot write ${file}: ${(sink.error as NodeJS.ErrnoException).code ?? sink.error.message}`,
              'write',
            ),
          );
      } else if (e.method === 'HeapProfiler.reportHeapSnapshotProgress') {
        pace.progress(e.params.done, e.params.total);
        options.onProgress?.(e.params.done, e.params.total);
      }
    };
    const onClose = (err: InspectorError) =>
      stop(
        new HeapSnapshotCaptureError(
          `debuggee went away while taking the heap snapshot (${err.message})`,
          'connection',
        ),
      );
    // From here on V8 may be at it: a cancel leaves the debuggee busy, and the error says for how long.
    const onAbort = () => stop(cancelledError(pace.stillBusyText(`the debuggee at ${conn.description}`)));
    conn.on('event', onEvent);
    conn.on('close', onClose);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const detach = () => {
      conn.off('event', onEvent);
      conn.off('close', onClose);
      options.signal?.removeEventListener('abort', onAbort);
    };
    try {
      const timeoutMs = options.timeoutMs ?? defaultTimeoutMs(heapUsed);
      const params: Record<string, boolean> = { reportProgress: options.reportProgress !== false };
      if (options.captureNumericValue !== undefined) params.captureNumericValue = options.captureNumericValue;
      if (options.exposeInternals !== undefined) params.exposeInternals = options.exposeInternals;
      const request = conn.send('HeapProfiler.takeHeapSnapshot', params, timeoutMs).catch(rethrowAsCaptureError);
      // Its failure reaches the race below; this only keeps a late one from going unhandled.
      request.catch(() => undefined);
      // Abort may have fired between the checks above and the listener.
      if (options.signal?.aborted) onAbort();
      await Promise.race([request, stopped]).catch((err) => {
        abandonedRequests.set(
          conn,
          // Only the end of an abandoned request matters (the next capture waits for it), not its outcome.
          request.catch(() => undefined).finally(() => abandonedRequests.delete(conn)),
        );
        throw err;
      });
      detach();
      const bytes = await sink.finish().catch((err: NodeJS.ErrnoException) => {
        throw new HeapSnapshotCaptureError(`cannot write ${file}: ${err.code ?? err.message}`, 'write');
      });
      if (bytes === 0) throw new HeapSnapshotCaptureError('the debuggee sent an empty heap snapshot', 'empty');
      return {
        file,
        bytes,
        durationMs: Date.now() - started,
        chunks: sink.chunks,
        heapUsed,
        maxBufferedBytes: sink.maxBufferedBytes,
      };
    } catch (err) {
      detach();
      await sink.discard();
      throw err;
    }
  }

  /** JavaScriptCore's inspector (Bun: no HeapProfiler domain): its `Heap.snapshot`, converted to V8's format. */
  private async captureJsc(started: number, heapUsed: number | null): Promise<HeapSnapshotCaptureResult> {
    const { conn, options, file } = this;
    const result = await captureJscSnapshot(conn, file, {
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? defaultTimeoutMs(heapUsed),
      onProgress: options.onProgress,
      onAbandoned: (request) =>
        abandonedRequests.set(
          conn,
          request.catch(() => undefined).finally(() => abandonedRequests.delete(conn)),
        ),
    });
    return { file, ...result, durationMs: Date.now() - started, heapUsed };
  }
}

/** The debuggee's used heap in bytes via `Runtime.getHeapUsage`, or null when the target does not answer it. */
async function readHeapUsed(conn: InspectorConnection): Promise<number | null> {
  try {
    const usage = await conn.send('Runtime.getHeapUsage', {}, 5000);
    return typeof usage?.usedSize === 'number' ? usage.usedSize : null;
  } catch (err) {
    if (err instanceof InspectorError && err.code === 'closed') throw toCaptureError(err);
    // V8 answers this instantly unless the debuggee's thread is stuck in a long synchronous task.
    if (err instanceof InspectorError && err.code === 'timeout') {
      throw new HeapSnapshotCaptureError(
        'the debuggee did not answer within 5 s (busy in a long synchronous task?); no snapshot taken',
        'timeout',
      );
    }
    return null;
  }
}

/** Subscribes to HeapProfiler events through js-debug's proxy, once per connection. */
async function subscribeThroughProxy(conn: InspectorConnection, proxy: boolean | 'auto'): Promise<void> {
  if (proxy === false) return;
  try {
    await conn.subscribeThroughJsDebug(['HeapProfiler.*']);
  } catch (err) {
    if (proxy === true) throw toCaptureError(err);
    if (err instanceof InspectorError && err.code === 'closed') throw toCaptureError(err);
    // A direct inspector answers "'JsDebug.subscribe' wasn't found": nothing to subscribe to.
  }
}

/**
 * 5 minutes plus 1 s per MB of heap. V8 usually needs ~5 s per 100 MB, but some programs make it far slower
 * (with TypeScript's compiler loaded, Node 20 takes 20–60 s even for a 20 MB heap); users cancel with the signal.
 */
function defaultTimeoutMs(heapUsed: number | null): number {
  const mb = (heapUsed ?? 1024 * 1048576) / 1048576;
  return Math.round(300_000 + mb * 1000);
}
