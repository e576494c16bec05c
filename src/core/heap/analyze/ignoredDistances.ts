import type { RawHeapSnapshot } from '../rawSnapshot';
import { distanceEdgeRules } from './distances';
import type { Retainers } from './retainers';
import type { WeakMapEdgeNames } from './weakMapEdges';

const NO_DISTANCE = -5;
const NO_EDGE = 0xffffffff;

/** Distances and BFS parent edges as a retainers view currently has them. */
export interface DistanceLookup {
  distance(n: number): number;
  parentEdge(n: number): number;
}

/** A node's distance and BFS parent edge after a change (NO_DISTANCE / 0xffffffff: no longer reached). */
export type DistanceChanges = Map<number, { distance: number; parentEdge: number }>;

/**
 * The WeakMap rule of DevTools' BFS, which skips the first of the two edges to a WeakMap value it meets (the table's
 * and the key's, named alike), amounts to: through its pair, a value is at max(table, key) + 1 — the value needs
 * both. So distances stay shortest paths, with that one AND, and can be recomputed in part. `other(e, value)`: the
 * source of the pair's other edge (NO_PAIR when the name has no such twin; AMBIGUOUS when more than one: then only
 * the full BFS gives DevTools' pairing).
 */
const NO_PAIR = -1;
const AMBIGUOUS = -2;

interface EdgeRules {
  isEphemeron(e: number): boolean;
  other(e: number, value: number): number;
  passesStatic(node: number, e: number): boolean;
}

function edgeRules(raw: RawHeapSnapshot, weakMapNames: WeakMapEdgeNames, retainers: Retainers): EdgeRules {
  const { edgeType, edgeName } = raw;
  const { internal } = raw.layout.edgeType;
  const ephemeron = weakMapNames.ephemeronFlags();
  const { firstRetainer, retainerNode, retainerEdge } = retainers;
  const isEphemeron = (e: number) => edgeType[e] === internal && ephemeron[edgeName[e]] === 2;
  const staticRules = distanceEdgeRules(raw);
  return {
    isEphemeron,
    other: (e, value) => {
      const part = weakMapNames.parse(edgeName[e])?.duplicatedPart;
      let found = NO_PAIR;
      for (let k = firstRetainer[value], end = firstRetainer[value + 1]; k < end; k++) {
        const e2 = retainerEdge[k];
        if (e2 === e || !isEphemeron(e2) || weakMapNames.parse(edgeName[e2])?.duplicatedPart !== part) continue;
        if (found !== NO_PAIR) return AMBIGUOUS;
        found = retainerNode[k];
      }
      return found;
    },
    passesStatic: (node, e) => staticRules.passesStatic(node, e),
  };
}

/** A binary min-heap of (distance, index) pairs. */
class MinHeap {
  private readonly keys: number[] = [];
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(key: number, item: number): void {
    const { keys, items } = this;
    let i = items.length;
    keys.push(key);
    items.push(item);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p] <= key) break;
      keys[i] = keys[p];
      items[i] = items[p];
      i = p;
    }
    keys[i] = key;
    items[i] = item;
  }

  /** Removes the smallest; returns its item (its key is `lastKey`). */
  pop(): number {
    const { keys, items } = this;
    const top = items[0];
    this.lastKey = keys[0];
    const key = keys.pop()!;
    const item = items.pop()!;
    const n = items.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && keys[c + 1] < keys[c]) c++;
        if (keys[c] >= key) break;
        keys[i] = keys[c];
        items[i] = items[c];
        i = c;
      }
      keys[i] = key;
      items[i] = item;
    }
    return top;
  }

  lastKey = 0;
}

/**
 * DevTools' ignoreNodeInRetainersView recomputes every distance (a BFS over the whole graph: about a second on a 1 GB
 * snapshot). Ignoring one more node `x` only lengthens the paths that went through it: only the nodes under `x` in
 * the BFS tree (those whose parent-edge chain passes through it) can change — and a WeakMap value one of whose pair's
 * sources is among them, with the nodes under it. They are reached again from their other retainers, nearest first
 * (shortest paths from seeds at several distances). Returns those nodes' new distances and parent edges, or null when
 * only the full BFS gives DevTools' result (a WeakMap pair it cannot tell apart), or when more than `maxNodes` of
 * them. `view`: the distances with the other ignored nodes; `ignored`: a flag per node, `x` included.
 */
