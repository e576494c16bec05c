import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * Appends JSON records to a file, one per line, with a synchronous write per record:
 * a crash loses at most the record being written. The file is created readable by the user only.
 */
export class JsonlWriter {
  private fd: number | null;

  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    this.fd = openSync(file, 'a', 0o600);
  }

  /** Writes one record; a no-op after close. */
  write(record: object): void {
    if (this.fd === null) return;
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
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
