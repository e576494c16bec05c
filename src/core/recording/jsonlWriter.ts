import { closeSync, constants, fstatSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir } from './outputFile';

/**
 * Appends JSON records to a file, one per line, with a synchronous write per record: a crash loses at most the
 * record being written. The file is created readable by the user only, never through a symbolic link.
 *
 * A failed write (full disk, file-size limit) never throws and never leaves a torn line: the file is cut back to the
 * last complete line, closed, and `onFailure` is told once; later writes are no-ops.
 */
export class JsonlWriter {
  private fd: number | null;
  /** Bytes of complete lines in the file. */
  private size: number;
  /** Why recording stopped, once a write failed. */
  failure: Error | null = null;

  constructor(
    readonly file: string,
    private readonly onFailure?: (err: Error) => void,
  ) {
    ensurePrivateDir(path.dirname(file));
    this.fd = openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
    this.size = fstatSync(this.fd).size;
  }

  /** Writes one record; false (and a no-op) once recording has stopped. */
  write(record: object): boolean {
    if (this.fd === null) return false;
    const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
    try {
      // A write may be partial just before the limit; the rest then fails with the reason.
      for (let off = 0; off < line.length;) off += writeSync(this.fd, line, off);
      this.size += line.length;
      return true;
    } catch (err) {
      this.stop(err as Error);
      return false;
    }
  }

  private stop(err: Error): void {
    try {
      ftruncateSync(this.fd!, this.size);
    } catch {
      // The file keeps a partial last line, which parseJsonl skips.
    }
    this.close();
    this.failure = err;
    this.onFailure?.(err);
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}

/** Parses JSONL text, skipping blank lines and a torn last line (as left by a crash). */
export function parseJsonl<T = unknown>(text: string): T[] {
  const out: T[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      out.push(JSON.parse(line) as T);
    } catch (err) {
      if (i < lines.length - 1 && lines.slice(i + 1).some((l) => l.trim()))
        throw new Error(`line ${i + 1}: ${(err as Error).message}`);
    }
  });
  return out;
}
