import { describeByte, HeapSnapshotError } from '../errors';
import type { HeapStringTable } from './stringTable';
import { Ch } from './bytes';

const MAX_HEADER_BYTES = 64 * 1024 * 1024;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Walks one JSON value chunk by chunk, tracking nesting and strings: either capturing its bytes (the small `snapshot`
 * header, capped at 64 MB) or skipping it (trace trees, samples, unknown sections). A scalar ends before the ',' or
 * '}' that follows it, which is left for the caller.
 */
export class RawValueReader {
  /** The captured text once a captured value is complete. */
  text: string | null = null;
  /** True once the value has been passed. */
  done = false;
  private depth = 0;
  private inString = false;
  private escapeNext = false;
  private scalar = false;
  private parts: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly capture: boolean) {}

  /** Consumes bytes from `i`; returns where the value ended (or the chunk end). */
  read(buf: Buffer, i: number): number {
    const start = i;
    const end = buf.length;
    let { depth, inString, escapeNext } = this;
    for (; i < end && !this.done; i++) {
      const c: Ch = buf[i];
      if (inString) {
        if (escapeNext) escapeNext = false;
        else if (c === Ch.Backslash) escapeNext = true;
        else if (c === Ch.Quote) {
          inString = false;
          if (depth === 0) this.done = true;
        }
        continue;
      }
      if (c === Ch.Quote) inString = true;
      else if (c === Ch.LBrace || c === Ch.LBracket) depth++;
      else if (c === Ch.RBrace || c === Ch.RBracket) {
        if (depth === 0) break; // the end of a scalar: the caller sees this '}'
        if (--depth === 0) this.done = true;
      } else if (depth === 0) {
        if (this.capture && !isSpace(c))
          throw new HeapSnapshotError('invalid heap snapshot: "snapshot" is not an object');
        if (c === Ch.Comma || (isSpace(c) && this.scalar)) break;
        if (!isSpace(c)) this.scalar = true;
      }
    }
    if (i < end && !this.done && !inString) this.done = true; // stopped at a scalar's terminator
    this.depth = depth;
    this.inString = inString;
    this.escapeNext = escapeNext;
    if (this.capture) {
      this.bytes += i - start;
      if (this.bytes > MAX_HEADER_BYTES)
        throw new HeapSnapshotError('invalid heap snapshot: the "snapshot" header is too large');
      this.parts.push(Buffer.from(buf.subarray(start, i)));
      if (this.done) {
        this.text = Buffer.concat(this.parts).toString('utf8');
        this.parts = [];
      }
    }
    return i;
  }
}

/**
 * Reads the `strings` array into a HeapStringTable chunk by chunk: native indexOf finds quotes and backslashes, so
 * string bytes are copied in bulk; escapes are decoded later, one string at a time, when a string is used.
 */
export class StringArrayReader {
  done = false;
  private arrayOpen = false;
  private inString = false;
  private escapeNext = false;
  private hasEscape = false;
  private expectString = true;

  constructor(private readonly table: HeapStringTable) {}

  /** Consumes bytes from `i`; `base` is the chunk's file offset (for messages). */
  read(buf: Buffer, i: number, base: number): number {
    const end = buf.length;
    const table = this.table;
    if (!this.arrayOpen) {
      while (i < end && isSpace(buf[i])) i++;
      if (i === end) return i;
      const open: Ch = buf[i];
      if (open !== Ch.LBracket) throw new HeapSnapshotError('invalid heap snapshot: "strings" is not an array');
      this.arrayOpen = true;
      i++;
    }
    // The rest of the chunk goes into the table in one copy; strings are then marked by offset (buf[k] is at
    // segment offset k + shift), so a string costs a scan of its bytes and no call per string but end().
    const shift = table.copyIn(buf, i, end) - i;
    let { inString, escapeNext, hasEscape, expectString } = this;
    while (i < end) {
      if (inString) {
        if (escapeNext) {
          escapeNext = false;
          i++;
          continue;
        }
        let c = 0 as Ch;
        while (i < end && (c = buf[i] as Ch) !== Ch.Quote && c !== Ch.Backslash) i++;
        if (i === end) break;
        if (c === Ch.Backslash) {
          hasEscape = true;
          escapeNext = true;
          i++;
          continue;
        }
        table.end(i + shift, hasEscape);
        inString = false;
        expectString = false;
        i++;
        continue;
      }
      const c: Ch = buf[i];
      if (isSpace(c)) {
        i++;
        continue;
      }
      if (c === Ch.Quote && expectString) {
        inString = true;
        hasEscape = false;
        table.begin(i + 1 + shift);
        i++;
        continue;
      }
      if (c === Ch.Comma && !expectString) {
        expectString = true;
        i++;
        continue;
      }
      if (c === Ch.RBracket && (!expectString || table.count === 0)) {
        this.done = true;
        i++;
        break;
      }
      throw new HeapSnapshotError(
        `invalid heap snapshot: unexpected ${describeByte(c)} in the "strings" array at byte ${base + i}`,
      );
    }
    Object.assign(this, { inString, escapeNext, hasEscape, expectString });
    return i;
  }
}
