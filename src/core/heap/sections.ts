import { HeapSnapshotError } from './errors';
import type { SnapshotLayout } from './layout';
import { sharedUint32 } from './sharedArrays';
import { fastEdgeRecords, fastFlatRecords, fastNodeRecords, fastStandardNodeRecords, isStandardNodeLayout, noteEdgeNames, RecordSink } from './recordScanner';

/** Receives the numbers of one array section, whole records through `fast` when it has one, others in batches. */
export interface NumberSink extends RecordSink {
  /** Numbers received so far. */
  received: number;
  close(): void;
}

const enum NodeRole { Skip, Type, Name, Id, SelfSize, EdgeCount, Detachedness }
const enum EdgeRole { Skip, Type, Name, To }
const U32 = 0xffffffff;

function mismatch(what: string, expected: number, got: number): HeapSnapshotError {
  return new HeapSnapshotError(`invalid heap snapshot: snapshot.${what}_count says ${expected} but the file has ${got > expected ? 'more' : got}`);
}

/** Stores the `nodes` section into per-field columns. */
export class NodeSink implements NumberSink {
  received = 0;
  readonly nodeType: Uint8Array;
  readonly nodeName: Uint32Array;
  readonly nodeId: Uint32Array;
  readonly nodeSelfSize: Float64Array;
  readonly nodeDetachedness: Uint8Array | null;
  /** First-edge ordinal of each node: the edge counts' running sum, stored as the nodes are read. */
  readonly firstEdge: Uint32Array;
  /** Sum of the edge counts read so far. */
  edgeSum = 0;
  readonly roles: Uint8Array;
  readonly typeCount: number;
  /** Field offsets of type, name, id, self_size, edge_count, detachedness (-1 when absent). */
  readonly offsets: readonly number[];
  readonly fieldCount: number;
  readonly recordFields: number;
  /** Scratch for the fast path on unusual layouts. */
  readonly record: Float64Array;
  readonly fast: (buf: Uint8Array, i: number, end: number) => number;
  private field = 0;
  /** The next node to fill. */
  ordinal = 0;
  /** Largest name string index so far. */
  maxName = 0;
  private closed = false;
  edgeCountSum = 0;

  constructor(layout: SnapshotLayout, readonly count: number) {
    this.typeCount = layout.nodeTypes.length;
    this.offsets = [layout.nodeTypeField, layout.nodeNameField, layout.nodeIdField, layout.nodeSelfSizeField, layout.nodeEdgeCountField, layout.nodeDetachednessField];
    this.nodeType = new Uint8Array(count);
    this.nodeName = new Uint32Array(count);
    this.nodeId = sharedUint32(count);
    this.nodeSelfSize = new Float64Array(new SharedArrayBuffer(count * 8));
    this.nodeDetachedness = layout.nodeDetachednessField >= 0 ? new Uint8Array(count) : null;
    this.firstEdge = sharedUint32(count + 1);
    const roles = new Uint8Array(layout.nodeFieldCount);
    roles[layout.nodeTypeField] = NodeRole.Type;
    roles[layout.nodeNameField] = NodeRole.Name;
    roles[layout.nodeIdField] = NodeRole.Id;
    roles[layout.nodeSelfSizeField] = NodeRole.SelfSize;
    roles[layout.nodeEdgeCountField] = NodeRole.EdgeCount;
    if (layout.nodeDetachednessField >= 0) roles[layout.nodeDetachednessField] = NodeRole.Detachedness;
    this.roles = roles;
    this.fieldCount = this.recordFields = layout.nodeFieldCount;
    this.record = new Float64Array(layout.nodeFieldCount);
    const records = isStandardNodeLayout(this.offsets, this.fieldCount) ? fastStandardNodeRecords : fastNodeRecords;
    this.fast = (buf, i, end) => {
      const before = this.ordinal;
      const stop = records(this, buf, i, end);
      this.received += (this.ordinal - before) * this.fieldCount;
      return stop;
    };
  }

  fieldInRecord(): number {
    return this.field;
  }

  take(batch: Float64Array, n: number): void {
    const fieldCount = this.roles.length;
    const before = this.ordinal;
    const position = fillNodeColumns(this, batch, n, this.ordinal * fieldCount + this.field);
    this.ordinal = Math.floor(position / fieldCount);
    this.field = position - this.ordinal * fieldCount;
    this.received += n;
    // A partly filled node is looked at again by the next batch.
    const names = this.nodeName;
    for (let o = before, end = Math.min(this.count, this.ordinal + 1); o < end; o++) if (names[o]! > this.maxName) this.maxName = names[o]!;
  }

  close(): void {
    this.closed = true;
  }

