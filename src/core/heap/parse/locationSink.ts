import { HeapSnapshotError } from '../errors';
import type { SnapshotLayout } from '../layout';
import { fastFlatRecords } from './recordScanner';
import type { SectionSink } from './sectionSink';

/** Stores the `locations` section (object_index, script_id, line, column). */
export class LocationSink implements SectionSink {
  received = 0;
  readonly recordFields: number;
  readonly fieldCount: number;
  readonly fast: ((buf: Uint8Array, i: number, end: number) => number) | null;
  values = new Float64Array(0);
  length = 0;

  /** `nodeCount` sizes the first allocation (about one location per four nodes is usual), sparing copies as it grows. */
  constructor(
    private readonly layout: SnapshotLayout,
    private readonly nodeCount = 0,
  ) {
    this.recordFields = this.fieldCount = layout.locationFieldCount;
    this.fast =
      this.fieldCount === 0
        ? null
        : (buf, i, end) => {
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
    const first = this.values.length === 0 ? Math.ceil((this.nodeCount * this.fieldCount) / 4) : 0;
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
  finish(
    nodeCount: number,
  ): { nodeLocation: Int32Array; script: Uint32Array; line: Uint32Array; column: Uint32Array } | null {
    const l = this.layout;
    const fc = l.locationFieldCount;
    if (
      !fc ||
      l.locationObjectField < 0 ||
      l.locationScriptField < 0 ||
      l.locationLineField < 0 ||
      l.locationColumnField < 0
    )
      return null;
    const count = Math.floor(this.length / fc);
    const nodeLocation = new Int32Array(nodeCount).fill(-1);
    const script = new Uint32Array(count);
    const line = new Uint32Array(count);
    const column = new Uint32Array(count);
    const v = this.values;
    for (let i = 0; i < count; i++) {
      const base = i * fc;
      const node = v[base + l.locationObjectField] / l.nodeFieldCount;
      if (node >= nodeCount || node !== Math.floor(node)) {
        throw new HeapSnapshotError(
          `invalid heap snapshot: location ${i} refers to node index ${v[base + l.locationObjectField]}, which is not a node`,
        );
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
