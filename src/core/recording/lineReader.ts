import type { FileHandle } from 'node:fs/promises';

/** One line of a file; `tooLong` lines are not returned whole (only their length), `terminated` is false at EOF. */
export interface ReadLine {
  text: string;
  /** 1-based line number. */
  number: number;
  /** The line exceeded the limit: `text` is empty, `bytes` says how long it was. */
  tooLong: boolean;
  bytes: number;
  /** False only for a last line without its newline (a file cut mid-line, or written without one). */
  terminated: boolean;
}

/**
 * Reads a file line by line holding at most `maxLineBytes` of one line in memory: `readline` builds each line as one
 * string, so a line longer than V8's string limit (~512 MB) crashes it. Longer lines are skipped and reported.
 */
export async function* readBoundedLines(handle: FileHandle, maxLineBytes: number): AsyncGenerator<ReadLine> {
  const buffer = Buffer.allocUnsafe(1 << 20);
  let parts: Buffer[] = [];
  let partBytes = 0;
  let overflow = 0;
  let number = 0;
  const take = (terminated: boolean): ReadLine => {
    number++;
    const tooLong = overflow > 0;
    const line: ReadLine = {
      text: tooLong ? '' : Buffer.concat(parts, partBytes).toString('utf8'),
      number,
      tooLong,
      bytes: tooLong ? overflow : partBytes,
      terminated,
    };
    parts = [];
    partBytes = 0;
    overflow = 0;
    return line;
  };
  const append = (chunk: Buffer) => {
    if (overflow) overflow += chunk.length;
    else if (partBytes + chunk.length > maxLineBytes) {
      overflow = partBytes + chunk.length;
      parts = [];
      partBytes = 0;
    } else {
      parts.push(Buffer.from(chunk)); // copied: the read buffer is reused
      partBytes += chunk.length;
    }
  };
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
    if (bytesRead === 0) break;
    let start = 0;
    for (;;) {
      const nl = buffer.indexOf(10, start);
      if (nl < 0 || nl >= bytesRead) break;
      const end = nl > start && buffer[nl - 1] === 13 ? nl - 1 : nl; // CRLF
      append(buffer.subarray(start, end));
      yield take(true);
      start = nl + 1;
    }
    if (start < bytesRead) append(buffer.subarray(start, bytesRead));
  }
  if (partBytes || overflow) yield take(false);
}
