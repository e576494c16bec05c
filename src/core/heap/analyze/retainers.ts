/** Reverse edges: for node n, retainer slots firstRetainer[n]…firstRetainer[n+1]-1 hold the source node and edge. */
export interface Retainers {
  firstRetainer: Uint32Array;
  retainerNode: Uint32Array;
  retainerEdge: Uint32Array;
}

/**
 * Builds the flat retainer arrays, retainers of each node in source order; `nodeSpace`: an edge-sized array to reuse
 * for retainerNode. Self-contained (no outer references): its source also runs in the analysis helper thread.
 */
export function buildRetainers(
  nodeCount: number,
  firstEdge: Uint32Array,
  edgeTo: Uint32Array,
  nodeSpace?: Uint32Array,
): Retainers {
  const edgeCount = edgeTo.length;
  const firstRetainer = new Uint32Array(nodeCount + 1);
  const retainerNode = nodeSpace && nodeSpace.length === edgeCount ? nodeSpace : new Uint32Array(edgeCount);
  const retainerEdge = new Uint32Array(edgeCount);
  for (let e = 0; e < edgeCount; e++) firstRetainer[edgeTo[e]]++;
  // Prefix sums give each node's end slot; filling backwards leaves them at the start slots.
  let sum = 0;
  for (let n = 0; n < nodeCount; n++) {
    sum += firstRetainer[n];
    firstRetainer[n] = sum;
  }
  firstRetainer[nodeCount] = edgeCount;
  for (let src = nodeCount - 1; src >= 0; src--) {
    const begin = firstEdge[src];
    for (let e = firstEdge[src + 1] - 1; e >= begin; e--) {
      const slot = --firstRetainer[edgeTo[e]];
      retainerNode[slot] = src;
      retainerEdge[slot] = e;
    }
  }
  return { firstRetainer, retainerNode, retainerEdge };
}
