import { statfs } from 'node:fs/promises';
import path from 'node:path';

/**
 * Snapshot bytes per byte of `heapUsed`, measured on this project's benchmark program (bench/heap/realistic-app.mjs)
 * and on small test programs: between about 1.6 and 2.6 (see docs/heap-capture.md). The check below refuses only when
 * free space is below the low end, because an over-eager refusal is worse than a snapshot that fills the disk late.
 */
export const SNAPSHOT_BYTES_PER_HEAP_BYTE = { low: 1.5, typical: 2.2, high: 3 } as const;

/** What the disk check found; `enough` false means the capture should be refused. */
export interface DiskSpaceVerdict {
  enough: boolean;
  freeBytes: number;
  estimatedBytes: number;
  /** One-line explanation fit for users when `enough` is false. */
  message?: string;
}

/** Free bytes available to unprivileged users on the file system holding `file` (its directory must exist). */
export async function freeBytesFor(file: string): Promise<number> {
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
  const minimum = heapUsed * SNAPSHOT_BYTES_PER_HEAP_BYTE.low;
  if (freeBytes >= minimum) return { enough: true, freeBytes, estimatedBytes };
  return {
    enough: false,
    freeBytes,
    estimatedBytes,
    message: `not enough disk space for the heap snapshot in ${path.dirname(path.resolve(file))}: ${formatMb(freeBytes)} free, about ${formatMb(estimatedBytes)} needed (heap in use ${formatMb(heapUsed)})`,
  };
}

function formatMb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(bytes < 10 * 1048576 ? 1 : 0)} MB`;
}
