import { HeapSnapshotError } from '../errors';

const SEGMENT_BYTES = 32 * 1024 * 1024;
/**
 * Longest string the engine returns, in UTF-16 units (an ellipsis marks the cut). V8 caps node names near 1024, but
 * class and edge names come from this table unshortened: one 10 MB constructor name made a 100-row viewer page a
 * 1 GB message. Every name the engine hands out passes through `get`, so this one cut covers them all.
 */
export const MAX_STRING_CHARS = 1000;
/** Bytes decoded for a shortened string: enough for MAX_STRING_CHARS even if each is a 6-byte `\uXXXX` escape. */
const MAX_DECODE_BYTES = MAX_STRING_CHARS * 6 + 6;

/**
 * The snapshot's `strings` section, kept as the raw (still JSON-escaped) bytes in a few large segments and decoded one
 * string at a time on demand. This keeps hundreds of MB of strings out of the JS heap (V8 strings max out near 512 MB)
 * and makes parsing cost one memcpy per string.
 */
export class HeapStringTable {
  private segments: Buffer[] = [];
  private segment: Buffer = Buffer.allocUnsafe(0);
  private segmentUsed = 0;
  private segIndex = new Uint32Array(1024);
  private start = new Uint32Array(1024);
  private length = new Uint32Array(1024);
  private escaped = new Uint8Array(1024);
  private cache: (string | undefined)[] = [];
  private readonly extra: string[] = [];
  /** Segment offset where the string being read starts (-1: none). */
  private pendingStart = -1;
  /** Number of complete strings. */
  count = 0;

  /**
   * Copies raw bytes of the strings section into the current segment (a new one when full; the string being read
   * moves along so that it stays contiguous). Returns the segment offset where buf[from] landed: the reader then
   * marks strings by offset, with no copy per string.
   */
  copyIn(buf: Buffer, from: number, to: number): number {
    const n = to - from;
    if (this.segmentUsed + n > this.segment.length) this.newSegment(n);
    const at = this.segmentUsed;
    buf.copy(this.segment, at, from, to);
    this.segmentUsed += n;
    return at;
  }

  /** A string starts at this segment offset. */
  begin(at: number): void {
    this.pendingStart = at;
  }

  /** The string being read ends before this segment offset; `hasEscapes` says whether it contains a backslash. */
  end(at: number, hasEscapes: boolean): void {
    const i = this.count;
    if (i === this.start.length) this.grow();
    this.segIndex[i] = this.segments.length - 1;
    this.start[i] = this.pendingStart;
    this.length[i] = at - this.pendingStart;
    this.escaped[i] = hasEscapes ? 1 : 0;
    this.pendingStart = -1;
    this.count = i + 1;
  }

  /** Adds a derived string (e.g. a "Detached …" name) after the snapshot's own; returns its index. */
  add(value: string): number {
    this.extra.push(value);
    return this.count + this.extra.length - 1;
  }

  /** Number of strings including added ones. */
  get size(): number {
    return this.count + this.extra.length;
  }

  /** Length in bytes of a snapshot string as stored (escaped UTF-8): a cheap upper bound before decoding. */
  rawLength(index: number): number {
    return index < this.count ? this.length[index] : (this.extra[index - this.count]?.length ?? 0);
  }

  /** First byte of snapshot string `index` as stored (-1 for an empty or added string): a cheap filter before decoding. */
  firstByte(index: number): number {
    if (!(index >= 0 && index < this.count) || !this.length[index]) return -1;
    return this.segments[this.segIndex[index]][this.start[index]];
  }

  /** Returns string `index` shortened to MAX_STRING_CHARS (+ "…"), decoding it on first use. */
  get(index: number): string {
    let value = this.cache[index];
    if (value === undefined) {
      value = this.peek(index);
      if (index < this.count) this.cache[index] = value;
    }
    return value;
  }

  /** The value `get` returns, without keeping it: for one pass over millions of strings (duplicate detection). */
  peek(index: number): string {
    const cached = this.cache[index];
    if (cached !== undefined) return cached;
    if (index >= this.count && index < this.count + this.extra.length) return this.extra[index - this.count];
    return this.decode(index, true);
  }

