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
