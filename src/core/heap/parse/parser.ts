import type { FileHandle } from 'node:fs/promises';
import { openRegularFile } from '../../regularFile';
import type { Worker } from 'node:worker_threads';
import { describeByte, HeapSnapshotAbortError, HeapSnapshotError } from '../errors';
import { layoutFromMeta, SnapshotHeader, SnapshotLayout } from '../layout';
import type { RawHeapSnapshot } from '../rawSnapshot';
import { HeapStringTable } from './stringTable';
import { EdgeSink } from './edgeSink';
import { LocationSink } from './locationSink';
import { NodeSink } from './nodeSink';
import type { SectionSink } from './sectionSink';
import { ScanStatus } from './numberScanner';
import { newRecordScanState, RecordScanState, scanRecords } from './recordScanner';
import { EdgePrefetch, EdgeSplitMisaligned } from './edgePrefetch';
import { EdgeTail, parseEdgeTail } from './edgeSplit';
import { RawValueReader, StringArrayReader } from './valueReaders';
import { noteHelperFallback } from '../helperThreads';
import { Ch } from './bytes';

/** Options for reading a snapshot file. */
export interface ParseOptions {
  /** Called with the fraction of the file read (0…1). */
  onProgress?(fraction: number): void;
  signal?: AbortSignal;
  chunkBytes?: number;
  /** Parse `edges` on a second thread: true, false, or by default only for files above 16 MB. */
  parallelEdges?: boolean;
  /** This thread takes the end of the edges only when its share would be at least this many bytes (default 4 MB). */
  edgeSplitMinBytes?: number;
  /** Called when this thread parsed the end of the edges (`edges` of them from byte `at`) while the other thread parsed the rest. */
  onEdgeSplit?(info: { at: number; edges: number }): void;
}

/** What finishOwnSections() settled: everything but the edges. */
interface OwnSections {
  layout: SnapshotLayout;
  header: SnapshotHeader;
  nodeCount: number;
  rootOrdinal: number;
  locations: ReturnType<LocationSink['finish']> | undefined;
}

const enum State {
  Start,
  KeyOrEnd,
  Key,
  Colon,
  Value,
  Header,
  Numbers,
  Strings,
  Skip,
  SkipEdges,
  Done,
}
/** Below this size a second thread costs more than it saves. */
const PREFETCH_MIN_BYTES = 16 * 1024 * 1024;
/** How long the parser waits for the edge thread to find the edges array (it skips `nodes` with a native search). */
const START_WAIT_MS = 10_000;
const BATCH = 1 << 16;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Streaming heap snapshot parser: a byte-level tokenizer fed chunk by chunk. The small `snapshot` header is
 * JSON.parsed; `nodes`/`edges`/`locations` numbers go straight into typed arrays; `strings` are stored as raw bytes
 * and decoded on demand; everything else (trace trees, samples, unknown sections) is skipped.
 */
export class HeapSnapshotParser {
  private state = State.Start;
  private offset = 0;
  private keyBytes: number[] = [];
  private keyEscape = false;
  private key = '';
  private readonly seen = new Set<string>();
  private value = new RawValueReader(false);
  private arrayOpen = false;
  private readonly batch = new Float64Array(BATCH);
  private scan: RecordScanState = newRecordScanState(this.batch, false);
  private sink: SectionSink | null = null;
  private header: SnapshotHeader | null = null;
  private layout: SnapshotLayout | null = null;
  private nodes: NodeSink | null = null;
  private edges: EdgeSink | null = null;
  private locations: LocationSink | null = null;
  private readonly strings = new HeapStringTable();
  private readonly stringArray = new StringArrayReader(this.strings);

  /** The edge-prefetch thread, if one was started. */
  private prefetch: EdgePrefetch | null = null;
  private prefetchUsed = false;
  /** Offset of the edges array's '[' while a split of the edges is pending (see edgeSplit.ts), else -1. */
  private splitAt = -1;
  /** The edges this thread parsed after a split, merged once the prefetch thread is done. */
  private edgeTail: EdgeTail | null = null;
  private splitOptions: Pick<ParseOptions, 'edgeSplitMinBytes' | 'onEdgeSplit'> = {};

