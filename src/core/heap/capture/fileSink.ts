import { createWriteStream, WriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { logFailure } from '../../log';
import { openOutputFile } from '../../recording/outputFile';

/**
 * The file a snapshot is streamed into, chunk by chunk. Owns the write stream; `finish` or `discard` releases it.
 * When the disk falls behind, the source socket is paused (if one is given) so chunks wait in the kernel, not in our heap.
 */
export class SnapshotFileSink {
  private readonly stream: WriteStream;
  private failure: Error | undefined;
  private paused = false;
  private done = false;
  /** Largest number of bytes ever queued in the write stream, for the benchmark's memory claims. */
  maxBufferedBytes = 0;
  chunks = 0;

  private constructor(
    readonly file: string,
    private readonly source: Socket | undefined,
  ) {
    // 0o600, no symbolic link, nobody else's file: a heap snapshot holds every string of the debuggee, secrets included.
    this.stream = createWriteStream(file, { fd: openOutputFile(file), highWaterMark: 1 << 20 });
    this.stream.on('error', (err) => {
      this.failure ??= err;
      this.resumeSource();
    });
    this.stream.on('drain', () => this.resumeSource());
  }

  /** Opens `file` through openOutputFile (0600, O_NOFOLLOW, only our own files truncated); throws a one-line Error. */
  static async open(file: string, source?: Socket): Promise<SnapshotFileSink> {
    return Promise.resolve(new SnapshotFileSink(file, source));
  }

  /** The first write error, if any (e.g. ENOSPC). */
  get error(): Error | undefined {
    return this.failure;
  }

  /** Appends one chunk (text is written as UTF-8); never throws (errors surface through `error` and `finish`). */
  write(chunk: string | Buffer): void {
    if (this.done || this.failure) return;
    this.chunks++;
    const ok = typeof chunk === 'string' ? this.stream.write(chunk, 'utf8') : this.stream.write(chunk);
    if (this.stream.writableLength > this.maxBufferedBytes) this.maxBufferedBytes = this.stream.writableLength;
    if (!ok && this.source && !this.paused) {
      this.paused = true;
      this.source.pause();
    }
  }

  /** Flushes and closes the file; resolves with its size in bytes. */
  async finish(): Promise<number> {
    this.done = true;
    this.resumeSource();
    this.throwIfFailed();
    await new Promise<void>((resolve, reject) => {
      this.stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
    });
    // The stream's 'error' event may have fired while it flushed.
    this.throwIfFailed();
    return this.stream.bytesWritten;
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  /** Stops writing, closes the file and deletes it. Safe to call more than once. */
  async discard(): Promise<void> {
    this.done = true;
    this.resumeSource();
    if (!this.stream.destroyed) {
      await new Promise<void>((resolve) => {
        this.stream.once('close', () => resolve());
        this.stream.destroy();
      });
    }
    await unlink(this.file).catch(logFailure(`deleting the partial snapshot ${this.file}`));
  }

  private resumeSource(): void {
    if (!this.paused) return;
    this.paused = false;
    this.source?.resume();
  }
}
