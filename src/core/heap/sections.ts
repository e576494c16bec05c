import { HeapSnapshotError } from './errors';
import type { SnapshotLayout } from './layout';

/** Receives the numbers of one array section in batches. */
export interface NumberSink {
  /** Numbers received so far. */
  received: number;
  take(batch: Float64Array, n: number): void;
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
  /** Edge counts first, turned into first-edge ordinals by finish(). */
  readonly firstEdge: Uint32Array;
  private readonly roles: Uint8Array;
  private field = 0;
  private ordinal = 0;
  private closed = false;
  edgeCountSum = 0;

  constructor(private readonly layout: SnapshotLayout, private readonly count: number) {
    this.nodeType = new Uint8Array(count);
    this.nodeName = new Uint32Array(count);
    this.nodeId = new Uint32Array(count);
    this.nodeSelfSize = new Float64Array(count);
    this.nodeDetachedness = layout.nodeDetachednessField >= 0 ? new Uint8Array(count) : null;
    this.firstEdge = new Uint32Array(count + 1);
    const roles = new Uint8Array(layout.nodeFieldCount);
    roles[layout.nodeTypeField] = NodeRole.Type;
    roles[layout.nodeNameField] = NodeRole.Name;
    roles[layout.nodeIdField] = NodeRole.Id;
    roles[layout.nodeSelfSizeField] = NodeRole.SelfSize;
    roles[layout.nodeEdgeCountField] = NodeRole.EdgeCount;
    if (layout.nodeDetachednessField >= 0) roles[layout.nodeDetachednessField] = NodeRole.Detachedness;
    this.roles = roles;
  }

  take(batch: Float64Array, n: number): void {
    const { roles, nodeType, nodeName, nodeId, nodeSelfSize, nodeDetachedness, firstEdge, count } = this;
    const fieldCount = roles.length;
    const typeCount = this.layout.nodeTypes.length;
    let field = this.field;
    let ordinal = this.ordinal;
    let bad = '';
    for (let k = 0; k < n; k++) {
      if (ordinal >= count) throw mismatch('node', count, ordinal + 1);
      const v = batch[k]!;
      switch (roles[field]) {
        case NodeRole.Type:
          if (v >= typeCount) bad = `node ${ordinal} has type ${v}, but snapshot.meta lists ${typeCount} node types`;
          nodeType[ordinal] = v;
          break;
        case NodeRole.Name:
          if (v > U32) bad = 'a node name index is out of range';
          nodeName[ordinal] = v;
          break;
        case NodeRole.Id:
          if (v > U32) bad = 'a node id is out of range';
          nodeId[ordinal] = v;
          break;
        case NodeRole.SelfSize:
          nodeSelfSize[ordinal] = v;
          break;
        case NodeRole.EdgeCount:
          if (v > U32) bad = 'a node edge_count is out of range';
          firstEdge[ordinal] = v;
          break;
        case NodeRole.Detachedness:
          nodeDetachedness![ordinal] = v;
          break;
      }
      if (++field === fieldCount) {
        field = 0;
        ordinal++;
      }
    }
    if (bad) throw new HeapSnapshotError(`invalid heap snapshot: ${bad}`);
    this.field = field;
    this.ordinal = ordinal;
    this.received += n;
  }

  close(): void {
    this.closed = true;
  }

  /** Validates the count and turns edge counts into first-edge ordinals. */
  finish(): this {
    if (!this.closed) throw new HeapSnapshotError('invalid heap snapshot: no "nodes" section');
    if (this.field !== 0) throw new HeapSnapshotError('invalid heap snapshot: the "nodes" array length is not a multiple of the node field count');
    if (this.ordinal !== this.count) throw mismatch('node', this.count, this.ordinal);
    const firstEdge = this.firstEdge;
    let sum = 0;
    for (let i = 0; i < this.count; i++) {
      const c = firstEdge[i]!;
      firstEdge[i] = sum;
      sum += c;
      if (sum > U32) throw new HeapSnapshotError('invalid heap snapshot: the nodes\' edge counts add up to more than 2^32');
    }
    firstEdge[this.count] = sum;
    this.edgeCountSum = sum;
    return this;
  }
}

/** Stores the `edges` section into per-field columns, turning to_node indices into node ordinals. */
export class EdgeSink implements NumberSink {
  received = 0;
  readonly edgeType: Uint8Array;
  readonly edgeName: Uint32Array;
  readonly edgeTo: Uint32Array;
  private readonly roles: Uint8Array;
  private field = 0;
  private ordinal = 0;
  private closed = false;

  constructor(private readonly layout: SnapshotLayout, private readonly count: number, private readonly nodeCount: number) {
    this.edgeType = new Uint8Array(count);
    this.edgeName = new Uint32Array(count);
    this.edgeTo = new Uint32Array(count);
    const roles = new Uint8Array(layout.edgeFieldCount);
    roles[layout.edgeTypeField] = EdgeRole.Type;
    roles[layout.edgeNameField] = EdgeRole.Name;
    roles[layout.edgeToNodeField] = EdgeRole.To;
    this.roles = roles;
  }

  take(batch: Float64Array, n: number): void {
    const l = this.layout;
    let k = 0;
    // Fast path for the usual [type, name_or_index, to_node] layout: whole edges straight from the batch.
    if (l.edgeFieldCount === 3 && l.edgeTypeField === 0 && l.edgeNameField === 1 && l.edgeToNodeField === 2) {
      while (k < n && this.field !== 0) this.takeOne(batch[k++]!);
      const { edgeType, edgeName, edgeTo, count, nodeCount } = this;
      const nodeFieldCount = l.nodeFieldCount;
      const typeCount = l.edgeTypes.length;
      let ordinal = this.ordinal;
      let bad = -1;
      const fastStart = k;
      const whole = k + Math.floor((n - k) / 3) * 3;
      if (ordinal + (whole - k) / 3 > count) throw mismatch('edge', count, ordinal + (whole - k) / 3);
      for (; k < whole; k += 3) {
        const type = batch[k]!;
        const name = batch[k + 1]!;
        const to = batch[k + 2]! / nodeFieldCount;
        if (type >= typeCount || name > U32 || to >= nodeCount || to !== Math.floor(to)) {
          bad = k;
          break;
        }
        edgeType[ordinal] = type;
        edgeName[ordinal] = name;
        edgeTo[ordinal] = to;
        ordinal++;
      }
      this.ordinal = ordinal;
      this.received += k - fastStart;
      if (bad >= 0) {
        // Let the general path produce the precise message.
        for (let j = 0; j < 3; j++) this.takeOne(batch[bad + j]!);
      }
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

/** Stores the `locations` section (object_index, script_id, line, column). */
export class LocationSink implements NumberSink {
  received = 0;
  private values = new Float64Array(4096);
  private length = 0;

  constructor(private readonly layout: SnapshotLayout) {}

  take(batch: Float64Array, n: number): void {
    if (this.length + n > this.values.length) {
      const bigger = new Float64Array(Math.max(this.values.length * 2, this.length + n));
      bigger.set(this.values.subarray(0, this.length));
      this.values = bigger;
    }
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
