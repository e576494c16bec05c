import type { RawHeapSnapshot } from './rawSnapshot';
import type { Retainers } from './retainers';
import { WeakMapEdgeNames } from './weakMapEdges';

/** Immediate dominators, retained sizes and the dominator tree's child lists, all indexed by node ordinal. */
export interface DominatorTree {
  dominator: Uint32Array;
  retainedSize: Float64Array;
  /** Children of n in the dominator tree: dominated[firstDominated[n]…firstDominated[n+1]-1]. */
  firstDominated: Uint32Array;
  dominated: Uint32Array;
}

/**
 * DevTools' isEssentialEdge, one byte per edge: weak edges never retain; self edges are ignored; shortcut edges count
 * only from the root; a WeakMap's table→value edge is dropped (the key→value edge retains); and edges from
 * non-page-owned to page-owned nodes are ignored so debugger-held references do not distort dominators.
 */
export function essentialEdges(raw: RawHeapSnapshot, pageOwned: Uint8Array, weakMapNames: WeakMapEdgeNames): Uint8Array {
  const { nodeCount, edgeCount, firstEdge, edgeTo, edgeType, edgeName, nodeId, rootOrdinal } = raw;
  const { internal, weak, shortcut } = raw.layout.edgeType;
  const essential = new Uint8Array(edgeCount);
  for (let n = 0; n < nodeCount; n++) {
    const isRoot = n === rootOrdinal;
    const ownedSource = pageOwned[n];
    for (let e = firstEdge[n]!, end = firstEdge[n + 1]!; e < end; e++) {
      const t = edgeType[e];
      if (t === weak) continue;
      if (t === internal) {
        const match = weakMapNames.parse(edgeName[e]!);
        if (match && match.tableId === nodeId[n]) continue;
      }
      const to = edgeTo[e]!;
      if (to === n) continue;
      if (!isRoot) {
        if (t === shortcut) continue;
        if (pageOwned[to] && !ownedSource) continue;
      }
      essential[e] = 1;
    }
  }
  return essential;
}

/**
 * Lengauer–Tarjan over the essential edges, exactly as DevTools runs it (iterative DFS, path compression without
 * balancing, so no recursion and no fixpoint iteration that could spin). Nodes reachable only through weak edges are
 * DFS-ed from the root afterwards; nodes still unreached (retain cycles) are attached to the root one by one.
 */
