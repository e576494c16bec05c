import type { FileHandle } from 'node:fs/promises';
import { HeapSnapshotAbortError } from '../errors';
import {
  fastEdgeRecords,
  EdgeRecordTarget,
  newRecordScanState,
  noteEdgeNames,
  RecordSink,
  scanRecords,
} from './recordScanner';
import { fillEdgeColumns } from './edgeSink';
import type { ScanStatus } from './numberScanner';

/**
 * Splitting the `edges` section between the two parsing threads. The prefetch thread parses the edges from their
 * start; the calling thread, once done with `nodes`, takes a tail of them (sized so that both threads finish together,
 * as it still has the sections after the edges to read), parses it into scratch columns, and copies it into place
 * when the prefetch thread reports how many edges come before the split. A small shared control block keeps the two
 * apart: the prefetch thread claims each read before making it, and the split is only set beyond its last claim.
 */

/** Control block layout: an Int32 lock word, then Float64 values. */
const VALUES_AT = 8;
const enum Slot {
  StopAt,
  Claimed,
  Position,
  Ordinal,
}

/** A fresh control block: no split, nothing claimed. */
export function newEdgeSplitControl(): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(VALUES_AT + 4 * 8);
  new Float64Array(sab, VALUES_AT, 4).set([-1, 0, 0, 0]);
  return sab;
}

/**
 * Prefetch-thread side: claims the read of up to `want` bytes at `position` (with `ordinal` edges parsed so far) and
 * returns where that read must end: `position + want`, or the split offset when it comes first. Self-contained
 * (its source runs on the prefetch thread; Slot values are literals there).
 */
export function claimEdgeRead(control: SharedArrayBuffer, position: number, want: number, ordinal: number): number {
  const lock = new Int32Array(control, 0, 1);
  const values = new Float64Array(control, 8, 4);
  while (Atomics.compareExchange(lock, 0, 0, 1) !== 0); // held for a few instructions
  const stopAt = values[0];
  const end = stopAt >= 0 ? Math.min(position + want, stopAt) : position + want;
  values[1] = end;
  values[2] = position;
  values[3] = ordinal;
  Atomics.store(lock, 0, 0);
  return end;
}

/** Calling-thread side: sets the split at `offset` unless the prefetch thread has already claimed bytes beyond it. */
function setSplit(control: SharedArrayBuffer, offset: number): boolean {
  const lock = new Int32Array(control, 0, 1);
  const values = new Float64Array(control, VALUES_AT, 4);
  while (Atomics.compareExchange(lock, 0, 0, 1) !== 0);
  const ok = values[Slot.StopAt] < 0 && values[Slot.Claimed] <= offset;
  if (ok) values[Slot.StopAt] = offset;
  Atomics.store(lock, 0, 0);
  return ok;
}

function progress(control: SharedArrayBuffer): { position: number; ordinal: number } {
  const values = new Float64Array(control, VALUES_AT, 4);
  return { position: values[Slot.Position], ordinal: values[Slot.Ordinal] };
}

/** Below this many bytes for the calling thread, splitting is not worth it. */
const MIN_TAIL_BYTES = 4 << 20;
const READ_BYTES = 2 << 20;

/** What the calling thread parsed: edges from `at` up to the array's end (`end`: the offset after its ']'). */
export interface EdgeTail {
  at: number;
  end: number;
  target: EdgeRecordTarget;
}

/** What the split needs to know about the file and the edges. */
export interface EdgeSplitInput {
  handle: FileHandle;
  control: SharedArrayBuffer;
  fileBytes: number;
  /** Offset of the edges array's '['. */
  edgesStart: number;
  edgeCount: number;
  nodeCount: number;
  nodeFieldCount: number;
  typeCount: number;
  elementType: number;
  hiddenType: number;
  signal?: AbortSignal;
  /** Smallest share worth splitting off (default MIN_TAIL_BYTES). */
  minBytes?: number;
}

/**
 * Picks a split point, sets it, and parses the edges from there to the end of the array. Returns null when there is
 * no split (too little left, not V8's one-record-per-line layout, the prefetch thread already too far), and
 * `failedAt` when the tail is not plain well-formed edges: the caller then reads those bytes with the general path,
 * which gives the precise error.
 */