  /** Validates the count and turns edge counts into first-edge ordinals. */
  finish(): this {
    if (!this.closed) throw new HeapSnapshotError('invalid heap snapshot: no "nodes" section');
    if (this.field !== 0) throw new HeapSnapshotError('invalid heap snapshot: the "nodes" array length is not a multiple of the node field count');
    if (this.ordinal !== this.count) throw mismatch('node', this.count, this.ordinal);
    // The columns already hold first-edge ordinals (running sums, kept while parsing).
    if (this.edgeSum > U32) throw new HeapSnapshotError('invalid heap snapshot: the nodes\' edge counts add up to more than 2^32');
    this.firstEdge[this.count] = this.edgeSum;
    this.edgeCountSum = this.edgeSum;
    return this;
  }
}

/**
 * The node columns' hot loop, kept free of property accesses on `sink` after the loop: V8 compiles such loops
 * on-stack, and a cached OSR version without feedback for later code would deoptimise at every batch.
 * `position` counts numbers (ordinal * fieldCount + field); returns the new position.
 */
function fillNodeColumns(sink: NodeSink, batch: Float64Array, n: number, position: number): number {
  const { roles, nodeType, nodeName, nodeId, nodeSelfSize, nodeDetachedness, firstEdge, offsets } = sink;
  const fieldCount = roles.length;
  const count = sink.count;
  const typeCount = sink.typeCount;
  let edgeSum = sink.edgeSum;
  let ordinal = Math.floor(position / fieldCount);
  let field = position - ordinal * fieldCount;
  let k = 0;
  const one = (v: number): void => {
    if (ordinal >= count) throw mismatch('node', count, ordinal + 1);
    switch (roles[field]) {
      case NodeRole.Type:
        if (v >= typeCount) throw badType(ordinal, v, typeCount);
        nodeType[ordinal] = v;
        break;
      case NodeRole.Name:
        if (v > U32) throw outOfRange('name index');
        nodeName[ordinal] = v;
        break;
      case NodeRole.Id:
        if (v > U32) throw outOfRange('id');
        nodeId[ordinal] = v;
        break;
      case NodeRole.SelfSize:
        nodeSelfSize[ordinal] = v;
        break;
      case NodeRole.EdgeCount:
        if (v > U32) throw outOfRange('edge_count');
        firstEdge[ordinal] = edgeSum;
        edgeSum += v;
        break;
      case NodeRole.Detachedness:
        nodeDetachedness![ordinal] = v;
        break;
    }
    if (++field === fieldCount) {
      field = 0;
      ordinal++;
    }
  };
  while (k < n && field !== 0) one(batch[k++]!);
  // Whole nodes: every field at its fixed offset, no per-number dispatch.
  const whole = Math.min(Math.floor((n - k) / fieldCount), count - ordinal);
  const [tOff, nOff, iOff, sOff, eOff, dOff] = offsets;
  for (let w = 0; w < whole; w++, k += fieldCount, ordinal++) {
    const type = batch[k + tOff]!;
    const name = batch[k + nOff]!;
    const id = batch[k + iOff]!;
    const edges = batch[k + eOff]!;
    if (type >= typeCount) throw badType(ordinal, type, typeCount);
    if (name > U32 || id > U32 || edges > U32) throw outOfRange('name, id or edge_count');
    nodeType[ordinal] = type;
    nodeName[ordinal] = name;
    nodeId[ordinal] = id;
    nodeSelfSize[ordinal] = batch[k + sOff]!;
    firstEdge[ordinal] = edgeSum;
    edgeSum += edges;
    if (dOff >= 0) nodeDetachedness![ordinal] = batch[k + dOff]!;
  }
  while (k < n) one(batch[k++]!);
  sink.edgeSum = edgeSum;
  return ordinal * fieldCount + field;
}

function badType(ordinal: number, v: number, typeCount: number): HeapSnapshotError {
  return new HeapSnapshotError(`invalid heap snapshot: node ${ordinal} has type ${v}, but snapshot.meta lists ${typeCount} node types`);
}

function outOfRange(what: string): HeapSnapshotError {
  return new HeapSnapshotError(`invalid heap snapshot: a node ${what} is out of range`);
}

/** The edge columns and what is needed to check them. */
export interface EdgeColumns {
  edgeType: Uint8Array;
  edgeName: Uint32Array;
  edgeTo: Uint32Array;
  nodeCount: number;
  nodeFieldCount: number;
  typeCount: number;
}

/** Stores the `edges` section into per-field columns, turning to_node indices into node ordinals. */
export class EdgeSink implements NumberSink {
  received = 0;
  readonly edgeType: Uint8Array;
  readonly edgeName: Uint32Array;
  readonly edgeTo: Uint32Array;
  private readonly roles: Uint8Array;
  readonly nodeFieldCount: number;
  readonly typeCount: number;
  readonly recordFields: number;
  readonly fast: ((buf: Uint8Array, i: number, end: number) => number) | null;
  private field = 0;
  /** The next edge to fill. */
  ordinal = 0;
  readonly elementType: number;
  readonly hiddenType: number;
  /** Largest string index named by an edge so far. */
  maxStringName = 0;
  private closed = false;

