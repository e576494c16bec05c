import { statfs } from 'node:fs/promises';
import path from 'node:path';
import { formatBytes } from '../../format';

/**
 * Snapshot bytes per byte of `heapUsed`, measured on Node 20 (docs/heap-capture.md): 1.1–1.2 for the benchmark's
 * service-like program, 1.9 for a heap of small objects, 0.14 for a heap of long strings (V8 writes at most 1 KB of
 * each string). Refusing is reserved for clearly hopeless cases (below `low`); below `high` the user gets a warning.
 */
const SNAPSHOT_BYTES_PER_HEAP_BYTE = { low: 0.25, typical: 1.2, high: 2 } as const;

/** What the disk check found; `enough` false means the capture should be refused. */
export interface DiskSpaceVerdict {
  enough: boolean;
  freeBytes: number;
  estimatedBytes: number;
  /** One-line explanation fit for users when `enough` is false. */
  message?: string;
  /** Set when the snapshot may not fit although the capture is allowed. */
  warning?: string;
}

/** Free bytes available to unprivileged users on the file system holding `file` (its directory must exist). */
async function freeBytesFor(file: string): Promise<number> {
  const s = await statfs(path.dirname(path.resolve(file)));
  return Number(s.bavail) * Number(s.bsize);
}

/** Decides whether a snapshot of a heap with `heapUsed` bytes clearly does not fit next to `file`. */
export async function checkDiskSpace(file: string, heapUsed: number): Promise<DiskSpaceVerdict> {
  let freeBytes: number;
  try {
    freeBytes = await freeBytesFor(file);
  } catch {
    // statfs can fail on exotic file systems; the write itself will report ENOSPC then.
    return { enough: true, freeBytes: Number.POSITIVE_INFINITY, estimatedBytes: 0 };
  }
  const estimatedBytes = Math.round(heapUsed * SNAPSHOT_BYTES_PER_HEAP_BYTE.typical);
  const minimum = heapUsed * SNAPSHOT_BYTES_PER_HEAP_BYTE.low + 16 * 1048576;
  const where = path.dirname(path.resolve(file));
  if (freeBytes >= heapUsed * SNAPSHOT_BYTES_PER_HEAP_BYTE.high) return { enough: true, freeBytes, estimatedBytes };
  if (freeBytes >= minimum) {
    return {
      enough: true,
      freeBytes,
      estimatedBytes,
      warning: `disk space is low in ${where}: ${formatBytes(freeBytes)} free, the snapshot may need about ${formatBytes(estimatedBytes)}`,
    };
  }
  return {
    enough: false,
    freeBytes,
    estimatedBytes,
    message: `not enough disk space for the heap snapshot in ${where}: ${formatBytes(freeBytes)} free, about ${formatBytes(estimatedBytes)} needed (heap in use ${formatBytes(heapUsed)})`,
  };
}
