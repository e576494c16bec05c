import { scanNumbers, ScanState, ScanStatus } from './numberScanner';
import type { RawHeapSnapshot } from '../rawSnapshot';
import type { EdgeColumns } from './edgeSink';

/**
 * Fast paths for the big number arrays. V8 writes `nodes` and `edges` one record per line (",1,2,3\n"), so whole
 * records can be read with one straight loop per field, no per-number state machine and no intermediate batch:
 * about twice as fast as scanNumbers. Anything unusual (whitespace inside a record, a bad value, a record that may
 * run past the chunk end) stops the fast loop at the start of that record; scanRecords then reads that one record
 * number by number with the general scanner, which carries state across chunks and gives the precise error.
 * The loops spell out each field on purpose: a generic per-field loop measured 1.5× slower on the nodes (157 vs 104 ms
 * for 65 MB, cold), and these loops are most of the parse time.
 */

/** Bytes kept clear of the chunk end: the node loops never start a record closer to it (records are far shorter). */
const NODE_MARGIN = 256;

/** Edge columns plus the next edge ordinal; the fast path advances `ordinal`. */
export interface EdgeRecordTarget extends EdgeColumns {
  /** Edges the header declares. */
  count: number;
  ordinal: number;
  /** Edge types whose name_or_index is an index, not a string (-1 when absent). */
  elementType: number;
  hiddenType: number;
  /** Largest string index named by an edge so far (validated against the string count after parsing). */
  maxStringName: number;
}

/**
 * Whole `[type, name_or_index, to_node]` edges from buf[i…): each begins with a comma (optionally surrounded by
 * whitespace) and holds three numbers separated by bare commas. Returns where it stopped (a record start).
 * Self-contained: its source also runs on the edge-prefetch thread.
 */
export function fastEdgeRecords(t: EdgeRecordTarget, buf: Uint8Array, i: number, end: number): number {
  const { edgeType, edgeName, edgeTo, nodeCount, nodeFieldCount, typeCount, count, elementType, hiddenType } = t;
  const limit = end - 64; // clear of the chunk end, as NODE_MARGIN (a literal: this source runs on its own elsewhere)
  let e = t.ordinal;
  let maxName = t.maxStringName;
  while (i < limit) {
    const start = i;
    let c = buf[i];
    while (c === 0x0a || c === 0x20 || c === 0x0d || c === 0x09) c = buf[++i]!;
    if (c !== 0x2c) {
      i = start;
      break;
    }
    c = buf[++i]!;
    while (c === 0x0a || c === 0x20 || c === 0x0d || c === 0x09) c = buf[++i]!;
    if (c < 48 || c > 57) {
      i = start;
      break;
    }
    let type = c - 48;
    while ((c = buf[++i]!) >= 48 && c <= 57) type = type * 10 + (c - 48);
    if (c !== 0x2c) {
      i = start;
      break;
    }
    c = buf[++i]!;
    if (c < 48 || c > 57) {
      i = start;
      break;
    }
    let name = c - 48;
    while ((c = buf[++i]!) >= 48 && c <= 57) name = name * 10 + (c - 48);
    if (c !== 0x2c) {
      i = start;
      break;
    }
    c = buf[++i]!;
    if (c < 48 || c > 57) {
      i = start;
      break;
    }
    let to = c - 48;
    while ((c = buf[++i]!) >= 48 && c <= 57) to = to * 10 + (c - 48);
    const target = to / nodeFieldCount;
    if (
      i >= end ||
      e >= count ||
      type >= typeCount ||
      name > 0xffffffff ||
      target >= nodeCount ||
      target !== Math.floor(target)
    ) {
      i = start;
      break;
    }
    edgeType[e] = type;
    edgeName[e] = name;
    edgeTo[e] = target;
    if (name > maxName && type !== elementType && type !== hiddenType) maxName = name;
    e++;
  }
  t.ordinal = e;
  t.maxStringName = maxName;
  return i;
}