  private readonly prefetchWanted: boolean;
  /** A prefetch thread booted ahead of the `nodes` section, until it is handed to the prefetch. */
  private bootedThread: Worker | null = null;

  /** `path` enables parsing the edges on a second thread (the file is read twice, concurrently). */
  constructor(
    private readonly fileBytes = 0,
    private readonly path?: string,
    parallelEdges?: boolean,
  ) {
    this.prefetchWanted = !!path && (parallelEdges ?? fileBytes > PREFETCH_MIN_BYTES);
    if (this.prefetchWanted) this.bootedThread = EdgePrefetch.boot();
  }

  /** Reads and parses a snapshot file in chunks. */
  static async parseFile(path: string, options: ParseOptions = {}): Promise<RawHeapSnapshot> {
    try {
      return await HeapSnapshotParser.parseFileOnce(path, options);
    } catch (err) {
      // Only an oddly formatted file (newlines inside edge records) can mislead the edge split: read it again plainly.
      if (err instanceof EdgeSplitMisaligned)
        return HeapSnapshotParser.parseFileOnce(path, { ...options, parallelEdges: false });
      throw err;
    }
  }

  private static async parseFileOnce(path: string, options: ParseOptions): Promise<RawHeapSnapshot> {
    let handle;
    let parser: HeapSnapshotParser | undefined;
    try {
      handle = await openRegularFile(path);
    } catch (err) {
      throw new HeapSnapshotError((err as Error).message);
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new HeapSnapshotError('not a regular file');
      const size = stat.size;
      if (size === 0) throw new HeapSnapshotError('empty file (0 bytes), not a heap snapshot');
      parser = new HeapSnapshotParser(size, path, options.parallelEdges);
      parser.splitOptions = options;
      const chunk = options.chunkBytes ?? 8 * 1024 * 1024;
      // Two buffers: the next read runs on the libuv pool while this chunk is tokenized.
      const buffers = [Buffer.allocUnsafe(chunk), Buffer.allocUnsafe(chunk)];
      let position = 0;
      let which = 0;
      let pending = handle.read(buffers[0], 0, chunk, 0);
      while (true) {
        const { bytesRead } = await pending;
        if (options.signal?.aborted) throw new HeapSnapshotAbortError();
        if (bytesRead === 0) break;
        const current = buffers[which];
        position += bytesRead;
        which ^= 1;
        pending = handle.read(buffers[which], 0, chunk, position);
        parser.write(current.subarray(0, bytesRead));
        if (parser.splitAt >= 0) {
          // The parser takes the end of the edges itself and continues after them: drop the read ahead (its
          // failure, if any, does not matter: those bytes are read again), jump.
          await pending.catch(() => undefined);
          position = await parser.splitEdges(handle, options.signal);
          pending = handle.read(buffers[which], 0, chunk, position);
        }
        options.onProgress?.(Math.min(1, position / size));
      }
      // The read past the end: nothing it could report matters any more.
      await pending.catch(() => undefined);
      const ownDone = performance.now();
      parser.finishOwnSections();
      await parser.completePrefetch();
      if (process.env.MEMMON_HEAP_TIMINGS) {
        // For performance work: when this thread finished its sections, and how long it then waited for the edges.
        process.stderr.write(
          `memmon heap parse (ms): thisThreadDone=${Math.round(ownDone)} edgeThreadDone=${Math.round(parser.prefetch?.finishedAt ?? -1)} waitForEdgeThread=${Math.round(performance.now() - ownDone)}\n`,
        );
      }
      return parser.finish();
    } finally {
      parser?.dispose();
      await handle.close();
    }
  }

  /** Parses an in-memory snapshot (tests, small inputs). */
  static parseBuffer(buf: Buffer): RawHeapSnapshot {
    if (buf.length === 0) throw new HeapSnapshotError('empty input (0 bytes), not a heap snapshot');
    const parser = new HeapSnapshotParser(buf.length);
    parser.write(buf);
    return parser.finish();
  }

