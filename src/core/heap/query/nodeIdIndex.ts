/**
 * Node id → ordinal. Snapshot ids are usually not in node order, so node ordinals sorted by id (radix sort, O(n)) are
 * built on first use, then binary searched. Far cheaper than a Map of millions of entries.
 */
export class NodeIdIndex {
  private sorted: Uint32Array | null = null;
  private readonly monotonic: boolean;

  constructor(private readonly ids: Uint32Array) {
    let mono = true;
    for (let i = 1; i < ids.length && mono; i++) if (ids[i] <= ids[i - 1]) mono = false;
    this.monotonic = mono;
  }

  /** Ordinal of the node with this id, or -1. */
  ordinalOf(id: number): number {
    if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) return -1;
    if (this.monotonic) return binarySearch(this.ids, id);
    const order = this.byId();
    const ids = this.ids;
    let lo = 0;
    let hi = order.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const x = ids[order[mid]];
      if (x === id) return order[mid];
      if (x < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Node ordinals in ascending id order (shared; do not modify). */
  byId(): Uint32Array {
    if (!this.sorted) this.sorted = this.monotonic ? identity(this.ids.length) : sortOrdinalsById(this.ids);
    return this.sorted;
  }
}

function identity(n: number): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** LSD radix sort of 0…n-1 by ids[i], two 16-bit passes. */
function sortOrdinalsById(ids: Uint32Array): Uint32Array {
  const n = ids.length;
  let from: Uint32Array = identity(n);
  let to: Uint32Array = new Uint32Array(n);
  const counts = new Uint32Array(65537);
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((ids[i] >>> shift) & 0xffff) + 1]++;
    for (let b = 1; b <= 65536; b++) counts[b] += counts[b - 1];
    for (let i = 0; i < n; i++) {
      const o = from[i];
      to[counts[(ids[o] >>> shift) & 0xffff]++] = o;
    }
    [from, to] = [to, from];
  }
  return from;
}

function binarySearch(a: Uint32Array, v: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = a[mid];
    if (x === v) return mid;
    if (x < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