/** Raises maxStringName to cover edges from…to-1 (filled by the general path). Self-contained, as fastEdgeRecords. */
export function noteEdgeNames(t: EdgeRecordTarget, from: number, to: number): void {
  const { edgeType, edgeName, elementType, hiddenType } = t;
  let maxName = t.maxStringName;
  for (let e = from; e < to; e++) {
    const type = edgeType[e];
    if (edgeName[e] > maxName && type !== elementType && type !== hiddenType) maxName = edgeName[e]!;
  }
  t.maxStringName = maxName;
}

/** Node columns plus the next node ordinal; the fast path advances `ordinal`. firstEdge holds the running sum of the edge counts. */
export interface NodeRecordTarget extends Pick<
  RawHeapSnapshot,
  'nodeType' | 'nodeName' | 'nodeId' | 'nodeSelfSize' | 'nodeDetachedness' | 'firstEdge'
> {
  /** Sum of the edge counts so far. */
  edgeSum: number;
  /** Field offsets of type, name, id, self_size, edge_count, detachedness (-1 when absent). */
  offsets: readonly number[];
  /** Fields per node. */
  fieldCount: number;
  typeCount: number;
  count: number;
  ordinal: number;
  /** One number per field of the record being read (generic layouts). */
  record: Float64Array;
  /** Largest name string index so far (validated against the string count after parsing). */
  maxName: number;
}

/** The usual 7-field layout [type, name, id, self_size, edge_count, trace_node_id, detachedness]. */
export function isStandardNodeLayout(offsets: readonly number[], fieldCount: number): boolean {
  return fieldCount === 7 && offsets.join() === '0,1,2,3,4,6';
}

/** Whole nodes of the usual 7-field layout from buf[i…) (see fastEdgeRecords). */
export function fastStandardNodeRecords(t: NodeRecordTarget, buf: Uint8Array, i: number, end: number): number {
  const { nodeType, nodeName, nodeId, nodeSelfSize, nodeDetachedness, firstEdge, typeCount, count } = t;
  const detachedness = nodeDetachedness!;
  const limit = end - NODE_MARGIN;
  let o = t.ordinal;
  let maxName = t.maxName;
  let edgeSum = t.edgeSum;
  while (i < limit) {
    const start = i;
    let c = buf[i];
    while (c === 0x0a || c === 0x20 || c === 0x0d || c === 0x09) c = buf[++i]!;
    if (c !== 0x2c) {
      i = start;
      break;
    }
    c = buf[++i]!;
    while (c === 0x0a || c === 0x20 || c === 0x0d || c === 0x09) c = buf[++i]!;
    if (c < 48 || c > 57) {
      i = start;
      break;
    }
    let type = c - 48;
    while ((c = buf[++i]!) >= 48 && c <= 57) type = type * 10 + (c - 48);
    if (c !== 0x2c) {
      i = start;
      break;
    }
    c = buf[++i]!;
    if (c < 48 || c > 57) {
      i = start;
      break;
    }
    let name = c - 48;
    while ((c = buf[++i]!) >= 48 && c <= 57) name = name * 10 + (c - 48);
    if (c !== 0x2c) {
      i = start;
      break;
    }
    c = buf[++i]!;
    if (c < 48 || c > 57) {
      i = start;
      break;
    }
    let id = c - 48;
    while ((c = buf[++i]!) >= 48 && c <= 57) id = id * 10 + (c - 48);
    if (c !== 0x2c) {
      i = start;
      break;
    }
    c = buf[++i]!;
    if (c < 48 || c > 57) {
      i = start;
      break;
    }
    let self = c - 48;
    while ((c = buf[++i]!) >= 48 && c <= 57) self = self * 10 + (c - 48);
    if (c !== 0x2c) {
      i = start;
      break;
    }
    c = buf[++i]!;
    if (c < 48 || c > 57) {
      i = start;
      break;
    }
    let edges = c - 48;
    while ((c = buf[++i]!) >= 48 && c <= 57) edges = edges * 10 + (c - 48);
    if (c !== 0x2c) {
      i = start;
      break;
    }
    c = buf[++i]!;
    if (c < 48 || c > 57) {
      i = start;
      break;
    }
    while ((c = buf[++i]!) >= 48 && c <= 57); // trace_node_id: not used
    if (c !== 0x2c) {
      i = start;
      break;
    }
    c = buf[++i]!;
    if (c < 48 || c > 57) {
      i = start;
      break;
    }
    let detached = c - 48;
    while ((c = buf[++i]!) >= 48 && c <= 57) detached = detached * 10 + (c - 48);
    if (
      i >= end ||
      o >= count ||
      type >= typeCount ||
      name > 0xffffffff ||
      id > 0xffffffff ||
      edges > 0xffffffff ||
      self > Number.MAX_SAFE_INTEGER
    ) {
      i = start;
      break;
    }
    nodeType[o] = type;
    nodeName[o] = name;
    if (name > maxName) maxName = name;
    nodeId[o] = id;
    nodeSelfSize[o] = self;
    firstEdge[o] = edgeSum;
    edgeSum += edges;
    detachedness[o] = detached;
    o++;
  }
  t.maxName = maxName;
  t.edgeSum = edgeSum;
  t.ordinal = o;
  return i;
}