export function distancesAfterIgnoring(
  raw: RawHeapSnapshot,
  weakMapNames: WeakMapEdgeNames,
  retainers: Retainers,
  view: DistanceLookup,
  ignored: Uint8Array,
  x: number,
  maxNodes: number,
): DistanceChanges | null {
  const { firstEdge, edgeTo, edgeType, rootOrdinal } = raw;
  const { weak } = raw.layout.edgeType;
  const changes: DistanceChanges = new Map();
  if (view.distance(x) < 0) return changes;
  // The root's own edges seed the BFS whatever is ignored (as in DevTools): a node they reach stays where it is.
  const rootSeeded = (n: number) => {
    const pe = view.parentEdge(n);
    return view.distance(n) === 1 && pe >= firstEdge[rootOrdinal] && pe < firstEdge[rootOrdinal + 1];
  };
  if (rootSeeded(x)) return changes;
  const rules = edgeRules(raw, weakMapNames, retainers);

  // The nodes that can change: BFS-tree children, and WeakMap values of a pair with a source among them.
  const under = new Map<number, number>();
  const subtree: number[] = [x];
  under.set(x, 0);
  for (let i = 0; i < subtree.length; i++) {
    const node = subtree[i];
    for (let e = firstEdge[node], end = firstEdge[node + 1]; e < end; e++) {
      const child = edgeTo[e];
      if (under.has(child) || view.distance(child) < 0 || rootSeeded(child)) continue;
      if (view.parentEdge(child) !== e && !rules.isEphemeron(e)) continue;
      if (subtree.length >= maxNodes) return null;
      under.set(child, subtree.length);
      subtree.push(child);
    }
  }

  // Seeds: each node's nearest retainer outside them (not through weak or skipped edges; a WeakMap pair with both
  // sources outside counts at the farther one).
  const { firstRetainer, retainerNode, retainerEdge } = retainers;
  const distance = new Float64Array(subtree.length).fill(Infinity);
  const parentEdge = new Uint32Array(subtree.length).fill(NO_EDGE);
  const heap = new MinHeap();
  for (let i = 0; i < subtree.length; i++) {
    const node = subtree[i];
    if (ignored[node]) continue;
    for (let k = firstRetainer[node], end = firstRetainer[node + 1]; k < end; k++) {
      const e = retainerEdge[k];
      const source = retainerNode[k];
      if (under.has(source) || edgeType[e] === weak) continue;
      let d = view.distance(source);
      if (d < 0 || !rules.passesStatic(source, e)) continue;
      if (rules.isEphemeron(e)) {
        const other = rules.other(e, node);
        if (other === AMBIGUOUS) return null;
        // A twin among the changing nodes: the pair is taken up when that twin's distance is known.
        if (other === NO_PAIR || under.has(other) || view.distance(other) < 0) continue;
        d = Math.max(d, view.distance(other));
      }
      if (d + 1 < distance[i] || (d + 1 === distance[i] && e < parentEdge[i])) {
        distance[i] = d + 1;
        parentEdge[i] = e;
      }
    }
    if (distance[i] !== Infinity) heap.push(distance[i], i);
  }

  // Nearest first; a node's distance is final when it leaves the heap.
  const done = new Uint8Array(subtree.length);
  while (heap.size) {
    const i = heap.pop();
    if (done[i] || heap.lastKey !== distance[i]) continue;
    done[i] = 1;
    const node = subtree[i];
    const d = distance[i];
    for (let e = firstEdge[node], end = firstEdge[node + 1]; e < end; e++) {
      const child = edgeTo[e];
      const j = under.get(child);
      if (j === undefined || done[j] || ignored[child]) continue;
      if (edgeType[e] === weak || !rules.passesStatic(node, e)) continue;
      let through = d;
      if (rules.isEphemeron(e)) {
        const other = rules.other(e, child);
        if (other === AMBIGUOUS) return null;
        if (other === NO_PAIR) continue;
        const o = under.get(other);
        // The twin still to come takes the pair up itself (it will be at least as far as this node).
        if (o !== undefined && !done[o] && other !== node) continue;
        const otherDistance = o === undefined ? view.distance(other) : distance[o];
        if (otherDistance < 0 || otherDistance === Infinity) continue;
        through = Math.max(d, otherDistance);
      }
      if (through + 1 < distance[j]) {
        distance[j] = through + 1;
        parentEdge[j] = e;
        heap.push(distance[j], j);
      }
    }
  }
  for (let i = 0; i < subtree.length; i++)
    changes.set(subtree[i], {
      distance: distance[i] === Infinity ? NO_DISTANCE : distance[i],
      parentEdge: distance[i] === Infinity ? NO_EDGE : parentEdge[i],
    });
  return changes;
}