  constructor(private readonly layout: SnapshotLayout, readonly count: number, readonly nodeCount: number) {
    this.nodeFieldCount = layout.nodeFieldCount;
    this.typeCount = layout.edgeTypes.length;
    this.edgeType = new Uint8Array(new SharedArrayBuffer(count));
    this.edgeName = sharedUint32(count);
    this.edgeTo = sharedUint32(count);
    const roles = new Uint8Array(layout.edgeFieldCount);
    roles[layout.edgeTypeField] = EdgeRole.Type;
    roles[layout.edgeNameField] = EdgeRole.Name;
    roles[layout.edgeToNodeField] = EdgeRole.To;
    this.roles = roles;
    this.recordFields = layout.edgeFieldCount;
    this.elementType = layout.edgeType.element;
    this.hiddenType = layout.edgeType.hidden;
    this.fast = !this.isStandardLayout ? null : (buf, i, end) => {
      const before = this.ordinal;
      const stop = fastEdgeRecords(this, buf, i, end);
      this.received += (this.ordinal - before) * 3;
      return stop;
    };
  }

  fieldInRecord(): number {
    return this.field;
  }

  take(batch: Float64Array, n: number): void {
    const before = this.ordinal;
    this.takeNumbers(batch, n);
    // A partly filled edge is looked at again by the next batch.
    noteEdgeNames(this, before, Math.min(this.count, this.ordinal + 1));
  }

  private takeNumbers(batch: Float64Array, n: number): void {
    const l = this.layout;
    let k = 0;
    // Fast path for the usual [type, name_or_index, to_node] layout: whole edges straight from the batch.
    if (l.edgeFieldCount === 3 && l.edgeTypeField === 0 && l.edgeNameField === 1 && l.edgeToNodeField === 2) {
      while (k < n && this.field !== 0) this.takeOne(batch[k++]!);
      const whole = k + Math.floor((n - k) / 3) * 3;
      if (this.ordinal + (whole - k) / 3 > this.count) throw mismatch('edge', this.count, this.ordinal + (whole - k) / 3);
      const stop = fillEdgeColumns(this, batch, k, whole, this.ordinal);
      this.ordinal += (stop - k) / 3;
      this.received += stop - k;
      k = stop;
      // On a bad edge, the general path produces the precise message.
      while (k < n) this.takeOne(batch[k++]!);
      return;
    }
    for (; k < n; k++) this.takeOne(batch[k]!);
  }

  private takeOne(v: number): void {
    const { roles, edgeType, edgeName, edgeTo, count } = this;
    const ordinal = this.ordinal;
    if (ordinal >= count) throw mismatch('edge', count, ordinal + 1);
    switch (roles[this.field]) {
      case EdgeRole.Type:
        if (v >= this.layout.edgeTypes.length) throw new HeapSnapshotError(`invalid heap snapshot: edge ${ordinal} has type ${v}, but snapshot.meta lists ${this.layout.edgeTypes.length} edge types`);
        edgeType[ordinal] = v;
        break;
      case EdgeRole.Name:
        if (v > U32) throw new HeapSnapshotError('invalid heap snapshot: an edge name index is out of range');
        edgeName[ordinal] = v;
        break;
      case EdgeRole.To: {
        const to = v / this.layout.nodeFieldCount;
        if (to >= this.nodeCount || to !== Math.floor(to)) {
          throw new HeapSnapshotError(`invalid heap snapshot: edge ${ordinal} points to node index ${v}, which is not a node (${this.nodeCount} nodes)`);
        }
        edgeTo[ordinal] = to;
        break;
      }
    }
    if (++this.field === roles.length) {
      this.field = 0;
      this.ordinal = ordinal + 1;
    }
    this.received++;
  }

  close(): void {
    this.closed = true;
  }

  /** Continues after `count` edges that a prefetch thread filled (the rest follows through take/fast). */
  resumeAt(count: number): void {
    this.ordinal = count;
    this.field = 0;
    this.received = count * this.roles.length;
  }

  /** Records that a prefetch thread filled the columns with `count` edges (validated there). */
  adoptPrefetched(count: number, maxStringName: number): void {
    this.maxStringName = maxStringName;
    this.ordinal = count;
    this.field = 0;
    this.received = count * this.roles.length;
    this.closed = true;
  }

  /** True for the usual [type, name_or_index, to_node] layout (the one the prefetch thread handles). */
  get isStandardLayout(): boolean {
    const l = this.layout;
    return l.edgeFieldCount === 3 && l.edgeTypeField === 0 && l.edgeNameField === 1 && l.edgeToNodeField === 2;
  }