/** Whole nodes of any layout from buf[i…) (see fastEdgeRecords); slower than the 7-field loop, faster than scanNumbers. */
export function fastNodeRecords(t: NodeRecordTarget, buf: Uint8Array, i: number, end: number): number {
  const {
    nodeType,
    nodeName,
    nodeId,
    nodeSelfSize,
    nodeDetachedness,
    firstEdge,
    typeCount,
    count,
    fieldCount,
    record,
  } = t;
  const [tOff, nOff, iOff, sOff, eOff, dOff] = t.offsets as [number, number, number, number, number, number];
  const limit = end - NODE_MARGIN;
  let o = t.ordinal;
  let maxName = t.maxName;
  let edgeSum = t.edgeSum;
  records: while (i < limit) {
    const start = i;
    let c = buf[i];
    while (c === 0x0a || c === 0x20 || c === 0x0d || c === 0x09) c = buf[++i]!;
    if (c !== 0x2c) {
      i = start;
      break;
    }
    c = buf[++i]!;
    while (c === 0x0a || c === 0x20 || c === 0x0d || c === 0x09) c = buf[++i]!;
    for (let f = 0; f < fieldCount; f++) {
      if (f > 0) {
        if (c !== 0x2c) {
          i = start;
          break records;
        }
        c = buf[++i]!;
      }
      if (c < 48 || c > 57) {
        i = start;
        break records;
      }
      let v = c - 48;
      while ((c = buf[++i]!) >= 48 && c <= 57) v = v * 10 + (c - 48);
      record[f] = v;
    }
    const type = record[tOff];
    const name = record[nOff];
    const id = record[iOff];
    const self = record[sOff];
    const edges = record[eOff];
    if (
      i >= end ||
      o >= count ||
      type >= typeCount ||
      name > 0xffffffff ||
      id > 0xffffffff ||
      edges > 0xffffffff ||
      self > Number.MAX_SAFE_INTEGER
    ) {
      i = start;
      break;
    }
    nodeType[o] = type;
    nodeName[o] = name;
    if (name > maxName) maxName = name;
    nodeId[o] = id;
    nodeSelfSize[o] = self;
    firstEdge[o] = edgeSum;
    edgeSum += edges;
    if (dOff >= 0) nodeDetachedness![o] = record[dOff]!;
    o++;
  }
  t.maxName = maxName;
  t.edgeSum = edgeSum;
  t.ordinal = o;
  return i;
}

/** A growable flat number array filled record by record (the `locations` section). */
export interface FlatRecordTarget {
  values: Float64Array;
  /** Numbers stored so far. */
  length: number;
  fieldCount: number;
}

