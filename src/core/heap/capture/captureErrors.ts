import { InspectorError } from '../../inspector/connection';

export type HeapSnapshotCaptureErrorCode =
  'cancelled' | 'disk-space' | 'busy' | 'connection' | 'timeout' | 'write' | 'empty';

/** A failed capture, with a one-line message fit for users. The partial file has been deleted. */
export class HeapSnapshotCaptureError extends Error {
  override name = 'HeapSnapshotCaptureError';
  constructor(
    message: string,
    readonly code: HeapSnapshotCaptureErrorCode,
    /** For a capture cancelled while V8 was at it: that the debuggee keeps taking it for a while, and why. */
    readonly debuggeeStillBusy?: string,
  ) {
    super(message);
  }
}

/** True for the answer of an inspector without V8's HeapProfiler domain (Bun's WebKit Inspector Protocol). */
export function isMissingHeapProfiler(err: unknown): boolean {
  return err instanceof InspectorError && /'HeapProfiler' domain was not found/.test(err.message);
}

/** The capture error for any failure of a request or the connection. */
export function toCaptureError(err: unknown): HeapSnapshotCaptureError {
  if (err instanceof HeapSnapshotCaptureError) return err;
  if (err instanceof InspectorError)
    return new HeapSnapshotCaptureError(err.message, err.code === 'timeout' ? 'timeout' : 'connection');
  return new HeapSnapshotCaptureError(err instanceof Error ? err.message : String(err), 'connection');
}

export function rethrowAsCaptureError(err: unknown): never {
  throw toCaptureError(err);
}

export function cancelledError(debuggeeStillBusy?: string): HeapSnapshotCaptureError {
  return new HeapSnapshotCaptureError('heap snapshot cancelled; partial file deleted', 'cancelled', debuggeeStillBusy);
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}

/** Awaits `p` but gives up as soon as `signal` aborts. */
export async function guard<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  throwIfCancelled(signal);
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(cancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([p, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
