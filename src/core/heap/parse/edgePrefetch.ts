import { Worker } from 'node:worker_threads';
import { describeByte, HeapSnapshotError } from '../errors';
import { scanNumbers } from './numberScanner';
import { fastEdgeRecords, makeScanRecords, noteEdgeNames } from './recordScanner';
import { EdgeSink, fillEdgeColumns } from './edgeSink';
import { claimEdgeRead, newEdgeSplitControl } from './edgeSplit';
import { logDebug, describeError } from '../../log';
import { noteHelperFallback, noteHelperRan } from '../helperThreads';

/** What the prefetch thread reports. */
type PrefetchMessage =
  | { kind: 'start'; offset: number }
  | { kind: 'done'; count: number; end: number; finishedAt: number; maxStringName: number }
  | { kind: 'split'; count: number; at: number; finishedAt: number; maxStringName: number }
  | { kind: 'misaligned' }
  | { kind: 'error'; message: string }
  | { kind: 'unexpected' };

/**
 * Parses the `edges` section on a second thread while the main thread is still tokenizing `nodes` (edges are the
 * bulk of a snapshot's numbers). Told where the nodes array starts, the thread reads the file itself, skips the
 * nodes array with a native search for ']' (it holds only numbers), checks that `"edges":[` follows, and fills the
 * shared edge columns. The main parser skips the edges bytes only if the thread confirmed the same start offset
 * before the parser got there; otherwise it parses them itself and the thread is stopped.
 */
export class EdgePrefetch {
  private readonly worker: Worker;
  /** Byte offset of the edges array's '[' once the thread has found it. */
  confirmedStart = -1;
  /** When the thread finished the edges, in this thread's performance.now() time (for MEMMON_HEAP_TIMINGS). */
  finishedAt = -1;
  private failed = false;
  /** The thread's final message, once it stopped. */
  private outcome: PrefetchMessage | null = null;
  private readonly result: Promise<PrefetchMessage>;

  private constructor(
    worker: Worker,
    path: string,
    nodesArrayStart: number,
    private readonly sink: EdgeSink,
    readonly control: SharedArrayBuffer,
  ) {
    this.worker = worker;
    this.worker.postMessage({
      path,
      nodesArrayStart,
      control,
      edgeType: sink.edgeType,
      edgeName: sink.edgeName,
      edgeTo: sink.edgeTo,
      nodeCount: sink.nodeCount,
      nodeFieldCount: sink.nodeFieldCount,
      typeCount: sink.typeCount,
      edgeCount: sink.count,
      elementType: sink.elementType,
      hiddenType: sink.hiddenType,
    });
    this.result = new Promise<PrefetchMessage>((resolve) => {
      this.worker.on('message', (m: PrefetchMessage) => {
        if (m.kind === 'start') {
          this.confirmedStart = m.offset;
          this.onStart?.();
        } else resolve(m);
      });
      this.worker.once('error', (err) => resolve({ kind: 'error', message: err.message }));
      this.worker.once('exit', () => resolve({ kind: 'unexpected' }));
    }).then((m) => (this.outcome = m));
  }

  /**
   * Starts the thread before the parser knows its input (the ~40 ms start-up then overlaps reading the header);
   * null when threads are unavailable. Hand it to start() or terminate it.
   */
  static boot(): Worker | null {
    try {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      // A failure before start() shows up there as an 'exit' or 'error' result.
      worker.on('error', () => undefined);
      return worker;
    } catch (err) {
      // start() tries once more and counts the fallback if that fails too.
      logDebug(`heap analysis: the edge thread could not boot ahead of parsing: ${describeError(err)}`);
      return null;
    }
  }

  /** Starts a prefetch when the layout is the usual one and threads are available; null otherwise (the booted thread is then stopped). */
  static start(path: string, nodesArrayStart: number, sink: EdgeSink, booted?: Worker | null): EdgePrefetch | null {
    if (!sink.isStandardLayout || !(sink.edgeTo.buffer instanceof SharedArrayBuffer)) {
      // Not a fallback: the thread only reads the usual record layout into shared memory.
      logDebug('heap analysis: edges parsed on the calling thread (unusual edge layout or no shared memory)');
      void booted?.terminate();
      return null;
    }
    try {
      return new EdgePrefetch(
        booted ?? new Worker(WORKER_SOURCE, { eval: true }),
        path,
        nodesArrayStart,
        sink,
        newEdgeSplitControl(),
      );
    } catch (err) {
      noteHelperFallback('edgeThread', `it could not start: ${describeError(err)}`);
      return null;
    }
  }