  /** Feeds the next chunk of the file. */
  write(buf: Buffer): void {
    let i = 0;
    const end = buf.length;
    while (i < end) {
      switch (this.state) {
        case State.Start: {
          const c: Ch = buf[i];
          if (isSpace(c)) {
            i++;
            break;
          }
          if (c === Ch.ByteOrderMark && buf[i + 1] === 0xbb && buf[i + 2] === 0xbf && this.offset + i === 0) {
            i += 3;
            break;
          }
          if (c !== Ch.LBrace) throw this.error('not a heap snapshot (it does not start with a JSON object)');
          i++;
          this.state = State.KeyOrEnd;
          break;
        }
        case State.KeyOrEnd: {
          const c: Ch = buf[i];
          if (isSpace(c) || c === Ch.Comma) {
            i++;
            break;
          }
          if (c === Ch.Quote) {
            this.keyBytes = [];
            this.state = State.Key;
            i++;
            break;
          }
          if (c === Ch.RBrace) {
            this.state = State.Done;
            i++;
            break;
          }
          throw this.error(`not valid JSON: unexpected ${describeByte(c)} at byte ${this.offset + i}`);
        }
        case State.Key: {
          const c: Ch = buf[i++];
          if (c === Ch.Quote && !this.keyEscape) {
            this.key = Buffer.from(this.keyBytes).toString('utf8');
            this.state = State.Colon;
          } else {
            this.keyEscape = !this.keyEscape && c === Ch.Backslash;
            if (this.keyBytes.length > 256) throw this.error('not a heap snapshot (unexpected long key)');
            this.keyBytes.push(c);
          }
          break;
        }
        case State.Colon: {
          const c: Ch = buf[i++];
          if (isSpace(c)) break;
          if (c !== Ch.Colon) throw this.error(`not valid JSON: expected ':' after "${this.key}"`);
          this.state = State.Value;
          break;
        }
        case State.Value: {
          if (isSpace(buf[i])) {
            i++;
            break;
          }
          this.beginValue(this.offset + i);
          break;
        }
        case State.Header: {
          i = this.value.read(buf, i);
          if (this.value.text !== null) this.installHeader(this.value.text);
          break;
        }
        case State.Numbers:
          i = this.readNumbers(buf, i);
          break;
        case State.Strings: {
          i = this.stringArray.read(buf, i, this.offset);
          if (this.stringArray.done) this.state = State.KeyOrEnd;
          break;
        }
        case State.Skip: {
          i = this.value.read(buf, i);
          if (this.value.done) this.state = State.KeyOrEnd;
          break;
        }
        case State.SkipEdges: {
          if (this.splitAt >= 0) {
            i = end;
            break;
          } // parseFile repositions the reading (splitEdges)
          // The prefetch thread parses this array; it holds only numbers, so the first ']' ends it.
          const close = buf.indexOf(Ch.RBracket, i);
          if (close < 0) i = end;
          else {
            i = close + 1;
            this.state = State.KeyOrEnd;
          }
          break;
        }
        case State.Done: {
          if (!isSpace(buf[i]))
            throw this.error(`not valid JSON: unexpected data after the end at byte ${this.offset + i}`);
          i++;
          break;
        }
      }
    }
    this.offset += end;
  }

  /** Checks completeness and returns the parsed snapshot. */
  finish(): RawHeapSnapshot {
    const own = this.finishOwnSections();
    const { layout, header } = own;
    const nodes = this.nodes!;
    const edges = this.edges!.finish(nodes.edgeCountSum);
    const stringCount = this.strings.count;
    // The sinks tracked the largest string indices; only a file that names a missing string needs the full pass (for its message).
    if (nodes.maxName >= stringCount || edges.maxStringName >= stringCount)
      validateNames(layout, nodes.nodeName, edges.edgeType, edges.edgeName, stringCount);
    const loc = own.locations;
    return {
      header,
      layout,
      fileBytes: this.fileBytes,
      nodeCount: own.nodeCount,
      edgeCount: edges.edgeType.length,
      rootOrdinal: own.rootOrdinal,
      nodeType: nodes.nodeType,
      nodeName: nodes.nodeName,
      nodeId: nodes.nodeId,
      nodeSelfSize: nodes.nodeSelfSize,
      nodeDetachedness: nodes.nodeDetachedness,
      firstEdge: nodes.firstEdge,
      edgeType: edges.edgeType,
      edgeName: edges.edgeName,
      edgeTo: edges.edgeTo,
      nodeLocation: loc?.nodeLocation ?? null,
      locationScript: loc?.script ?? new Uint32Array(0),
      locationLine: loc?.line ?? new Uint32Array(0),
      locationColumn: loc?.column ?? new Uint32Array(0),
      strings: this.strings,
    };
  }

