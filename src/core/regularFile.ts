import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';

/** A path that is not a regular file (FIFO, device, socket, directory), or cannot be stat'ed; one-line message. */
export class NotRegularFileError extends Error {
  override name = 'NotRegularFileError';
}

/** What kind of thing a non-regular path is, for messages ("a FIFO (named pipe)"). */
export function describeFileKind(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Opens a regular file for reading, refusing anything else *before* opening it: an `open()` of a FIFO blocks until a
 * writer appears, and while it waits it holds one of libuv's four threadpool threads (four such opens stall every
 * file read in the process) and cannot be cancelled. O_NONBLOCK closes the race with a path swapped after the stat.
 */
export async function openRegularFile(path: string): Promise<FileHandle> {
  let before: Stats;
  try {
    before = await stat(path);
  } catch (err) {
    throw new NotRegularFileError(`cannot open the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  if (!before.isFile()) throw new NotRegularFileError(`${describeFileKind(before)}, not a regular file`);
  let handle: FileHandle;
  try {
    // O_NONBLOCK is undefined on Windows, where FIFOs do not exist as paths.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw new NotRegularFileError(`cannot open the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const after = await handle.stat();
  if (!after.isFile()) {
    await handle.close();
    throw new NotRegularFileError(`${describeFileKind(after)}, not a regular file`);
  }
  return handle;
}
