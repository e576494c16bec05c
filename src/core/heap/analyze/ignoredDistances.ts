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
 * DevTools' ignoreNodeInRetainersView recomputes every distance (a BFS over the whole graph: about a second on a 1 GB
 * snapshot). Ignoring one more node `x` only lengthens the paths that went through it, and with the BFS order of
 * every other node unchanged only the nodes under `x` in the BFS tree (those whose parent-edge chain passes through
 * it) can change: they are reached again from their other retainers, nearest first (a BFS seeded at several
 * distances). Returns those nodes' new distances and parent edges, or null when only the full BFS gives DevTools'
 * result: a WeakMap edge from or into one of them (DevTools skips the first of a value's two edges it meets, so the
 * order matters there), or more than `maxNodes` of them.
 * `view`: the distances with the other ignored nodes; `ignored`: a flag per node, `x` included.
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
  const { firstEdge, edgeTo, edgeType, edgeName, rootOrdinal } = raw;
  const { weak, internal } = raw.layout.edgeType;
  const changes: DistanceChanges = new Map();
  if (view.distance(x) < 0) return changes;
  // The root's own edges seed the BFS whatever is ignored (as in DevTools): a node they reach stays where it is.
  const xParent = view.parentEdge(x);
  if (view.distance(x) === 1 && xParent >= firstEdge[rootOrdinal] && xParent < firstEdge[rootOrdinal + 1])
    return changes;
  const ephemeron = weakMapNames.ephemeronFlags();
  const isEphemeron = (e: number) => edgeType[e] === internal && ephemeron[edgeName[e]] === 2;

  // The BFS subtree under x: children are the targets whose parent edge is the edge to them.
  const under = new Map<number, number>();
  const subtree: number[] = [x];
  under.set(x, 0);
  for (let i = 0; i < subtree.length; i++) {
    const node = subtree[i];
    for (let e = firstEdge[node], end = firstEdge[node + 1]; e < end; e++) {
      if (isEphemeron(e)) return null;
      const child = edgeTo[e];
      if (view.parentEdge(child) !== e || under.has(child)) continue;
      if (subtree.length >= maxNodes) return null;
      under.set(child, subtree.length);
      subtree.push(child);
    }
  }

  // Seeds: each node's nearest retainer outside the subtree (not through weak or skipped edges).
  const rules = distanceEdgeRules(raw);
  const { firstRetainer, retainerNode, retainerEdge } = retainers;
  const seedDistance = new Float64Array(subtree.length).fill(Infinity);
  const seedEdge = new Uint32Array(subtree.length).fill(NO_EDGE);
  for (let i = 0; i < subtree.length; i++) {
    const node = subtree[i];
    for (let k = firstRetainer[node], end = firstRetainer[node + 1]; k < end; k++) {
      const e = retainerEdge[k];
      if (isEphemeron(e)) return null;
      if (ignored[node]) continue;
      const source = retainerNode[k];
      if (under.has(source) || edgeType[e] === weak) continue;
      const d = view.distance(source);
      if (d < 0 || !rules.passesStatic(source, e)) continue;
      if (d + 1 < seedDistance[i] || (d + 1 === seedDistance[i] && e < seedEdge[i])) {
        seedDistance[i] = d + 1;
        seedEdge[i] = e;
      }
    }
  }
  const seeds = [...subtree.keys()].filter((i) => seedDistance[i] !== Infinity);
  seeds.sort((a, b) => seedDistance[a] - seedDistance[b] || seedEdge[a] - seedEdge[b]);

  // BFS inside the subtree, level by level; a seed joins the level of its distance (levels may jump: the system
  // roots' distances start at BASE_SYSTEM_DISTANCE).
  const distance = new Float64Array(subtree.length).fill(NO_DISTANCE);
  const parentEdge = new Uint32Array(subtree.length).fill(NO_EDGE);
  let frontier: number[] = [];
  let level = Infinity;
  let next = 0;
  for (;;) {
    const seedLevel = next < seeds.length ? seedDistance[seeds[next]] : Infinity;
    const current = Math.min(seedLevel, frontier.length ? level : Infinity);
    if (current === Infinity) break;
    const nodes = frontier.length && level === current ? frontier : [];
    for (; next < seeds.length && seedDistance[seeds[next]] === current; next++) {
      const i = seeds[next];
      if (distance[i] !== NO_DISTANCE) continue;
      distance[i] = current;
      parentEdge[i] = seedEdge[i];
      nodes.push(i);
    }
    frontier = [];
    level = current + 1;
    for (const i of nodes) {
      const node = subtree[i];
      for (let e = firstEdge[node], end = firstEdge[node + 1]; e < end; e++) {
        const child = edgeTo[e];
        const j = under.get(child);
        if (j === undefined || distance[j] !== NO_DISTANCE || ignored[child]) continue;
        if (edgeType[e] === weak || !rules.passesStatic(node, e)) continue;
        distance[j] = level;
        parentEdge[j] = e;
        frontier.push(j);
      }
    }
  }
  for (let i = 0; i < subtree.length; i++)
    changes.set(subtree[i], { distance: distance[i], parentEdge: parentEdge[i] });
  return changes;
}

/**
 * Putting back one ignored node `y` while others stay ignored (DevTools recomputes every distance) only shortens
 * paths: `y` is entered again from its nearest retainer, and from there the nodes whose distance drops are found by a
 * BFS that enters a node only when it comes nearer than before. Distances are shortest paths from the user roots
 * (and from the root for the rest), so that gives the full BFS's distances; parent edges are one shortest path's.
 * Returns the changed nodes, or null when only the full BFS gives DevTools' result: a WeakMap edge on the way (see
 * distancesAfterIgnoring), or more than `maxNodes` changed nodes.
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
  const { firstEdge, edgeTo, edgeType, edgeName } = raw;
  const { weak, internal } = raw.layout.edgeType;
  const ephemeron = weakMapNames.ephemeronFlags();
  const isEphemeron = (e: number) => edgeType[e] === internal && ephemeron[edgeName[e]] === 2;
  const rules = distanceEdgeRules(raw);
  const changes: DistanceChanges = new Map();
  const distanceNow = (n: number) => changes.get(n)?.distance ?? view.distance(n);
  const { firstRetainer, retainerNode, retainerEdge } = retainers;
  let best = Infinity;
  let bestEdge = NO_EDGE;
  for (let k = firstRetainer[y], end = firstRetainer[y + 1]; k < end; k++) {
    const e = retainerEdge[k];
    if (isEphemeron(e)) return null;
    const source = retainerNode[k];
    const d = view.distance(source);
    if (d < 0 || edgeType[e] === weak || !rules.passesStatic(source, e)) continue;
    if (d + 1 < best || (d + 1 === best && e < bestEdge)) {
      best = d + 1;
      bestEdge = e;
    }
  }
  const before = view.distance(y);
  if (best === Infinity || (before >= 0 && before <= best)) return changes;
  changes.set(y, { distance: best, parentEdge: bestEdge });
  const queue = [y];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    const d = distanceNow(node) + 1;
    for (let e = firstEdge[node], end = firstEdge[node + 1]; e < end; e++) {
      if (isEphemeron(e)) return null;
      const child = edgeTo[e];
      if (ignored[child] || edgeType[e] === weak || !rules.passesStatic(node, e)) continue;
      const now = distanceNow(child);
      if (now >= 0 && now <= d) continue;
      if (changes.size >= maxNodes) return null;
      changes.set(child, { distance: d, parentEdge: e });
      queue.push(child);
    }
  }
  return changes;
}