  private ownSections: OwnSections | null = null;

  /**
   * Checks completeness and finishes everything but the edges (nodes, strings, locations): parseFile calls it before
   * waiting for the edge thread, so that this work overlaps the thread's. Idempotent.
   */
  finishOwnSections(): OwnSections {
    if (this.ownSections) return this.ownSections;
    if (this.state !== State.Done) {
      if (this.state === State.Start) throw new HeapSnapshotError('empty input: no JSON found, not a heap snapshot');
      const where =
        this.state === State.KeyOrEnd || this.state === State.Key ? '' : ` inside the "${this.key}" section`;
      throw new HeapSnapshotError(`truncated heap snapshot: the file ends${where} after ${this.offset} bytes`);
    }
    if (!this.seen.has('snapshot'))
      throw new HeapSnapshotError(
        'not a heap snapshot: no "snapshot" section (neither V8\'s .heapsnapshot format nor JavaScriptCore\'s, which starts with "version")',
      );
    for (const required of ['nodes', 'edges', 'strings']) {
      if (!this.seen.has(required)) throw new HeapSnapshotError(`invalid heap snapshot: no "${required}" section`);
    }
    const layout = this.layout!;
    const header = this.header!;
    const nodes = this.nodes!.finish();
    this.strings.seal();
    const nodeCount = nodes.nodeType.length;
    const rootIndex = header.root_index ?? 0;
    const rootOrdinal = rootIndex / layout.nodeFieldCount;
    if (!Number.isInteger(rootOrdinal) || rootOrdinal < 0 || rootOrdinal >= nodeCount) {
      throw new HeapSnapshotError(`invalid heap snapshot: root_index ${rootIndex} is not a node`);
    }
    this.ownSections = { layout, header, nodeCount, rootOrdinal, locations: this.locations?.finish(nodeCount) };
    return this.ownSections;
  }

  private error(message: string): HeapSnapshotError {
    return new HeapSnapshotError(message);
  }

  /** Waits for the edge prefetch thread if the parser relied on it. */
  async completePrefetch(): Promise<void> {
    if (!this.prefetch || !this.prefetchUsed || this.state !== State.Done) return;
    const split = await this.prefetch.complete();
    const tail = this.edgeTail;
    if (!split || !tail) return;
    const edges = this.edges!;
    const t = tail.target;
    if (split.splitAt !== tail.at)
      throw new HeapSnapshotError('internal error: the edge threads disagree on the split');
    if (split.count + t.ordinal !== edges.count) {
      const got = split.count + t.ordinal;
      throw new HeapSnapshotError(
        `invalid heap snapshot: snapshot.edge_count says ${edges.count} but the file has ${got > edges.count ? 'more' : got}`,
      );
    }
    // The tail was copied to the end of the columns as soon as it was read (see splitEdges).
    edges.adoptPrefetched(edges.count, Math.max(edges.maxStringName, t.maxStringName));
    this.edgeTail = null;
    this.splitOptions.onEdgeSplit?.({ at: tail.at, edges: t.ordinal });
  }