export async function parseEdgeTail(input: EdgeSplitInput): Promise<EdgeTail | { failedAt: number } | null> {
  const at = await chooseSplit(input);
  if (at < 0 || !setSplit(input.control, at)) return null;
  try {
    return await readTail(input, at);
  } catch (err) {
    if (err instanceof HeapSnapshotAbortError) throw err;
    return { failedAt: at };
  }
}

/** A record boundary about where both threads would finish together, or -1. */
async function chooseSplit(input: EdgeSplitInput): Promise<number> {
  const { control, fileBytes, edgesStart, edgeCount, handle } = input;
  const done = progress(control);
  // Bytes per edge so far (V8 writes about 15), hence where the edges end and what is left after them.
  const perEdge = done.ordinal > 50_000 ? (done.position - edgesStart) / done.ordinal : 15;
  const edgesEnd = Math.min(fileBytes, edgesStart + edgeCount * perEdge);
  const from = Math.max(done.position, edgesStart);
  const after = fileBytes - edgesEnd;
  const share = (edgesEnd - from - 2 * after) / 2;
  if (share < (input.minBytes ?? MIN_TAIL_BYTES)) return -1;
  const guess = Math.floor(edgesEnd - share);
  // The next record start: V8 ends every edge with a newline, so a comma after a newline starts a record.
  const probe = Buffer.allocUnsafe(64 * 1024);
  const { bytesRead } = await handle.read(probe, 0, probe.length, guess);
  for (let k = probe.indexOf(0x0a, 0); k >= 0 && k < bytesRead; k = probe.indexOf(0x0a, k + 1)) {
    let j = k + 1;
    while (j < bytesRead && (probe[j] === 0x20 || probe[j] === 0x0d || probe[j] === 0x09 || probe[j] === 0x0a)) j++;
    if (j < bytesRead && probe[j] === 0x2c) return guess + j;
    if (j >= bytesRead) break;
  }
  return -1;
}

/** Parses edges from a record start to the array's end into scratch columns. */
async function readTail(input: EdgeSplitInput, at: number): Promise<EdgeTail> {
  const { handle, fileBytes, edgeCount, signal } = input;
  // Room for every edge the rest of the file could hold, capped by what the header declares.
  const capacity = Math.min(edgeCount, Math.ceil((fileBytes - at) / 6));
  const target: EdgeRecordTarget = {
    edgeType: new Uint8Array(capacity),
    edgeName: new Uint32Array(capacity),
    edgeTo: new Uint32Array(capacity),
    nodeCount: input.nodeCount,
    nodeFieldCount: input.nodeFieldCount,
    typeCount: input.typeCount,
    count: capacity,
    ordinal: 0,
    elementType: input.elementType,
    hiddenType: input.hiddenType,
    maxStringName: 0,
  };
  const batch = new Float64Array(3);
  const state = newRecordScanState(batch, true);
  state.expect = false; // the split is at the comma before a record
  const sink: RecordSink = {
    recordFields: 3,
    fieldInRecord: () => 0,
    fast: (buf, i, end) => fastEdgeRecords(target, buf, i, end),
    take: (numbers, n) => {
      if (n !== 3 || target.ordinal >= capacity || fillEdgeColumns(target, numbers, 0, 3, target.ordinal) !== 3)
        throw new Error('not a plain edge');
      noteEdgeNames(target, target.ordinal, target.ordinal + 1);
      target.ordinal++;
    },
  };
  const buf = Buffer.allocUnsafe(READ_BYTES);
  let position = at;
  while (true) {
    if (signal?.aborted) throw new HeapSnapshotAbortError();
    const { bytesRead } = await handle.read(buf, 0, READ_BYTES, position);
    if (bytesRead === 0) throw new Error('the file ends inside the edges');
    const i = scanRecords(buf, 0, bytesRead, batch, state, sink);
    if (state.status === (2 as ScanStatus.Closed)) {
      if (state.n !== 0 || state.expect) throw new Error('a partial edge at the end');
      return { at, end: position + i, target };
    }
    if (state.status === (3 as ScanStatus.Bad)) throw new Error('not a plain edge');
    position += bytesRead;
  }
}
