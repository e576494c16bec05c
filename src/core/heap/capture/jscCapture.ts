import type { InspectorConnection } from '../../inspector/connection';
import { HeapSnapshotError } from '../errors';
import { convertJscSnapshot, isJscHeapSnapshot, v8SnapshotBytes, type V8HeapSnapshotJson } from '../parse/jscSnapshot';
import { guard, HeapSnapshotCaptureError, rethrowAsCaptureError, throwIfCancelled } from './captureErrors';
import { SnapshotFileSink } from './fileSink';

/** Options of a JavaScriptCore capture (see captureJscSnapshot). */
export interface JscCaptureOptions {
  signal?: AbortSignal;
  timeoutMs: number;
  /** Called once with (nodes, nodes) when the snapshot has been converted. */
  onProgress?: (done: number, total: number) => void;
  /** Told about the `Heap.snapshot` request a cancel left behind (the next capture waits for its answer). */
  onAbandoned: (request: Promise<unknown>) => void;
}

/** What the file got. */
export interface JscCaptureResult {
  bytes: number;
  chunks: number;
  maxBufferedBytes: number;
}

/**
 * Takes a heap snapshot over JavaScriptCore's WebKit Inspector Protocol (Bun): `Heap.snapshot` answers with the whole
 * snapshot as one string (no `Heap.enable` needed, no progress events), which is converted to V8's format and written
 * to `file` (0600; deleted again on failure or cancel). Rejects with a HeapSnapshotCaptureError.
 */
export async function captureJscSnapshot(
  conn: InspectorConnection,
  file: string,
  options: JscCaptureOptions,
): Promise<JscCaptureResult> {
  const request = conn.send('Heap.snapshot', {}, options.timeoutMs).catch(rethrowAsCaptureError);
  // Its failure reaches the guard below; this only keeps a late one from going unhandled.
  request.catch(() => undefined);
  let snapshotData: string;
  try {
    ({ snapshotData } = await guard(request, options.signal));
  } catch (err) {
    options.onAbandoned(request);
    throw err;
  }
  const v8 = convertAnswer(snapshotData);
  throwIfCancelled(options.signal);
  options.onProgress?.(v8.snapshot.node_count, v8.snapshot.node_count);
  const sink = await SnapshotFileSink.open(file).catch((err: Error) => {
    throw new HeapSnapshotCaptureError(err.message, 'write');
  });
  const writeError = (err: NodeJS.ErrnoException) =>
    new HeapSnapshotCaptureError(`cannot write ${file}: ${err.code ?? err.message}`, 'write');
  try {
    for (const piece of v8SnapshotBytes(v8)) {
      sink.write(piece);
      if (sink.error) throw writeError(sink.error);
      throwIfCancelled(options.signal);
    }
    const bytes = await sink.finish().catch((err: NodeJS.ErrnoException) => {
      throw writeError(err);
    });
    return { bytes, chunks: sink.chunks, maxBufferedBytes: sink.maxBufferedBytes };
  } catch (err) {
    await sink.discard();
    throw err;
  }
}

function convertAnswer(snapshotData: unknown): V8HeapSnapshotJson {
  if (typeof snapshotData !== 'string' || !snapshotData)
    throw new HeapSnapshotCaptureError('the debuggee sent an empty heap snapshot', 'empty');
  try {
    const json: unknown = JSON.parse(snapshotData);
    if (!isJscHeapSnapshot(json)) throw new HeapSnapshotError('not a JavaScriptCore heap snapshot');
    return convertJscSnapshot(json);
  } catch (err) {
    throw new HeapSnapshotCaptureError(
      `the debuggee sent an unreadable heap snapshot: ${(err as Error).message}`,
      'empty',
    );
  }
}