  /**
   * Called by parseFile when the parser reached an edges array that the prefetch thread parses: takes the end of the
   * edges on this thread (edgeSplit.ts) and returns the file offset to continue reading at.
   */
  async splitEdges(handle: FileHandle, signal?: AbortSignal): Promise<number> {
    const start = this.splitAt;
    this.splitAt = -1;
    const l = this.layout!;
    const edges = this.edges!;
    if (!(await this.prefetch!.waitForStart(start, START_WAIT_MS))) {
      // The thread failed or found something else: parse the edges here.
      noteHelperFallback('edgeThread', this.prefetch!.uncoveredReason(start, START_WAIT_MS));
      this.dispose();
      this.sink = edges;
      this.scan = newRecordScanState(this.batch, edges.fast !== null);
      this.state = State.Numbers;
      this.offset = start;
      return start;
    }
    this.prefetchUsed = true;
    const result = await parseEdgeTail({
      handle,
      control: this.prefetch!.control,
      fileBytes: this.fileBytes,
      edgesStart: start,
      edgeCount: edges.count,
      nodeCount: edges.nodeCount,
      nodeFieldCount: l.nodeFieldCount,
      typeCount: l.edgeTypes.length,
      elementType: edges.elementType,
      hiddenType: edges.hiddenType,
      signal,
      minBytes: this.splitOptions.edgeSplitMinBytes,
    });
    if (result === null) {
      // No split: skip the edges as before.
      this.offset = start + 1;
      return this.offset;
    }
    if ('target' in result) {
      // The tail is the last edges: copy it into place now, while the other thread still works (completePrefetch checks the count).
      const t = result.target;
      const first = edges.count - t.ordinal;
      edges.edgeType.set(t.edgeType.subarray(0, t.ordinal), first);
      edges.edgeName.set(t.edgeName.subarray(0, t.ordinal), first);
      edges.edgeTo.set(t.edgeTo.subarray(0, t.ordinal), first);
      this.edgeTail = result;
      this.state = State.KeyOrEnd;
      this.offset = result.end;
      return this.offset;
    }
    // The tail is not plain edges: once the prefetch thread stopped at the split, read it here with the general path,
    // which gives the precise error (or parses whatever unusual layout it has).
    const split = await this.prefetch!.complete();
    this.prefetchUsed = false;
    edges.resumeAt(split!.count);
    this.sink = edges;
    this.arrayOpen = true;
    this.scan = newRecordScanState(this.batch, edges.fast !== null);
    this.scan.expect = false;
    this.state = State.Numbers;
    this.offset = result.failedAt;
    return this.offset;
  }

  /** Stops a prefetch thread that is still running. */
  dispose(): void {
    void this.bootedThread?.terminate();
    this.bootedThread = null;
    this.prefetch?.abandon();
    this.prefetch = null;
  }

  private beginValue(at: number): void {
    const key = this.key;
    if (this.seen.has(key)) throw this.error(`invalid heap snapshot: duplicate "${key}" section`);
    this.seen.add(key);
    this.arrayOpen = false;
    if (key === 'snapshot') {
      this.value = new RawValueReader(true);
      this.state = State.Header;
      return;
    }
    const isNumbers = key === 'nodes' || key === 'edges' || key === 'locations';
    if ((isNumbers || key === 'strings') && !this.layout) {
      throw this.error(`invalid heap snapshot: "${key}" comes before the "snapshot" header`);
    }
    if (isNumbers) {
      this.sink =
        key === 'nodes'
          ? this.nodes
          : key === 'edges'
            ? this.edges
            : (this.locations = new LocationSink(this.layout!, this.header!.node_count));
      if (key === 'edges' && !this.seen.has('nodes'))
        throw this.error('invalid heap snapshot: "edges" comes before "nodes"');
      if (key === 'nodes' && this.prefetchWanted) {
        this.prefetch = EdgePrefetch.start(this.path!, at, this.edges!, this.bootedThread);
        this.bootedThread = null;
      }
      if (key === 'edges' && this.prefetch) {
        // parseFile continues in splitEdges(): it waits for the thread if needed, then splits or skips the edges.
        this.state = State.SkipEdges;
        this.splitAt = at;
        return;
      }
      this.scan = newRecordScanState(this.batch, this.sink!.fast !== null);
      this.state = State.Numbers;
      return;
    }
    if (key === 'strings') {
      this.state = State.Strings;
      return;
    }
    this.value = new RawValueReader(false);
    this.state = State.Skip;
  }