  /** Returns string `index` whole, uncached: for checks against the file, never for display. */
  full(index: number): string {
    if (index >= this.count && index < this.count + this.extra.length) return this.extra[index - this.count];
    return this.decode(index, false);
  }

  private decode(index: number, shortened: boolean): string {
    if (!(index >= 0 && index < this.count))
      throw new HeapSnapshotError(`invalid heap snapshot: string index ${index} out of range`);
    const seg = this.segments[this.segIndex[index]];
    const s = this.start[index];
    const full = s + this.length[index];
    const cut = shortened && full - s > MAX_DECODE_BYTES;
    const e = cut ? safeCut(seg, s, s + MAX_DECODE_BYTES, this.escaped[index] === 1) : full;
    const decoded = this.escaped[index] ? decodeJsonStringBytes(seg, s, e) : seg.toString('utf8', s, e);
    return shortened && (cut || decoded.length > MAX_STRING_CHARS) ? shorten(decoded) : decoded;
  }

  /**
   * The indices of the snapshot's strings whose stored bytes contain `ascii` (printable ASCII without `"` or `\`, so
   * stored as is), ascending: one `indexOf` scan per segment, nothing decoded. Added strings are not searched.
   */
  indicesContaining(ascii: string): number[] {
    const found: number[] = [];
    const needle = Buffer.from(ascii, 'latin1');
    for (let seg = 0; seg < this.segments.length; seg++) {
      const buf = this.segments[seg];
      for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + 1)) {
        // The string holding byte `at`: the last one of this segment starting at or before it.
        let lo = 0;
        let hi = this.count - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >>> 1;
          if (this.segIndex[mid] < seg || (this.segIndex[mid] === seg && this.start[mid] <= at)) lo = mid;
          else hi = mid - 1;
        }
        if (this.segIndex[lo] !== seg || at + needle.length > this.start[lo] + this.length[lo]) continue;
        if (found[found.length - 1] !== lo) found.push(lo);
        at = this.start[lo] + this.length[lo] - 1;
      }
    }
    return found;
  }

  /**
   * Bounds of the length (UTF-16 units) of the value `get(index)` returns, from the stored bytes alone, into
   * out[0..1]: a unit takes 1–3 bytes of UTF-8, or up to 6 as an escape; `get` cuts values above MAX_STRING_CHARS.
   */
  lengthBounds(index: number, out: Int32Array): void {
    if (!(index >= 0 && index < this.count)) {
      out[0] = out[1] = this.peek(index).length;
      return;
    }
    const bytes = this.length[index];
    out[0] = Math.min(Math.ceil(bytes / (this.escaped[index] ? 6 : 3)), MAX_STRING_CHARS);
    out[1] = Math.min(bytes, MAX_STRING_CHARS + 1);
  }

  /**
   * Hashes the value `get(index)` returns without building it when it can: `out` gets its length in UTF-16 units and
   * two polynomial hashes of its units (mod 2^32, bases `base1` and `base2`). Strings stored as plain ASCII (no
   * escape, no byte above 127: nearly all) are hashed from their bytes; the others are decoded (not cached).
   */
  hashValue(index: number, base1: number, base2: number, out: Int32Array): void {
    let a = 0;
    let b = 0;
    if (index >= 0 && index < this.count && !this.escaped[index] && this.length[index] <= MAX_STRING_CHARS) {
      const seg = this.segments[this.segIndex[index]];
      const from = this.start[index];
      const to = from + this.length[index];
      let ascii = true;
      for (let i = from; i < to; i++) {
        const c = seg[i];
        if (c > 127) {
          ascii = false;
          break;
        }
        a = (Math.imul(a, base1) + c) | 0;
        b = (Math.imul(b, base2) + c) | 0;
      }
      if (ascii) {
        out[0] = to - from;
        out[1] = a;
        out[2] = b;
        return;
      }
      a = b = 0;
    }
    const v = this.peek(index);
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      a = (Math.imul(a, base1) + c) | 0;
      b = (Math.imul(b, base2) + c) | 0;
    }
    out[0] = v.length;
    out[1] = a;
    out[2] = b;
  }

  /** Bytes held for string storage (for memory accounting). */
  get byteSize(): number {
    return this.segments.reduce((a, s) => a + s.length, 0) + this.start.length * 13;
  }

  /** Drops spare capacity once parsing is done. */
  seal(): void {
    if (this.segments.length) {
      const last = this.segments.length - 1;
      this.segments[last] = Buffer.from(this.segment.subarray(0, this.segmentUsed));
      this.segment = this.segments[last]!;
    }
    this.cache = new Array<string | undefined>(this.count);
  }

  private newSegment(minBytes: number): void {
    const pending = this.pendingStart >= 0 ? this.segmentUsed - this.pendingStart : 0;
    const next = Buffer.allocUnsafe(Math.max(SEGMENT_BYTES, (pending + minBytes) * 2));
    // Move the partial string so that each string stays contiguous in one segment.
    if (pending) this.segment.copy(next, 0, this.pendingStart, this.segmentUsed);
    if (this.segments.length) {
      const last = this.segments.length - 1;
      // Trim the finished segment to what was used.
      this.segments[last] = this.segment.subarray(0, this.pendingStart >= 0 ? this.pendingStart : this.segmentUsed);
    }
    this.segments.push(next);
    this.segment = next;
    if (this.pendingStart >= 0) this.pendingStart = 0;
    this.segmentUsed = pending;
  }

  private grow(): void {
    const n = this.start.length * 2;
    const seg = new Uint32Array(n);
    seg.set(this.segIndex);
    this.segIndex = seg;
    const st = new Uint32Array(n);
    st.set(this.start);
    this.start = st;
    const ln = new Uint32Array(n);
    ln.set(this.length);
    this.length = ln;
    const es = new Uint8Array(n);
    es.set(this.escaped);
    this.escaped = es;
  }
}