  /** Validates counts against the header and the nodes' edge counts. */
  finish(edgeCountSum: number): this {
    if (!this.closed) throw new HeapSnapshotError('invalid heap snapshot: no "edges" section');
    if (this.field !== 0) throw new HeapSnapshotError('invalid heap snapshot: the "edges" array length is not a multiple of the edge field count');
    if (this.ordinal !== this.count) throw mismatch('edge', this.count, this.ordinal);
    if (edgeCountSum !== this.count) {
      throw new HeapSnapshotError(`invalid heap snapshot: the nodes' edge counts add up to ${edgeCountSum}, but there are ${this.count} edges`);
    }
    return this;
  }
}

/**
 * The edge columns' hot loop for [type, name_or_index, to_node] triples from batch[from…to); stops at the first bad
 * edge. Returns where it stopped. (A free function for the same OSR reason as fillNodeColumns; self-contained, as it
 * also runs on the edge-prefetch thread.)
 */
export function fillEdgeColumns(sink: EdgeColumns, batch: Float64Array, from: number, to: number, ordinal: number): number {
  const { edgeType, edgeName, edgeTo, nodeCount, nodeFieldCount, typeCount } = sink;
  let k = from;
  for (; k < to; k += 3) {
    const type = batch[k]!;
    const name = batch[k + 1]!;
    const target = batch[k + 2]! / nodeFieldCount;
    if (type >= typeCount || name > 0xffffffff || target >= nodeCount || target !== Math.floor(target)) break;
    edgeType[ordinal] = type;
    edgeName[ordinal] = name;
    edgeTo[ordinal] = target;
    ordinal++;
  }
  return k;
}

/** Stores the `locations` section (object_index, script_id, line, column). */
export class LocationSink implements NumberSink {
  received = 0;
  readonly recordFields: number;
  readonly fieldCount: number;
  readonly fast: ((buf: Uint8Array, i: number, end: number) => number) | null;
  values = new Float64Array(0);
  length = 0;

  /** `nodeCount` sizes the first allocation (about one location per four nodes is usual), sparing copies as it grows. */
  constructor(private readonly layout: SnapshotLayout, private readonly nodeCount = 0) {
    this.recordFields = this.fieldCount = layout.locationFieldCount;
    this.fast = this.fieldCount === 0 ? null : (buf, i, end) => {
      // At most 1 MB per call; every number takes at least two bytes, so this much room holds what it can read.
      const stopBefore = Math.min(end, i + (1 << 20));
      this.reserve(Math.ceil((stopBefore - i) / 2) + this.fieldCount);
      const before = this.length;
      const stop = fastFlatRecords(this, buf, i, stopBefore);
      this.received += this.length - before;
      return stop;
    };
  }

  fieldInRecord(): number {
    return this.length % this.fieldCount;
  }

  private reserve(more: number): void {
    if (this.length + more <= this.values.length) return;
    const first = this.values.length === 0 ? Math.ceil(this.nodeCount * this.fieldCount / 4) : 0;
    const bigger = new Float64Array(Math.max(4096, first, this.values.length * 2, this.length + more));
    bigger.set(this.values.subarray(0, this.length));
    this.values = bigger;
  }

  take(batch: Float64Array, n: number): void {
    this.reserve(n);
    this.values.set(batch.subarray(0, n), this.length);
    this.length += n;
    this.received += n;
  }

  close(): void {}

  /** Returns per-node location indices plus the location columns. */
  finish(nodeCount: number): { nodeLocation: Int32Array; script: Uint32Array; line: Uint32Array; column: Uint32Array } | null {
    const l = this.layout;
    const fc = l.locationFieldCount;
    if (!fc || l.locationObjectField < 0 || l.locationScriptField < 0 || l.locationLineField < 0 || l.locationColumnField < 0) return null;
    const count = Math.floor(this.length / fc);
    const nodeLocation = new Int32Array(nodeCount).fill(-1);
    const script = new Uint32Array(count);
    const line = new Uint32Array(count);
    const column = new Uint32Array(count);
    const v = this.values;
    for (let i = 0; i < count; i++) {
      const base = i * fc;
      const node = v[base + l.locationObjectField]! / l.nodeFieldCount;
      if (node >= nodeCount || node !== Math.floor(node)) {
        throw new HeapSnapshotError(`invalid heap snapshot: location ${i} refers to node index ${v[base + l.locationObjectField]}, which is not a node`);
      }
      script[i] = v[base + l.locationScriptField]!;
      line[i] = v[base + l.locationLineField]!;
      column[i] = v[base + l.locationColumnField]!;
      nodeLocation[node] = i;
    }
    this.values = new Float64Array(0);
    return { nodeLocation, script, line, column };
  }
}
