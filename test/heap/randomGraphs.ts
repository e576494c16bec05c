// Random heap-like graphs for the dominator tests.
import type { EssentialEdgeGraph } from '../../src/core/heap/analyze/essentialEdges';

/** Edge type numbers as in V8's snapshots. */
export const EDGE = { context: 0, element: 1, property: 2, internal: 3, hidden: 4, shortcut: 5, weak: 6 };

/** Deterministic PRNG (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomGraph {
  graph: EssentialEdgeGraph;
  tableIdOfName: Float64Array;
  selfSize: Float64Array;
  classOf: Uint32Array;
  classCount: number;
}

/** A random heap-like graph; `shared` puts the arrays in SharedArrayBuffers (the helper thread needs that). */
export function randomGraph(seed: number, shared = false): RandomGraph {
  const rnd = random(seed);
  const pick = (n: number) => Math.floor(rnd() * n);
  const nodeCount = 2 + pick(seed % 5 === 0 ? 3000 : 120);
  const rootOrdinal = seed % 3 === 0 ? 0 : pick(nodeCount);
  const out: [number, number, number][][] = Array.from({ length: nodeCount }, () => []);
  const others = () => {
    let o = pick(nodeCount);
    if (o === rootOrdinal) o = (o + 1) % nodeCount;
    return o;
  };
  // Root: shortcut edges to a few globals, element edges to "GC roots"-like synthetic nodes and a DOM tree root.
  const globals = Array.from({ length: 1 + pick(3) }, others);
  const gcRoots = Array.from({ length: 1 + pick(3) }, others);
  const domTreeRoot = rnd() < 0.3 ? others() : -1;
  for (const g of globals) out[rootOrdinal]!.push([EDGE.shortcut, 0, g]);
  for (const g of gcRoots) out[rootOrdinal]!.push([EDGE.element, 1, g]);
  if (domTreeRoot >= 0) out[rootOrdinal]!.push([EDGE.element, 2, domTreeRoot]);
  if (rnd() < 0.1) out[rootOrdinal]!.push([EDGE.shortcut, 0, rootOrdinal]);
  if (rnd() < 0.1) out[rootOrdinal]!.push([EDGE.weak, 0, others()]);
  // Names 0…9 are plain; names 10… are WeakMap ephemeron names, each naming some node's id as its table.
  const nodeId = new Uint32Array(nodeCount);
  const ids = Array.from({ length: nodeCount }, (_, i) => 2 * i + 1).sort(() => rnd() - 0.5);
  ids.forEach((id, i) => (nodeId[i] = id));
  const ephemeronNames = 1 + pick(4);
  const tableIdOfName = new Float64Array(10 + ephemeronNames).fill(-1);
  const tables = Array.from({ length: ephemeronNames }, others);
  tables.forEach((t, i) => (tableIdOfName[10 + i] = nodeId[t]!));
  const typeOf = () => {
    const x = rnd();
    return x < 0.35
      ? EDGE.property
      : x < 0.5
        ? EDGE.element
        : x < 0.7
          ? EDGE.internal
          : x < 0.8
            ? EDGE.hidden
            : x < 0.85
              ? EDGE.context
              : x < 0.95
                ? EDGE.weak
                : EDGE.shortcut;
  };
  for (let o = 0; o < nodeCount; o++) {
    if (o === rootOrdinal) continue;
    const degree = pick(seed % 2 ? 6 : 3);
    for (let k = 0; k < degree; k++) {
      const t = typeOf();
      // Targets mostly nearby (locality like real heaps), sometimes anywhere, sometimes the node itself.
      const x = rnd();
      const to = x < 0.05 ? o : x < 0.6 ? Math.min(nodeCount - 1, o + 1 + pick(5)) : others();
      out[o]!.push([t, pick(10), to]);
      if (rnd() < 0.05) out[o]!.push([t, pick(10), to]); // duplicate edge
    }
  }
  // WeakMap pairs: table → value and key → value, both internal, both named with the table's id.
  tables.forEach((table, i) => {
    const value = others();
    out[table]!.push([EDGE.internal, 10 + i, value]);
    out[others()]!.push([EDGE.internal, 10 + i, value]);
  });
  // A few unreachable cycles.
  for (let c = 0; c < 3; c++) {
    const a = others();
    const b = others();
    out[a]!.push([EDGE.property, 0, b]);
    out[b]!.push([EDGE.property, 0, a]);
  }
  const edgeCount = out.reduce((s, l) => s + l.length, 0);
  const u32 = (n: number) => (shared ? new Uint32Array(new SharedArrayBuffer(4 * n)) : new Uint32Array(n));
  const firstEdge = u32(nodeCount + 1);
  const edgeTo = u32(edgeCount);
  const edgeName = u32(edgeCount);
  const edgeType = shared ? new Uint8Array(new SharedArrayBuffer(edgeCount)) : new Uint8Array(edgeCount);
  const sharedNodeId = u32(nodeCount);
  sharedNodeId.set(nodeId);
  let e = 0;
  for (let o = 0; o < nodeCount; o++) {
    firstEdge[o] = e;
    for (const [t, name, to] of out[o]!) {
      edgeType[e] = t;
      edgeName[e] = name;
      edgeTo[e++] = to;
    }
  }
  firstEdge[nodeCount] = e;
  const selfSize = shared ? new Float64Array(new SharedArrayBuffer(8 * nodeCount)) : new Float64Array(nodeCount);
  const classCount = 1 + pick(6);
  const classOf = u32(nodeCount);
  for (let o = 0; o < nodeCount; o++) {
    selfSize[o] = rnd() < 0.2 ? 0 : 1 + pick(1000);
    classOf[o] = pick(classCount);
  }
  const graph: EssentialEdgeGraph = {
    nodeCount,
    rootOrdinal,
    firstEdge,
    edgeTo,
    edgeType,
    edgeName,
    nodeId: sharedNodeId,
    internalType: EDGE.internal,
    weakType: EDGE.weak,
    shortcutType: EDGE.shortcut,
    elementType: EDGE.element,
    domTreeRoots: Uint32Array.from(domTreeRoot >= 0 ? [domTreeRoot] : []),
  };
  return { graph, tableIdOfName, selfSize, classOf, classCount };
}