/** Moves a cut back so that it splits neither a UTF-8 sequence nor a JSON escape. */
function safeCut(buf: Buffer, from: number, cut: number, escaped: boolean): number {
  if (escaped) {
    // Walk the escapes from the start: the cut must not land inside one.
    for (let i = from; i < cut;) {
      if (buf[i] !== 0x5c) i++;
      else {
        const len = buf[i + 1] === 0x75 ? 6 : 2;
        if (i + len > cut) return i;
        i += len;
      }
    }
  }
  while (cut > from && (buf[cut] & 0xc0) === 0x80) cut--;
  return cut;
}

/** The first MAX_STRING_CHARS units (not ending in half a surrogate pair) and an ellipsis. */
function shorten(text: string): string {
  let end = MAX_STRING_CHARS;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) HEX[65 + i] = HEX[97 + i] = 10 + i;

/** Decodes the bytes between a JSON string's quotes (UTF-8 with JSON escapes, \uXXXX surrogate pairs included). */
function decodeJsonStringBytes(buf: Buffer, from: number, to: number): string {
  let out = '';
  let runStart = from;
  let i = from;
  while (i < to) {
    if (buf[i] !== 0x5c) {
      i++;
      continue;
    }
    if (i > runStart) out += buf.toString('utf8', runStart, i);
    const c = buf[i + 1];
    i += 2;
    switch (c) {
      case 0x22:
        out += '"';
        break;
      case 0x5c:
        out += '\\';
        break;
      case 0x2f:
        out += '/';
        break;
      case 0x62:
        out += '\b';
        break;
      case 0x66:
        out += '\f';
        break;
      case 0x6e:
        out += '\n';
        break;
      case 0x72:
        out += '\r';
        break;
      case 0x74:
        out += '\t';
        break;
      case 0x75: {
        let code = 0;
        let ok = i + 4 <= to;
        for (let k = 0; ok && k < 4; k++) {
          const h = buf[i + k];
          const v = h < 128 ? HEX[h] : -1;
          if (v < 0) ok = false;
          else code = code * 16 + v;
        }
        if (!ok) throw new HeapSnapshotError('invalid heap snapshot: bad \\u escape in the strings section');
        // Lone surrogates are kept as code units; a high+low pair forms one character, as in JSON.parse.
        out += String.fromCharCode(code);
        i += 4;
        break;
      }
      default:
        throw new HeapSnapshotError('invalid heap snapshot: bad escape in the strings section');
    }
    runStart = i;
  }
  if (to > runStart) out += buf.toString('utf8', runStart, to);
  return out;
}