export function buildDominatorTree(raw: RawHeapSnapshot, retainers: Retainers, essential: Uint8Array): DominatorTree {
  const { nodeCount, firstEdge, edgeTo, nodeSelfSize, rootOrdinal } = raw;
  const { firstRetainer, retainerNode, retainerEdge } = retainers;
  const size = nodeCount + 1; // vertices are numbered 1…n; 0 means "none"
  const parent = new Uint32Array(size);
  const ancestor = new Uint32Array(size);
  const vertex = new Uint32Array(size);
  const label = new Uint32Array(size);
  const semi = new Uint32Array(size);
  const nextEdge = new Uint32Array(size);
  let n = 0;

  const dfs = (root: number): void => {
    nextEdge[root - 1] = firstEdge[root - 1]!;
    let v = root;
    while (v !== 0) {
      if (semi[v] === 0) {
        semi[v] = ++n;
        vertex[n] = label[v] = v;
      }
      let vNext = parent[v]!;
      const vo = v - 1;
      const end = firstEdge[vo + 1]!;
      for (let e = nextEdge[vo]!; e < end; e++) {
        if (!essential[e]) continue;
        const wo = edgeTo[e]!;
        const w = wo + 1;
        if (semi[w] === 0) {
          parent[w] = v;
          nextEdge[wo] = firstEdge[wo]!;
          nextEdge[vo] = e + 1;
          vNext = w;
          break;
        }
      }
      if (vNext === parent[v]) nextEdge[vo] = end;
      v = vNext;
    }
  };

  const r = rootOrdinal + 1;
  dfs(r);
  if (n < nodeCount) {
    for (let v = 1; v <= nodeCount; v++) {
      if (semi[v] === 0 && hasOnlyWeakRetainers(v - 1, retainers, essential)) {
        parent[v] = r;
        dfs(v);
      }
    }
  }
  if (n < nodeCount) {
    for (let v = 1; v <= nodeCount; v++) {
      if (semi[v] === 0) {
        parent[v] = r;
        semi[v] = ++n;
        vertex[n] = label[v] = v;
      }
    }
  }

  // nextEdge is free now: reuse it as the stack for path compression.
  const stack = nextEdge;
  const evaluate = (v: number): number => {
    if (ancestor[v] === 0) return v;
    let sp = 0;
    let x = v;
    while (ancestor[ancestor[x]!] !== 0) {
      stack[++sp] = x;
      x = ancestor[x]!;
    }
    while (sp > 0) {
      const w = stack[sp--]!;
      const aw = ancestor[w]!;
      if (semi[label[aw]!]! < semi[label[w]!]!) label[w] = label[aw]!;
      ancestor[w] = ancestor[aw]!;
    }
    return label[v]!;
  };

  // Buckets as linked lists (each vertex sits in at most one bucket at a time).
  const bucketHead = new Uint32Array(size);
  const bucketNext = new Uint32Array(size);
  const dom = new Uint32Array(size);
  for (let i = n; i >= 2; i--) {
    const w = vertex[i]!;
    const wo = w - 1;
    let orphan = true;
    for (let k = firstRetainer[wo]!, end = firstRetainer[wo + 1]!; k < end; k++) {
      if (!essential[retainerEdge[k]!]) continue;
      orphan = false;
      const u = evaluate(retainerNode[k]! + 1);
      if (semi[u]! < semi[w]!) semi[w] = semi[u]!;
    }
    if (orphan) semi[w] = semi[r]!;
    const b = vertex[semi[w]!]!;
    bucketNext[w] = bucketHead[b]!;
    bucketHead[b] = w;
    const p = parent[w]!;
    ancestor[w] = p;
    for (let v = bucketHead[p]!; v !== 0; v = bucketNext[v]!) {
      const u = evaluate(v);
      dom[v] = semi[u]! < semi[v]! ? u : p;
    }
    bucketHead[p] = 0;
  }
  dom[0] = dom[r] = r;
  for (let i = 2; i <= n; i++) {
    const w = vertex[i]!;
    if (dom[w] !== vertex[semi[w]!]) dom[w] = dom[dom[w]!]!;
  }

  const dominator = new Uint32Array(nodeCount);
  const retainedSize = new Float64Array(nodeCount);
  for (let o = 0; o < nodeCount; o++) {
    dominator[o] = dom[o + 1]! - 1;
    retainedSize[o] = nodeSelfSize[o]!;
  }
  for (let i = n; i > 1; i--) {
    const o = vertex[i]! - 1;
    retainedSize[dominator[o]!] += retainedSize[o]!;
  }
  const { firstDominated, dominated } = dominatedLists(dominator, rootOrdinal);
  return { dominator, retainedSize, firstDominated, dominated };
}

function hasOnlyWeakRetainers(node: number, retainers: Retainers, essential: Uint8Array): boolean {
  const { firstRetainer, retainerEdge } = retainers;
  for (let k = firstRetainer[node]!, end = firstRetainer[node + 1]!; k < end; k++) {
    if (essential[retainerEdge[k]!]) return false;
  }
  return true;
}

function dominatedLists(dominator: Uint32Array, rootOrdinal: number): { firstDominated: Uint32Array; dominated: Uint32Array } {
  const nodeCount = dominator.length;
  const firstDominated = new Uint32Array(nodeCount + 1);
  const dominated = new Uint32Array(Math.max(0, nodeCount - 1));
  for (let o = 0; o < nodeCount; o++) if (o !== rootOrdinal) firstDominated[dominator[o]!]!++;
  let sum = 0;
  for (let o = 0; o < nodeCount; o++) {
    sum += firstDominated[o]!;
    firstDominated[o] = sum;
  }
  firstDominated[nodeCount] = sum;
  for (let o = nodeCount - 1; o >= 0; o--) {
    if (o !== rootOrdinal) dominated[--firstDominated[dominator[o]!]!] = o;
  }
  return { firstDominated, dominated };
}