  /** Why the thread does not cover an edges array at `offset` (after waitForStart said so). */
  uncoveredReason(offset: number, waitedMs: number): string {
    const o = this.outcome;
    if (o?.kind === 'error') return `it failed: ${o.message}`;
    if (o?.kind === 'unexpected') return 'it exited early';
    if (this.confirmedStart < 0) return `it did not find the edges within ${waitedMs} ms`;
    return `it found an edges array at byte ${this.confirmedStart}, the parser at ${offset}`;
  }

  /** Whether the parser may skip an edges array starting at this offset. */
  covers(offset: number): boolean {
    return !this.failed && this.confirmedStart === offset;
  }

  private onStart: (() => void) | null = null;

  /**
   * Waits (at most `ms`) until the thread has found the edges array or stopped, then says whether it covers the
   * array at `offset`: a parser that got there first waits for the thread rather than parsing every edge alone.
   */
  async waitForStart(offset: number, ms: number): Promise<boolean> {
    if (this.confirmedStart < 0 && !this.failed) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => {
          this.onStart = resolve;
        }),
        this.result.then(() => undefined),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, ms);
        }),
      ]);
      clearTimeout(timer);
      this.onStart = null;
    }
    return this.covers(offset);
  }

  /** Stops the thread (the parser handles the edges itself). */
  abandon(): void {
    this.failed = true;
    void this.worker.terminate();
  }

  /**
   * Waits for the thread. Returns null when it parsed every edge (the sink now holds them all), or, when the calling
   * thread split the edges, how many edges the thread parsed before the split (the sink's ordinal is then there).
   */
  async complete(): Promise<{ splitAt: number; count: number } | null> {
    const m = await this.result;
    void this.worker.terminate();
    if (m.kind === 'done' || m.kind === 'split') this.finishedAt = m.finishedAt - performance.timeOrigin;
    if (m.kind === 'done' || m.kind === 'split') noteHelperRan('edgeThread');
    if (m.kind === 'done') {
      if (m.count !== this.sink.count)
        throw new HeapSnapshotError(
          `invalid heap snapshot: snapshot.edge_count says ${this.sink.count} but the file has ${m.count > this.sink.count ? 'more' : m.count}`,
        );
      this.sink.adoptPrefetched(m.count, m.maxStringName);
      return null;
    }
    if (m.kind === 'split') {
      this.sink.adoptPrefetched(m.count, m.maxStringName);
      return { splitAt: m.at, count: m.count };
    }
    if (m.kind === 'misaligned') {
      noteHelperFallback('edgeThread', 'its part did not end at a record boundary; parsing the file again');
      throw new EdgeSplitMisaligned();
    }
    throw new HeapSnapshotError(
      m.kind === 'error' ? m.message : 'invalid heap snapshot: the "edges" section could not be read',
    );
  }
}

/** The split was not at a record boundary (possible only in oddly formatted files): parse again without threads. */
export class EdgeSplitMisaligned extends Error {
  constructor() {
    super('the edge split was not at a record boundary');
  }
}

