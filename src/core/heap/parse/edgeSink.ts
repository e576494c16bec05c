import { HeapSnapshotError } from '../errors';
import type { SnapshotLayout } from '../layout';
import { fastEdgeRecords, noteEdgeNames } from './recordScanner';
import { mismatch, SectionSink, U32 } from './sectionSink';
import { sharedUint32 } from '../sharedArrays';

const enum EdgeRole {
  Skip,
  Type,
  Name,
  To,
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
export class EdgeSink implements SectionSink {
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

  constructor(
    private readonly layout: SnapshotLayout,
    readonly count: number,
    readonly nodeCount: number,
  ) {
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
    this.fast = !this.isStandardLayout
      ? null
      : (buf, i, end) => {
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
      while (k < n && this.field !== 0) this.takeOne(batch[k++]);
      const whole = k + Math.floor((n - k) / 3) * 3;
      if (this.ordinal + (whole - k) / 3 > this.count)
        throw mismatch('edge', this.count, this.ordinal + (whole - k) / 3);
      const stop = fillEdgeColumns(this, batch, k, whole, this.ordinal);
      this.ordinal += (stop - k) / 3;
      this.received += stop - k;
      k = stop;
      // On a bad edge, the general path produces the precise message.
      while (k < n) this.takeOne(batch[k++]);
      return;
    }
    for (; k < n; k++) this.takeOne(batch[k]);
  }

  private takeOne(v: number): void {
    const { roles, edgeType, edgeName, edgeTo, count } = this;
    const ordinal = this.ordinal;
    if (ordinal >= count) throw mismatch('edge', count, ordinal + 1);
    switch (roles[this.field] as EdgeRole) {
      case EdgeRole.Type:
        if (v >= this.layout.edgeTypes.length)
          throw new HeapSnapshotError(
            `invalid heap snapshot: edge ${ordinal} has type ${v}, but snapshot.meta lists ${this.layout.edgeTypes.length} edge types`,
          );
        edgeType[ordinal] = v;
        break;
      case EdgeRole.Name:
        if (v > U32) throw new HeapSnapshotError('invalid heap snapshot: an edge name index is out of range');
        edgeName[ordinal] = v;
        break;
      case EdgeRole.To: {
        const to = v / this.layout.nodeFieldCount;
        if (to >= this.nodeCount || to !== Math.floor(to)) {
          throw new HeapSnapshotError(
            `invalid heap snapshot: edge ${ordinal} points to node index ${v}, which is not a node (${this.nodeCount} nodes)`,
          );
        }
        edgeTo[ordinal] = to;
        break;
      }
      case EdgeRole.Skip:
        break;
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
    if (this.field !== 0)
      throw new HeapSnapshotError(
        'invalid heap snapshot: the "edges" array length is not a multiple of the edge field count',
      );
    if (this.ordinal !== this.count) throw mismatch('edge', this.count, this.ordinal);
    if (edgeCountSum !== this.count) {
      throw new HeapSnapshotError(
        `invalid heap snapshot: the nodes' edge counts add up to ${edgeCountSum}, but there are ${this.count} edges`,
      );
    }
    return this;
  }
}

/**
 * The edge columns' hot loop for [type, name_or_index, to_node] triples from batch[from…to); stops at the first bad
 * edge. Returns where it stopped. (A free function for the same OSR reason as fillNodeColumns; self-contained, as it
 * also runs on the edge-prefetch thread.)
 */
export function fillEdgeColumns(
  sink: EdgeColumns,
  batch: Float64Array,
  from: number,
  to: number,
  ordinal: number,
): number {
  const { edgeType, edgeName, edgeTo, nodeCount, nodeFieldCount, typeCount } = sink;
  let k = from;
  for (; k < to; k += 3) {
    const type = batch[k];
    const name = batch[k + 1];
    const target = batch[k + 2] / nodeFieldCount;
    if (type >= typeCount || name > 0xffffffff || target >= nodeCount || target !== Math.floor(target)) break;
    edgeType[ordinal] = type;
    edgeName[ordinal] = name;
    edgeTo[ordinal] = target;
    ordinal++;
  }
  return k;
}