/**
 * Putting back one ignored node `y` while others stay ignored (DevTools recomputes every distance) only shortens
 * paths: `y` is entered again from its nearest retainer, and from there the nodes whose distance drops are found by
 * following edges, entering a node again whenever it comes nearer (through a WeakMap pair, at the farther of its two
 * sources). Returns the changed nodes, or null when only the full BFS gives DevTools' result (a WeakMap pair it
 * cannot tell apart), or when more than `maxNodes` change.
 * `view`: the distances with `y` still ignored; `ignored`: a flag per node, `y` no longer flagged.
 */
export function distancesAfterRestoring(
  raw: RawHeapSnapshot,
  weakMapNames: WeakMapEdgeNames,
  retainers: Retainers,
  view: DistanceLookup,
  ignored: Uint8Array,
  y: number,
  maxNodes: number,
): DistanceChanges | null {
  const { firstEdge, edgeTo, edgeType } = raw;
  const { weak } = raw.layout.edgeType;
  const rules = edgeRules(raw, weakMapNames, retainers);
  const changes: DistanceChanges = new Map();
  const distanceNow = (n: number) => changes.get(n)?.distance ?? view.distance(n);
  /** Through edge `e` from `source` (at `d`) into `target`: the distance it gives, Infinity for none, NaN: ambiguous. */
  const through = (source: number, d: number, e: number, target: number): number => {
    if (d < 0 || edgeType[e] === weak || !rules.passesStatic(source, e)) return Infinity;
    if (!rules.isEphemeron(e)) return d + 1;
    const other = rules.other(e, target);
    if (other === AMBIGUOUS) return NaN;
    const od = other === NO_PAIR ? -1 : distanceNow(other);
    return od < 0 ? Infinity : Math.max(d, od) + 1;
  };
  const { firstRetainer, retainerNode, retainerEdge } = retainers;
  let best = Infinity;
  let bestEdge = NO_EDGE;
  for (let k = firstRetainer[y], end = firstRetainer[y + 1]; k < end; k++) {
    const e = retainerEdge[k];
    const source = retainerNode[k];
    const d = through(source, view.distance(source), e, y);
    if (Number.isNaN(d)) return null;
    if (d < best || (d === best && e < bestEdge)) {
      best = d;
      bestEdge = e;
    }
  }
  const before = view.distance(y);
  if (best === Infinity || (before >= 0 && before <= best)) return changes;
  changes.set(y, { distance: best, parentEdge: bestEdge });
  const heap = new MinHeap();
  heap.push(best, y);
  while (heap.size) {
    const node = heap.pop();
    const d = distanceNow(node);
    if (heap.lastKey !== d) continue;
    for (let e = firstEdge[node], end = firstEdge[node + 1]; e < end; e++) {
      const child = edgeTo[e];
      if (ignored[child]) continue;
      const nd = through(node, d, e, child);
      if (Number.isNaN(nd)) return null;
      const now = distanceNow(child);
      if (nd === Infinity || (now >= 0 && now <= nd)) continue;
      if (changes.size >= maxNodes) return null;
      changes.set(child, { distance: nd, parentEdge: e });
      heap.push(nd, child);
    }
  }
  return changes;
}
