import type { HeapAnalysis } from '../analyze/analysis';

/** Pages of a node's dominator-tree children by retained size, without sorting the whole list for the first pages. */
export class DominatorPages {
  /** Fully sorted lists of nodes paged past `SELECT_LIMIT` (few: only deep paging into one huge node sorts). */
  private readonly sorted = new Map<number, Uint32Array>();

  constructor(private readonly analysis: HeapAnalysis) {}

  /** Ordinals of the children `offset`…`offset + limit` of node `n`, largest retained size first; and their total. */
  page(n: number, offset: number, limit: number): { total: number; ordinals: Uint32Array } {
    const { tree } = this.analysis;
    const first = tree.firstDominated[n];
    const total = tree.firstDominated[n + 1] - first;
    const start = Math.max(0, Math.min(total, offset));
    const end = Math.min(total, start + Math.max(0, limit));
    if (end <= start) return { total, ordinals: new Uint32Array(0) };
    const all = tree.dominated.subarray(first, first + total);
    const cached = this.sorted.get(n);
    if (cached) return { total, ordinals: cached.slice(start, end) };
    // The first pages: the `end` largest by a bounded min-heap, O(total · log end) instead of a full sort.
    if (end <= SELECT_LIMIT || total <= end) {
      const top = largest(all, tree.retainedSize, end);
      return { total, ordinals: top.subarray(start, end) };
    }
    const order = Uint32Array.from(all).sort((a, b) => compare(tree.retainedSize, a, b));
    if (this.sorted.size >= 8) this.sorted.delete(this.sorted.keys().next().value!);
    this.sorted.set(n, order);
    return { total, ordinals: order.slice(start, end) };
  }
}

const SELECT_LIMIT = 2000;

/** Larger retained size first, then lower ordinal: a total order, so pages never overlap. */
function compare(retained: Float64Array, a: number, b: number): number {
  return retained[b] - retained[a] || a - b;
}

/** The `k` largest of `items` by `compare`, sorted. */
function largest(items: Uint32Array, retained: Float64Array, k: number): Uint32Array {
  const n = Math.min(k, items.length);
  // heap[0] is the smallest kept item (the one to evict): a min-heap under `compare`'s order.
  const heap = new Uint32Array(n);
  let size = 0;
  const worse = (a: number, b: number) => compare(retained, a, b) > 0; // a sorts after b
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && worse(heap[l], heap[m])) m = l;
      if (r < size && worse(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (let i = 0; i < items.length; i++) {
    const x = items[i];
    if (size < n) {
      let j = size++;
      heap[j] = x;
      while (j > 0) {
        const p = (j - 1) >> 1;
        if (!worse(heap[j], heap[p])) break;
        [heap[j], heap[p]] = [heap[p], heap[j]];
        j = p;
      }
    } else if (n > 0 && worse(heap[0], x)) {
      heap[0] = x;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => compare(retained, a, b));
}
