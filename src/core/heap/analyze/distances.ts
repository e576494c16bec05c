import type { RawHeapSnapshot } from '../rawSnapshot';
import type { WeakMapEdgeNames } from './weakMapEdges';
import { isDocumentDomTreesRoot } from './ownership';
import { nameMemo } from './nameMemo';

/** DevTools' distance for nodes no BFS reaches. */
const NO_DISTANCE = -5;
/** DevTools' base distance for nodes reached only from system roots (when user roots exist). */
export const BASE_SYSTEM_DISTANCE = 100000000;

/**
 * DevTools' calculateDistances: BFS from the user roots (root edges to non-synthetic nodes) at distance 1, then from
 * the root for everything else, never through weak edges, skipping NativeContext's sloppy_function_map, descriptor
 * array links, and the first of the two edges to each WeakMap value. Also records each node's BFS parent edge, which
 * gives shortest retainer paths for free. Returns distances and parentEdge (0xffffffff = none).
 * `ignored` (DevTools' ignoreNodeInRetainersView): a flag per node ordinal; edges into flagged nodes are not followed,
 * though the root's own edges still seed the BFS as in DevTools. `reuse`: arrays to fill instead of allocating.
 */
export function computeDistances(
  raw: RawHeapSnapshot,
  weakMapNames: WeakMapEdgeNames,
  queue: Uint32Array = new Uint32Array(raw.nodeCount),
  ignored?: Uint8Array,
  reuse?: { distance: Int32Array; parentEdge: Uint32Array },
): { distance: Int32Array; parentEdge: Uint32Array } {
  const { nodeCount, firstEdge, edgeTo, edgeType, edgeName, nodeType, rootOrdinal } = raw;
  const { weak, internal } = raw.layout.edgeType;
  const { synthetic } = raw.layout.nodeType;
  const distance = (reuse?.distance ?? new Int32Array(nodeCount)).fill(NO_DISTANCE);
  const parentEdge = (reuse?.parentEdge ?? new Uint32Array(nodeCount)).fill(0xffffffff);
  const pendingEphemerons = new Set<string>();
  const rules = distanceEdgeRules(raw);
  const passes = (node: number, e: number): boolean => {
    if (!rules.passesStatic(node, e)) return false;
    if (edgeType[e] === internal) {
      const match = weakMapNames.parse(edgeName[e]);
      if (match && !pendingEphemerons.delete(match.duplicatedPart)) {
        pendingEphemerons.add(match.duplicatedPart);
        return false;
      }
    }
    return true;
  };

  const { special, flagged } = distanceInputs(raw, weakMapNames, rules);
  // A bit per reached node: the per-edge test hits a core's cache instead of the 4-byte distance array.
  const reached = new Int32Array((nodeCount >>> 5) + 1);
  // An ignored node is never entered: marked reached up front, so the BFS tests one bit per edge, not two arrays (the
  // root's own edges still seed it below, as in DevTools).
  if (ignored !== undefined)
    for (let n = 0; n < nodeCount; n++) if (ignored[n] !== 0) reached[n >>> 5] |= 1 << (n & 31);
  const reach = (child: number, d: number, e: number): void => {
    reached[child >>> 5] |= 1 << (child & 31);
    distance[child] = d;
    parentEdge[child] = e;
  };
  /** BFS from queue[0, length), all at distance `d0`; the distance of each level follows from its place in the queue. */
  const bfs = (length: number, d0: number): void => {
    let head = 0;
    let levelEnd = length;
    let d = d0 + 1;
    while (head < length) {
      if (head === levelEnd) {
        levelEnd = length;
        d++;
      }
      const node = queue[head++];
      const isSpecial = (special[node >>> 5] & (1 << (node & 31))) !== 0;
      for (let e = firstEdge[node], end = firstEdge[node + 1]; e < end; e++) {
        const child = edgeTo[e];
        if ((reached[child >>> 5] & (1 << (child & 31))) !== 0) continue;
        if (isSpecial) {
          if (edgeType[e] === weak || !passes(node, e)) continue;
        } else if ((flagged[e >>> 5] & (1 << (e & 31))) !== 0 && (edgeType[e] === weak || !passes(node, e))) continue;
        reach(child, d, e);
        queue[length++] = child;
      }
    }
  };

  let length = 0;
  for (let e = firstEdge[rootOrdinal], end = firstEdge[rootOrdinal + 1]; e < end; e++) {
    const child = edgeTo[e];
    if (nodeType[child] !== synthetic || isDocumentDomTreesRoot(raw, child)) {
      reach(child, 1, e);
      queue[length++] = child;
    }
  }
  bfs(length, 1);
  const rootDistance = length > 0 ? BASE_SYSTEM_DISTANCE : 0;
  reach(rootOrdinal, rootDistance, parentEdge[rootOrdinal]);
  queue[0] = rootOrdinal;
  bfs(1, rootDistance);
  return { distance, parentEdge };
}

