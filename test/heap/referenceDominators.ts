// The dominator code as it was before the Semi-NCA rewrite, kept as the tests' reference: DevTools' own steps
// (markPageOwnedNodes, isEssentialEdge over every edge, retainer arrays, Lengauer–Tarjan with buckets) and the
// dominator-tree walk for per-class retained sizes. Slow and simple on purpose.
import type { EssentialEdgeGraph } from '../../src/core/heap/analyze/essentialEdges';

export function referenceDominators(graph: EssentialEdgeGraph, tableIdOfName: Float64Array): Uint32Array {
  const {
    nodeCount,
    rootOrdinal,
    firstEdge,
    edgeTo,
    edgeType,
    edgeName,
    nodeId,
    internalType,
    weakType,
    shortcutType,
    elementType,
    domTreeRoots,
  } = graph;
  // markPageOwnedNodes
  const pageOwned = new Uint8Array(nodeCount);
  const work: number[] = [];
  for (let e = firstEdge[rootOrdinal]!; e < firstEdge[rootOrdinal + 1]!; e++) {
    const t = edgeType[e];
    if (t === elementType ? domTreeRoots.indexOf(edgeTo[e]!) < 0 : t !== shortcutType) continue;
    work.push(edgeTo[e]!);
    pageOwned[edgeTo[e]!] = 1;
  }
  while (work.length) {
    const n = work.pop()!;
    for (let e = firstEdge[n]!; e < firstEdge[n + 1]!; e++) {
      const to = edgeTo[e]!;
      if (pageOwned[to] || edgeType[e] === weakType) continue;
      pageOwned[to] = 1;
      work.push(to);
    }
  }
  // isEssentialEdge
  const essential = new Uint8Array(edgeTo.length);
  for (let n = 0; n < nodeCount; n++) {
    for (let e = firstEdge[n]!; e < firstEdge[n + 1]!; e++) {
      const t = edgeType[e];
      const to = edgeTo[e]!;
      if (t === weakType || to === n) continue;
      if (t === internalType && tableIdOfName[edgeName[e]!] === nodeId[n]) continue;
      if (n !== rootOrdinal) {
        if (t === shortcutType) continue;
        if (!pageOwned[n] && pageOwned[to]) continue;
      }
      essential[e] = 1;
    }
  }
  // Retainers, in source order.
  const firstRetainer = new Uint32Array(nodeCount + 1);
  const retainerNode: number[][] = Array.from({ length: nodeCount }, () => []);
  const retainerEdge: number[][] = Array.from({ length: nodeCount }, () => []);
  for (let n = 0; n < nodeCount; n++) {
    for (let e = firstEdge[n]!; e < firstEdge[n + 1]!; e++) {
      retainerNode[edgeTo[e]!]!.push(n);
      retainerEdge[edgeTo[e]!]!.push(e);
    }
  }
  void firstRetainer;
  // Lengauer–Tarjan on 1-based vertices, exactly as DevTools runs it.
  const size = nodeCount + 1;
  const parent = new Uint32Array(size);
  const ancestor = new Uint32Array(size);
  const vertex = new Uint32Array(size);
  const label = new Uint32Array(size);
  const semi = new Uint32Array(size);
  const nextEdge = new Uint32Array(size);
  let count = 0;
  const dfs = (root: number): void => {
    nextEdge[root - 1] = firstEdge[root - 1]!;
    let v = root;
    while (v !== 0) {
      if (semi[v] === 0) {
        semi[v] = ++count;
        vertex[count] = label[v] = v;
      }
      let vNext = parent[v]!;
      const vo = v - 1;
      let e = nextEdge[vo]!;
      for (; e < firstEdge[vo + 1]!; e++) {
        if (!essential[e]) continue;
        const w = edgeTo[e]! + 1;
        if (semi[w] === 0) {
          parent[w] = v;
          nextEdge[w - 1] = firstEdge[w - 1]!;
          vNext = w;
          e++;
          break;
        }
      }
      nextEdge[vo] = e;
      v = vNext;
    }
  };
  const onlyWeakRetainers = (node: number) => retainerEdge[node]!.every((e) => !essential[e]);
  const r = rootOrdinal + 1;
  dfs(r);
  for (let v = 1; v <= nodeCount; v++) {
    if (semi[v] === 0 && onlyWeakRetainers(v - 1)) {
      parent[v] = r;
      dfs(v);
    }
  }
  for (let v = 1; v <= nodeCount; v++) {
    if (semi[v] === 0) {
      parent[v] = r;
      semi[v] = ++count;
      vertex[count] = label[v] = v;
    }
  }
  const evaluate = (v: number): number => {
    if (ancestor[v] === 0) return v;
    const path: number[] = [];
    let x = v;
    while (ancestor[ancestor[x]!] !== 0) {
      path.push(x);
      x = ancestor[x]!;
    }
    while (path.length) {
      const w = path.pop()!;
      const aw = ancestor[w]!;
      if (semi[label[aw]!]! < semi[label[w]!]!) label[w] = label[aw]!;
      ancestor[w] = ancestor[aw]!;
    }
    return label[v]!;
  };
  const bucket: number[][] = Array.from({ length: size }, () => []);
  const dom = new Uint32Array(size);
  for (let i = count; i >= 2; i--) {
    const w = vertex[i]!;
    let orphan = true;
    let sw = semi[w]!;
    const sources = retainerNode[w - 1]!;
    const edges = retainerEdge[w - 1]!;
    for (let k = 0; k < sources.length; k++) {
      if (!essential[edges[k]!]) continue;
      orphan = false;
      const su = semi[evaluate(sources[k]! + 1)]!;
      if (su < sw) sw = su;
    }
    if (orphan) sw = semi[r]!;
    semi[w] = sw;
    bucket[vertex[sw]!]!.push(w);
    const p = parent[w]!;
    ancestor[w] = p;
    for (const v of bucket[p]!) {
      const u = evaluate(v);
      dom[v] = semi[u]! < semi[v]! ? u : p;
    }
    bucket[p] = [];
  }
  dom[0] = dom[r] = r;
  for (let i = 2; i <= count; i++) {
    const w = vertex[i]!;
    if (dom[w] !== vertex[semi[w]!]) dom[w] = dom[dom[w]!]!;
  }
  const result = new Uint32Array(nodeCount);
  for (let o = 0; o < nodeCount; o++) result[o] = dom[o + 1]! - 1;
  return result;
}

