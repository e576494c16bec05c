import { HeapSnapshotError } from '../errors';
import type { SnapshotLayout } from '../layout';
import { fastNodeRecords, fastStandardNodeRecords, isStandardNodeLayout } from './recordScanner';
import { mismatch, SectionSink, U32 } from './sectionSink';
import { sharedUint32 } from '../sharedArrays';

const enum NodeRole {
  Skip,
  Type,
  Name,
  Id,
  SelfSize,
  EdgeCount,
  Detachedness,
}

/** Stores the `nodes` section into per-field columns. */
export class NodeSink implements SectionSink {
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

  constructor(
    layout: SnapshotLayout,
    readonly count: number,
  ) {
    this.typeCount = layout.nodeTypes.length;
    this.offsets = [
      layout.nodeTypeField,
      layout.nodeNameField,
      layout.nodeIdField,
      layout.nodeSelfSizeField,
      layout.nodeEdgeCountField,
      layout.nodeDetachednessField,
    ];
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
    for (let o = before, end = Math.min(this.count, this.ordinal + 1); o < end; o++)
      if (names[o] > this.maxName) this.maxName = names[o]!;
  }

  close(): void {
    this.closed = true;
  }

  /** Validates the count and turns edge counts into first-edge ordinals. */
  finish(): this {
    if (!this.closed) throw new HeapSnapshotError('invalid heap snapshot: no "nodes" section');
    if (this.field !== 0)
      throw new HeapSnapshotError(
        'invalid heap snapshot: the "nodes" array length is not a multiple of the node field count',
      );
    if (this.ordinal !== this.count) throw mismatch('node', this.count, this.ordinal);
    // The columns already hold first-edge ordinals (running sums, kept while parsing).
    if (this.edgeSum > U32)
      throw new HeapSnapshotError("invalid heap snapshot: the nodes' edge counts add up to more than 2^32");
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
    switch (roles[field] as NodeRole) {
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
      case NodeRole.Skip:
        break;
    }
    if (++field === fieldCount) {
      field = 0;
      ordinal++;
    }
  };
  while (k < n && field !== 0) one(batch[k++]);
  // Whole nodes: every field at its fixed offset, no per-number dispatch.
  const whole = Math.min(Math.floor((n - k) / fieldCount), count - ordinal);
  const [tOff, nOff, iOff, sOff, eOff, dOff] = offsets;
  for (let w = 0; w < whole; w++, k += fieldCount, ordinal++) {
    const type = batch[k + tOff];
    const name = batch[k + nOff];
    const id = batch[k + iOff];
    const edges = batch[k + eOff];
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
  while (k < n) one(batch[k++]);
  sink.edgeSum = edgeSum;
  return ordinal * fieldCount + field;
}

function badType(ordinal: number, v: number, typeCount: number): HeapSnapshotError {
  return new HeapSnapshotError(
    `invalid heap snapshot: node ${ordinal} has type ${v}, but snapshot.meta lists ${typeCount} node types`,
  );
}

function outOfRange(what: string): HeapSnapshotError {
  return new HeapSnapshotError(`invalid heap snapshot: a node ${what} is out of range`);
}