/**
 * Per snapshot, what the distance BFS tests, found once in sequential passes (every later BFS — an ignored retainer
 * recomputes them all — reuses them): `special`, a bit per node that is a NativeContext or a descriptor array (only
 * their edges can fail passesStatic); `flagged`, a bit per edge that is weak or internal and named like a WeakMap's
 * (only those, of the others' edges, can be skipped), so the BFS reads one bit per edge instead of its type and name.
 */
const inputsCache = new WeakMap<RawHeapSnapshot, { special: Int32Array; flagged: Int32Array }>();

function distanceInputs(
  raw: RawHeapSnapshot,
  weakMapNames: WeakMapEdgeNames,
  rules: ReturnType<typeof distanceEdgeRules>,
): { special: Int32Array; flagged: Int32Array } {
  let inputs = inputsCache.get(raw);
  if (inputs) return inputs;
  const { nodeCount, edgeCount, nodeType, edgeType, edgeName } = raw;
  const { hidden, array } = raw.layout.nodeType;
  const { weak, internal } = raw.layout.edgeType;
  const special = new Int32Array((nodeCount >>> 5) + 1);
  for (let n = 0; n < nodeCount; n++) {
    const nt = nodeType[n];
    if ((nt === hidden || nt === array) && rules.isSpecial(n)) special[n >>> 5] |= 1 << (n & 31);
  }
  // Half of a snapshot's edges are internal ones: only those named like a WeakMap's need `passes`.
  const ephemeron = weakMapNames.ephemeronFlags();
  const flagged = new Int32Array((edgeCount >>> 5) + 1);
  for (let e = 0; e < edgeCount; e++) {
    const et = edgeType[e];
    if (et === weak || (et === internal && ephemeron[edgeName[e]] === 2)) flagged[e >>> 5] |= 1 << (e & 31);
  }
  inputs = { special, flagged };
  inputsCache.set(raw, inputs);
  return inputs;
}

/**
 * The order-independent part of DevTools' distance rules: NativeContext's sloppy_function_map and every third
 * descriptor-array link are never followed. `isSpecial`: whether a node is one of those two (only their edges can
 * fail `passesStatic`). The WeakMap rule (the first of a value's two edges is skipped) depends on the BFS order and
 * stays in computeDistances.
 */
export function distanceEdgeRules(raw: RawHeapSnapshot): {
  isSpecial(node: number): boolean;
  passesStatic(node: number, e: number): boolean;
} {
  const { edgeType, edgeName, nodeType, nodeName, strings } = raw;
  const { element, hidden: hiddenEdge } = raw.layout.edgeType;
  const { hidden, array } = raw.layout.nodeType;
  const memo = (text: string) => nameMemo(strings, (s) => s === text);
  const isSloppyFunctionMap = memo('sloppy_function_map');
  const isNativeContext = memo('system / NativeContext');
  const isMapDescriptors = memo('(map descriptors)');
  return {
    isSpecial: (node) => {
      const nt = nodeType[node];
      return (nt === hidden && isNativeContext(nodeName[node])) || (nt === array && isMapDescriptors(nodeName[node]));
    },
    passesStatic: (node, e) => {
      const nt = nodeType[node];
      const et = edgeType[e];
      if (
        nt === hidden &&
        et !== element &&
        et !== hiddenEdge &&
        isSloppyFunctionMap(edgeName[e]) &&
        isNativeContext(nodeName[node])
      )
        return false;
      if (nt === array && isMapDescriptors(nodeName[node])) {
        const index = et === element || et === hiddenEdge ? edgeName[e] : parseInt(strings.get(edgeName[e]), 10);
        return index < 2 || index % 3 !== 1;
      }
      return true;
    },
  };
}