  private installHeader(text: string): void {
    let header: SnapshotHeader;
    try {
      header = JSON.parse(text) as SnapshotHeader;
    } catch {
      throw this.error('invalid heap snapshot: the "snapshot" header is not valid JSON');
    }
    if (!header || typeof header !== 'object' || Array.isArray(header))
      throw this.error('invalid heap snapshot: "snapshot" is not an object');
    const layout = layoutFromMeta(header.meta);
    const nodeCount = header.node_count;
    const edgeCount = header.edge_count;
    if (!Number.isSafeInteger(nodeCount) || nodeCount! < 1)
      throw this.error('invalid heap snapshot: snapshot.node_count is missing or not a positive integer');
    if (!Number.isSafeInteger(edgeCount) || edgeCount! < 0)
      throw this.error('invalid heap snapshot: snapshot.edge_count is missing or invalid');
    // Every number takes at least two bytes ("0,"): refuse counts the file cannot hold before allocating for them.
    if (
      this.fileBytes &&
      (nodeCount! * layout.nodeFieldCount + edgeCount! * layout.edgeFieldCount) * 2 > this.fileBytes + 16
    ) {
      throw this.error(
        `truncated heap snapshot: the header declares ${nodeCount} nodes and ${edgeCount} edges, more than a ${this.fileBytes}-byte file can hold`,
      );
    }
    if (nodeCount! * layout.nodeFieldCount >= 2 ** 32 || edgeCount! >= 2 ** 32)
      throw this.error('heap snapshot too large: more than 2^32 node fields or edges');
    this.header = header;
    this.layout = layout;
    this.nodes = new NodeSink(layout, nodeCount!);
    this.edges = new EdgeSink(layout, edgeCount!, nodeCount!);
    this.state = State.KeyOrEnd;
  }

  private readNumbers(buf: Buffer, i: number): number {
    const end = buf.length;
    if (!this.arrayOpen) {
      while (i < end && isSpace(buf[i])) i++;
      if (i === end) return i;
      const open: Ch = buf[i];
      if (open !== Ch.LBracket) throw this.error(`invalid heap snapshot: "${this.key}" is not an array`);
      this.arrayOpen = true;
      i++;
    }
    const scan = this.scan;
    const sink = this.sink!;
    i = scanRecords(buf, i, end, this.batch, scan, sink);
    if (scan.status === ScanStatus.Closed) {
      if (scan.expect && (scan.n > 0 || sink.received > 0)) {
        throw this.error(
          `invalid heap snapshot: trailing comma in the "${this.key}" array at byte ${this.offset + i - 1}`,
        );
      }
      if (scan.n) sink.take(this.batch, scan.n);
      scan.n = 0;
      sink.close();
      this.state = State.KeyOrEnd;
    } else if (scan.status === ScanStatus.Bad) {
      throw this.error(
        `invalid heap snapshot: unexpected ${describeByte(buf[i])} in the "${this.key}" array at byte ${this.offset + i}`,
      );
    }
    return i;
  }
}

function validateNames(
  layout: SnapshotLayout,
  nodeName: Uint32Array,
  edgeType: Uint8Array,
  edgeName: Uint32Array,
  stringCount: number,
): void {
  for (let i = 0, n = nodeName.length; i < n; i++) {
    if (nodeName[i] >= stringCount)
      throw new HeapSnapshotError(
        `invalid heap snapshot: node ${i} names string ${nodeName[i]}, but there are only ${stringCount} strings`,
      );
  }
  const element = layout.edgeType.element;
  const hidden = layout.edgeType.hidden;
  for (let e = 0, n = edgeName.length; e < n; e++) {
    const t = edgeType[e];
    if (t !== element && t !== hidden && edgeName[e] >= stringCount) {
      throw new HeapSnapshotError(
        `invalid heap snapshot: edge ${e} names string ${edgeName[e]}, but there are only ${stringCount} strings`,
      );
    }
  }
}