/** Retained sizes: self sizes summed over dominator-tree subtrees. */
export function referenceRetainedSizes(
  dominator: Uint32Array,
  rootOrdinal: number,
  selfSize: Float64Array,
): Float64Array {
  const n = dominator.length;
  const children: number[][] = Array.from({ length: n }, () => []);
  for (let o = 0; o < n; o++) if (o !== rootOrdinal) children[dominator[o]!]!.push(o);
  const retained = Float64Array.from(selfSize);
  const post: number[] = [];
  const stack = [rootOrdinal];
  while (stack.length) {
    const o = stack.pop()!;
    post.push(o);
    stack.push(...children[o]!);
  }
  for (let i = post.length - 1; i > 0; i--) retained[dominator[post[i]!]!] += retained[post[i]!]!;
  return retained;
}

/** DevTools' maxRet: per class, retained sizes of instances (self size > 0) with no same-class dominator ancestor. */
export function referenceClassRetained(
  dominator: Uint32Array,
  rootOrdinal: number,
  selfSize: Float64Array,
  retained: Float64Array,
  classOf: Uint32Array,
  classCount: number,
): Float64Array {
  const sums = new Float64Array(classCount);
  for (let o = 0; o < dominator.length; o++) {
    if (o === rootOrdinal || !selfSize[o]) continue;
    let nested = false;
    for (let a = dominator[o]!; a !== rootOrdinal; a = dominator[a]!) {
      if (classOf[a] === classOf[o] && selfSize[a]) nested = true;
    }
    if (!nested) sums[classOf[o]!] += retained[o]!;
  }
  return sums;
}
