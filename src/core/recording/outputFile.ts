import { closeSync, constants, fchmodSync, fstatSync, ftruncateSync, mkdirSync, openSync, writeSync } from 'node:fs';

/** Error codes of a write that failed because space ran out (disk full, file-size limit, quota). */
const OUT_OF_SPACE: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EFBIG: 'the file-size limit was reached',
  EDQUOT: 'the disk quota is exhausted',
};

/** One line saying why a write failed, e.g. "the disk is full (ENOSPC)". */
export function describeWriteError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const why = e?.code ? OUT_OF_SPACE[e.code] : undefined;
  return why ? `${why} (${e.code})` : (e?.message ?? String(err));
}

/**
 * Opens `file` for a new output (report, snapshot, `-o`): created 0600 (it may hold the debuggee's secrets), never
 * through a symbolic link at the last path component (O_NOFOLLOW), and never over a file that is not a regular file
 * of ours. Only then is an existing file of ours truncated and narrowed to 0600. Throws a one-line Error otherwise.
 */
export function openOutputFile(file: string): number {
  let fd: number;
  try {
    // No O_TRUNC here: whether the file may be emptied is decided below, once we know what it is.
    fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ELOOP')
      throw new Error(`refusing to write ${file}: it is a symbolic link (give its target instead)`);
    throw new Error(`cannot write ${file}: ${e.code === 'ENOENT' ? 'its folder does not exist' : e.message}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`refusing to write ${file}: it is not a regular file`);
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid)
      throw new Error(`refusing to overwrite ${file}: it belongs to another user`);
    fchmodSync(fd, 0o600);
    ftruncateSync(fd, 0);
    return fd;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/**
 * Writes `text` to `file` through openOutputFile. On failure (e.g. a full disk) the file is emptied rather than left
 * torn, and a one-line Error is thrown.
 */
export function writeOutputFile(file: string, text: string): void {
  const fd = openOutputFile(file);
  const buf = Buffer.from(text, 'utf8');
  try {
    for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off);
  } catch (err) {
    try {
      ftruncateSync(fd, 0);
    } catch {
      // Nothing more can be done: the error below is what the user needs.
    }
    throw new Error(`could not write ${file}: ${describeWriteError(err)}`);
  } finally {
    closeSync(fd);
  }
}

/** Creates `dir` (and its parents) readable by the user only, like the recording folder. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}
