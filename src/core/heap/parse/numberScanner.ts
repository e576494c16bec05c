/**
 * The bytes the scanner tells apart; a byte read from the buffer is typed Ch so every comparison is checked.
 * Deliberately local, not imported from ./bytes: scanNumbers is serialized with toString() into the edge-prefetch
 * worker, and only a same-file const enum is inlined by every transpiler (an import would leave `import_bytes.Ch`).
 */
const enum Ch {
  Tab = 0x09,
  Newline = 0x0a,
  Return = 0x0d,
  Space = 0x20,
  Comma = 0x2c,
  Digit0 = 0x30,
  Digit9 = 0x39,
  RBracket = 0x5d,
}

export const enum ScanStatus {
  NeedMore,
  BatchFull,
  Closed,
  Bad,
}

export interface ScanState {
  value: number;
  inNumber: boolean;
  /** A number may come next (start of array or after a comma). */
  expect: boolean;
  n: number;
  status: ScanStatus;
  /** Stop with BatchFull when n reaches this (at most batch.length). */
  cap: number;
}

/**
 * The hot loop: decimal integers separated by commas/whitespace into `batch`. Stops at the chunk end (state kept for
 * the next chunk), when st.cap numbers are in the batch, at ']' (Closed), or at anything else (Bad, `i` at the offending byte).
 * Self-contained (no outer references): its source also runs on the edge-prefetch thread.
 */
export function scanNumbers(buf: Buffer, i: number, end: number, batch: Float64Array, st: ScanState): number {
  let n = st.n;
  let expect = st.expect;
  let c = 0 as Ch;
  if (st.inNumber) {
    let value = st.value;
    while (i < end && (c = buf[i] as Ch) >= Ch.Digit0 && c <= Ch.Digit9) {
      value = value * 10 + (c - Ch.Digit0);
      i++;
    }
    if (i === end) {
      st.value = value;
      st.status = ScanStatus.NeedMore;
      return i;
    }
    if (value > Number.MAX_SAFE_INTEGER) {
      st.status = ScanStatus.Bad;
      return i;
    }
    batch[n++] = value;
    st.inNumber = false;
    expect = false;
    if (n === st.cap) {
      st.n = n;
      st.expect = expect;
      st.status = ScanStatus.BatchFull;
      return i;
    }
  }
  while (i < end) {
    c = buf[i];
    if (c >= Ch.Digit0 && c <= Ch.Digit9) {
      if (!expect) break;
      let value = c - Ch.Digit0;
      i++;
      while (i < end && (c = buf[i] as Ch) >= Ch.Digit0 && c <= Ch.Digit9) {
        value = value * 10 + (c - Ch.Digit0);
        i++;
      }
      if (i === end) {
        st.value = value;
        st.inNumber = true;
        st.n = n;
        st.expect = expect;
        st.status = ScanStatus.NeedMore;
        return i;
      }
      if (value > Number.MAX_SAFE_INTEGER) break;
      batch[n++] = value;
      expect = false;
      if (n === st.cap) {
        st.n = n;
        st.expect = expect;
        st.status = ScanStatus.BatchFull;
        return i;
      }
      continue;
    }
    if (c === Ch.Comma) {
      if (expect) break;
      expect = true;
      i++;
      continue;
    }
    if (c === Ch.Newline || c === Ch.Space || c === Ch.Return || c === Ch.Tab) {
      i++;
      continue;
    }
    if (c === Ch.RBracket) {
      st.n = n;
      st.expect = expect;
      st.status = ScanStatus.Closed;
      return i + 1;
    }
    break;
  }
  st.n = n;
  st.expect = expect;
  st.status = i < end ? ScanStatus.Bad : ScanStatus.NeedMore;
  return i;
}