/** Whole records of any field count into values[length…) (see fastEdgeRecords); the caller ensures the capacity. */
export function fastFlatRecords(t: FlatRecordTarget, buf: Uint8Array, i: number, end: number): number {
  const { values, fieldCount } = t;
  const limit = end - NODE_MARGIN;
  let n = t.length;
  records: while (i < limit) {
    const start = i;
    let c = buf[i];
    while (c === 0x0a || c === 0x20 || c === 0x0d || c === 0x09) c = buf[++i]!;
    if (c !== 0x2c) {
      i = start;
      break;
    }
    c = buf[++i]!;
    while (c === 0x0a || c === 0x20 || c === 0x0d || c === 0x09) c = buf[++i]!;
    for (let f = 0; f < fieldCount; f++) {
      if (f > 0) {
        if (c !== 0x2c) {
          i = start;
          break records;
        }
        c = buf[++i]!;
      }
      if (c < 48 || c > 57) {
        i = start;
        break records;
      }
      let v = c - 48;
      while ((c = buf[++i]!) >= 48 && c <= 57) v = v * 10 + (c - 48);
      if (v > Number.MAX_SAFE_INTEGER) {
        i = start;
        break records;
      }
      values[n + f] = v;
    }
    if (i >= end) {
      i = start;
      break;
    }
    n += fieldCount;
  }
  t.length = n;
  return i;
}

/** A section whose numbers come in fixed-size records, as scanRecords sees it. */
export interface RecordSink {
  /** Numbers per record. */
  readonly recordFields: number;
  /** Position inside the current record (0 at a record boundary). */
  fieldInRecord(): number;
  /** The fast path, when the layout has one: whole records from buf[i…end); returns where it stopped. */
  readonly fast: ((buf: Uint8Array, i: number, end: number) => number) | null;
  /** The general path's numbers. */
  take(batch: Float64Array, n: number): void;
}

/** scanNumbers' state plus whether the fast path is still worth trying. */
export interface RecordScanState extends ScanState {
  fastOn: boolean;
  /** Fast-path attempts in a row that read no record. */
  misses: number;
}

/**
 * Builds scanRecords around a scanNumbers function (a factory, so that its source is self-contained and also runs on
 * the edge-prefetch thread, which defines its own scanNumbers).
 */
export function makeScanRecords(scan: typeof scanNumbers) {
  /**
   * Scans a record section from buf[i…end): whole records through the sink's fast path while they look as V8 writes
   * them, any other record number by number through scanNumbers (capped at the record's end, so the fast path takes
   * over again at the next record). Returns the new position; st.status as scanNumbers' (never BatchFull).
   */
  return function scanRecords(
    buf: Uint8Array,
    i: number,
    end: number,
    batch: Float64Array,
    st: RecordScanState,
    sink: RecordSink,
  ): number {
    while (true) {
      if (st.fastOn && st.n === 0 && !st.inNumber && !st.expect && sink.fieldInRecord() === 0) {
        const stop = sink.fast!(buf, i, end);
        if (stop > i) st.misses = 0;
        // After many fruitless attempts in a row (an unusually formatted file) only the general path runs.
        else if (++st.misses > 1024) st.fastOn = false;
        i = stop;
      }
      if (st.n === 0 && !st.inNumber) st.cap = st.fastOn ? sink.recordFields - sink.fieldInRecord() : batch.length;
      i = scan(buf as Buffer, i, end, batch, st);
      if (st.status !== (1 as ScanStatus.BatchFull)) return i;
      sink.take(batch, st.n);
      st.n = 0;
    }
  };
}

/** scanRecords over the general scanner (see makeScanRecords). */
export const scanRecords = makeScanRecords(scanNumbers);

/** A fresh scan state for an array section. */
export function newRecordScanState(batch: Float64Array, fastOn: boolean): RecordScanState {
  return {
    value: 0,
    inNumber: false,
    expect: true,
    n: 0,
    status: ScanStatus.NeedMore,
    cap: batch.length,
    fastOn,
    misses: 0,
  };
}
