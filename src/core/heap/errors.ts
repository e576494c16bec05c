/** A heap snapshot that cannot be read: truncated, not JSON, unknown layout, inconsistent counts. One-line message. */
export class HeapSnapshotError extends Error {
  override name = 'HeapSnapshotError';
}

/** Thrown when a load is cancelled through its AbortSignal. */
export class HeapSnapshotAbortError extends Error {
  override name = 'AbortError';
  constructor() {
    super('heap snapshot analysis was cancelled');
  }
}

/** A byte as text for error messages. Self-contained (its source also runs on the edge-prefetch thread). */
export function describeByte(c: number): string {
  return c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}