const WORKER_SOURCE = `
'use strict';
// Function sources below may call a name-keeping helper when compiled by a test loader (tsx): make it a no-op.
const __name = (f) => f;
const fs = require('node:fs');
const { parentPort } = require('node:worker_threads');
const scanNumbers = ${scanNumbers.toString()};
const fastEdgeRecords = ${fastEdgeRecords.toString()};
const noteEdgeNames = ${noteEdgeNames.toString()};
const claimEdgeRead = ${claimEdgeRead.toString()};
const describeByte = ${describeByte.toString()};
const scanRecords = (${makeScanRecords.toString()})(scanNumbers);
const fillEdgeColumns = ${fillEdgeColumns.toString()};
const fail = (message) => { parentPort.postMessage({ kind: 'error', message }); };
parentPort.once('message', (d) => run(d));
function run(d) {
const CHUNK = 2 << 20;
const fd = fs.openSync(d.path, 'r');
const buf = Buffer.allocUnsafe(CHUNK);
let pos = d.nodesArrayStart;
let len = 0;
const fill = () => { len = fs.readSync(fd, buf, 0, CHUNK, pos); return len > 0; };
// 1. Skip the nodes array: numbers only, so the first ']' closes it.
let found = -1;
while (found < 0 && fill()) {
  const i = buf.indexOf(0x5d, 0);
  if (i >= 0 && i < len) found = pos + i; else pos += len;
}
if (found < 0) { parentPort.postMessage({ kind: 'unexpected' }); process.exit(0); }
// 2. Expect  , "edges" : [  (whitespace allowed). From here on every read is claimed first: the calling thread may
// take the end of the edges, but only beyond what this thread has claimed.
let atSplit = false;
const fillEdges = () => {
  const end = claimEdgeRead(d.control, pos, CHUNK, cols.ordinal);
  if (end <= pos) { atSplit = true; len = 0; return false; }
  len = fs.readSync(fd, buf, 0, end - pos, pos);
  return len > 0;
};
const cols = {
  edgeType: d.edgeType, edgeName: d.edgeName, edgeTo: d.edgeTo, nodeCount: d.nodeCount, nodeFieldCount: d.nodeFieldCount,
  typeCount: d.typeCount, count: d.edgeCount, ordinal: 0, elementType: d.elementType, hiddenType: d.hiddenType, maxStringName: 0,
};
pos = found + 1;
fillEdges();
const expected = [',', '"edges"', ':', '['];
let k = 0;
let ok = true;
for (const token of expected) {
  while (k < len && (buf[k] === 0x20 || buf[k] === 0x0a || buf[k] === 0x0d || buf[k] === 0x09)) k++;
  if (buf.toString('latin1', k, k + token.length) !== token) { ok = false; break; }
  k += token.length;
}
if (!ok) { parentPort.postMessage({ kind: 'unexpected' }); process.exit(0); }
parentPort.postMessage({ kind: 'start', offset: pos + k - 1 });
// 3. Scan the numbers into the shared columns: whole edges through the fast path, others in batches of whole edges.
const batch = new Float64Array(65535);
const st = { value: 0, inNumber: false, expect: true, n: 0, status: 0, cap: batch.length, fastOn: true, misses: 0 };
const take = (batch, n) => {
  const ordinal = cols.ordinal;
  if (ordinal + n / 3 > d.edgeCount) throw new Error('invalid heap snapshot: snapshot.edge_count says ' + d.edgeCount + ' but the file has more');
  const whole = n - (n % 3);
  const stop = fillEdgeColumns(cols, batch, 0, whole, ordinal);
  if (stop < whole) {
    const e = ordinal + stop / 3;
    const v = batch[stop + 2];
    if (batch[stop] >= d.typeCount) throw new Error('invalid heap snapshot: edge ' + e + ' has type ' + batch[stop] + ', but snapshot.meta lists ' + d.typeCount + ' edge types');
    if (batch[stop + 1] > 0xffffffff) throw new Error('invalid heap snapshot: an edge name index is out of range');
    throw new Error('invalid heap snapshot: edge ' + e + ' points to node index ' + v + ', which is not a node (' + d.nodeCount + ' nodes)');
  }
  if (whole !== n) throw new Error('invalid heap snapshot: the "edges" array length is not a multiple of the edge field count');
  cols.ordinal = ordinal + n / 3;
  noteEdgeNames(cols, ordinal, cols.ordinal);
};
const sink = { recordFields: 3, fieldInRecord: () => 0, fast: (b, i, end) => fastEdgeRecords(cols, b, i, end), take };
let closedAt = -1;
try {
  let start = k;
  while (true) {
    const i = scanRecords(buf.subarray(0, len), start, len, batch, st, sink);
    if (st.status === 2) {
      if (st.expect && (st.n > 0 || cols.ordinal > 0)) throw new Error('invalid heap snapshot: trailing comma in the "edges" array');
      take(batch, st.n);
      closedAt = pos + i;
      break;
    }
    if (st.status === 3) throw new Error('invalid heap snapshot: unexpected ' + describeByte(buf[i]) + ' in the "edges" array at byte ' + (pos + i));
    pos += len;
    start = 0;
    if (!fillEdges()) {
      if (!atSplit) throw new Error('truncated heap snapshot: the file ends inside the "edges" section');
      // The calling thread parses the rest; this thread's part must end with a whole edge.
      if (st.n !== 0 || st.inNumber || st.expect) parentPort.postMessage({ kind: 'misaligned' });
      else parentPort.postMessage({ kind: 'split', count: cols.ordinal, at: pos, finishedAt: performance.timeOrigin + performance.now(), maxStringName: cols.maxStringName });
      return;
    }
  }
} catch (err) {
  fail(err.message);
  process.exit(0);
}
fs.closeSync(fd);
parentPort.postMessage({ kind: 'done', count: cols.ordinal, end: closedAt, finishedAt: performance.timeOrigin + performance.now(), maxStringName: cols.maxStringName });
}
`;
