import type { RawHeapSnapshot } from './rawSnapshot';
import { isDocumentDomTreesRoot } from './ownership';
import type { WeakMapEdgeNames } from './weakMapEdges';

/** Immediate dominators, retained sizes and the dominator tree's child lists, all indexed by node ordinal. */
export interface DominatorTree {
  dominator: Uint32Array;
  retainedSize: Float64Array;
  /** Children of n in the dominator tree: dominated[firstDominated[n]…firstDominated[n+1]-1]. */
  firstDominated: Uint32Array;
  dominated: Uint32Array;
}

/** Everything the essential-edge computation needs, as plain typed arrays and numbers (it runs on a helper thread). */
export interface EssentialEdgeInput {
  rootOrdinal: number;
  firstEdge: Uint32Array;
  edgeTo: Uint32Array;
  edgeType: Uint8Array;
  edgeName: Uint32Array;
  nodeId: Uint32Array;
  internalType: number;
  weakType: number;
  shortcutType: number;
  elementType: number;
  /** Root children reached by element edges that count as page roots ("(Document DOM trees)", browsers only). */
  domTreeRoots: Uint32Array;
  /** Per string index: the WeakMap table id named by an ephemeron edge name, -1 if none, UNRESOLVED until looked up. */
  tableIdOfName: Float64Array;
  /** Looks up an UNRESOLVED entry (needs the string table, so only on the calling thread). */
  resolveTableId: (name: number) => number;
}

/** tableIdOfName entry not looked up yet: names are resolved on first use, so no separate pass over the edges. */
const UNRESOLVED = -2;

/**
 * DevTools' markPageOwnedNodes + isEssentialEdge, one byte per edge. Page-owned nodes are those reachable without
 * weak edges from the root's shortcut edges (the global objects). Weak edges never retain; self edges are ignored;
 * shortcut edges count only from the root; a WeakMap's table→value edge is dropped (the key→value edge retains);
 * edges from non-page-owned to page-owned nodes are ignored so debugger-held references do not distort dominators.
 * Self-contained apart from input.resolveTableId (-2 below is UNRESOLVED), so it could run on a helper thread.
 */
export function computeEssentialEdges(input: EssentialEdgeInput, out?: Uint8Array, stackSpace?: Uint32Array): Uint8Array {
  const { rootOrdinal, firstEdge, edgeTo, edgeType, edgeName, nodeId, internalType, weakType, shortcutType, elementType, domTreeRoots, tableIdOfName, resolveTableId } = input;
  // A WeakMap table→value edge (internal, named after its table) does not retain.
  const isTableValueEdge = (e: number, id: number | undefined): boolean => {
    const name = edgeName[e]!;
    let table = tableIdOfName[name]!;
    if (table === -2) tableIdOfName[name] = table = resolveTableId(name);
    return table === id;
  };
  const nodeCount = firstEdge.length - 1;
  const pageOwned = new Uint8Array(nodeCount);
  const stack = stackSpace ?? new Uint32Array(nodeCount);
  let top = 0;
  for (let e = firstEdge[rootOrdinal]!; e < firstEdge[rootOrdinal + 1]!; e++) {
    const t = edgeType[e];
    const to = edgeTo[e]!;
    if (t === elementType) {
      if (domTreeRoots.indexOf(to) < 0) continue;
    } else if (t !== shortcutType) continue;
    // DevTools pushes duplicates here too; marking twice is harmless.
    stack[top++] = to;
    pageOwned[to] = 1;
  }
  while (top) {
    const n = stack[--top]!;
    for (let e = firstEdge[n]!, end = firstEdge[n + 1]!; e < end; e++) {
      const to = edgeTo[e]!;
      if (pageOwned[to] || edgeType[e] === weakType) continue;
      pageOwned[to] = 1;
      stack[top++] = to;
    }
  }
  const essential = out ?? new Uint8Array(edgeTo.length);
  // One loop per kind of source node, so the common page-owned case never reads pageOwned of the target.
  for (let n = 0; n < nodeCount; n++) {
    const id = nodeId[n];
    const end = firstEdge[n + 1]!;
    let e = firstEdge[n]!;
    if (n === rootOrdinal) {
      for (; e < end; e++) {
        const t = edgeType[e];
        if (t === weakType || edgeTo[e] === n) continue;
        if (t === internalType && isTableValueEdge(e, id)) continue;
        essential[e] = 1;
      }
    } else if (pageOwned[n]) {
      for (; e < end; e++) {
        const t = edgeType[e];
        if (t === weakType || t === shortcutType || edgeTo[e] === n) continue;
        if (t === internalType && isTableValueEdge(e, id)) continue;
        essential[e] = 1;
      }
    } else {
      for (; e < end; e++) {
        const t = edgeType[e];
        if (t === weakType || t === shortcutType) continue;
        const to = edgeTo[e]!;
        if (to === n || pageOwned[to]) continue;
        if (t === internalType && isTableValueEdge(e, id)) continue;
        essential[e] = 1;
      }
    }
  }
  return essential;
}

/** The parts of EssentialEdgeInput that need the string table, computed on this thread. */
export function essentialEdgeInput(raw: RawHeapSnapshot, weakMapNames: WeakMapEdgeNames): EssentialEdgeInput {
  const { edgeType, edgeName, firstEdge, edgeTo, rootOrdinal } = raw;
  const { internal, weak, shortcut, element } = raw.layout.edgeType;
  const tableIdOfName = new Float64Array(raw.strings.count).fill(UNRESOLVED);
  const resolveTableId = (name: number) => weakMapNames.parse(name)?.tableId ?? -1;
  const domTreeRoots: number[] = [];
  for (let e = firstEdge[rootOrdinal]!; e < firstEdge[rootOrdinal + 1]!; e++) {
    if (edgeType[e] === element && isDocumentDomTreesRoot(raw, edgeTo[e]!)) domTreeRoots.push(edgeTo[e]!);
  }
  return {
    rootOrdinal, firstEdge, edgeTo, edgeType, edgeName, nodeId: raw.nodeId, internalType: internal, weakType: weak,
    shortcutType: shortcut, elementType: element, domTreeRoots: Uint32Array.from(domTreeRoots), tableIdOfName,
    resolveTableId,
  };
}

/** Immediate dominator per node ordinal, and the DFS order (root first) in which retained sizes accumulate. */
export interface Dominators {
  dominator: Uint32Array;
  /** Node ordinals in DFS preorder; every node appears after its dominator. */
  order: Uint32Array;
  /** Work arrays the algorithm no longer needs, reused for the tree's outputs (typed-array garbage lingers until GC). */
  spare?: { sizes: Float64Array; first: Uint32Array; second: Uint32Array; third: Uint32Array; fourth: Uint32Array };
}

/**
 * Lengauer–Tarjan over the essential edges, exactly as DevTools runs it (iterative DFS, path compression without
 * balancing, so no recursion and no fixpoint iteration that could spin). Nodes reachable only through weak edges are
 * DFS-ed from the root afterwards; nodes still unreached (retain cycles) are attached to the root one by one.
 * Self-contained (no outer references): its source also runs in the analysis helper thread.
 */
export function computeDominators(
  nodeCount: number, rootOrdinal: number, firstEdge: Uint32Array, edgeTo: Uint32Array, essential: Uint8Array,
  firstRetainer: Uint32Array, retainerNode: Uint32Array, retainerEdge: Uint32Array,
): Dominators {
  const size = nodeCount + 1; // vertices are numbered 1…n; 0 means "none"
  // parent and ancestor share one buffer, later reused as the Float64 retained sizes.
  const parentAndAncestor = new Uint32Array(2 * size);
  const parent = parentAndAncestor.subarray(0, size);
  const ancestor = parentAndAncestor.subarray(size);
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
      let e = nextEdge[vo]!;
      for (; e < end; e++) {
        if (!essential[e]) continue;
        const wo = edgeTo[e]!;
        const w = wo + 1;
        if (semi[w] === 0) {
          parent[w] = v;
          nextEdge[wo] = firstEdge[wo]!;
          vNext = w;
          e++;
          break;
        }
      }
      nextEdge[vo] = e;
      v = vNext;
    }
  };
  const onlyWeakRetainers = (node: number): boolean => {
    for (let k = firstRetainer[node]!, end = firstRetainer[node + 1]!; k < end; k++) {
      if (essential[retainerEdge[k]!]) return false;
    }
    return true;
  };

  const r = rootOrdinal + 1;
  dfs(r);
  if (n < nodeCount) {
    for (let v = 1; v <= nodeCount; v++) {
      if (semi[v] === 0 && onlyWeakRetainers(v - 1)) {
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

  // Path-compression stack: short in practice, grown on demand.
  let stack = new Uint32Array(1024);
  const evaluate = (v: number): number => {
    if (ancestor[v] === 0) return v;
    let sp = 0;
    let x = v;
    while (ancestor[ancestor[x]!] !== 0) {
      if (sp + 1 === stack.length) {
        const bigger = new Uint32Array(stack.length * 2);
        bigger.set(stack);
        stack = bigger;
      }
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
  const bucketNext = nextEdge.fill(0); // the DFS cursor array is free now
  const dom = new Uint32Array(size);
  for (let i = n; i >= 2; i--) {
    const w = vertex[i]!;
    const wo = w - 1;
    let orphan = true;
    // semi[w] kept in a local: no evaluate() call writes it (w is not linked into the forest yet).
    let sw = semi[w]!;
    for (let k = firstRetainer[wo]!, end = firstRetainer[wo + 1]!; k < end; k++) {
      if (!essential[retainerEdge[k]!]) continue;
      orphan = false;
      const v = retainerNode[k]! + 1;
      const su = semi[ancestor[v] === 0 ? v : evaluate(v)]!;
      if (su < sw) sw = su;
    }
    if (orphan) sw = semi[r]!;
    semi[w] = sw;
    const b = vertex[sw]!;
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
  // Shift to 0-based ordinals in place (reads index o+1 before writing index o).
  for (let o = 0; o < nodeCount; o++) dom[o] = dom[o + 1]! - 1;
  for (let i = 0; i < n; i++) vertex[i] = vertex[i + 1]! - 1;
  return {
    dominator: dom.subarray(0, nodeCount),
    order: vertex.subarray(0, n),
    spare: { sizes: new Float64Array(parentAndAncestor.buffer, 0, nodeCount), first: label, second: semi, third: bucketHead, fourth: bucketNext },
  };
}

/** Retained sizes (self sizes summed up the dominator tree in reverse DFS order) and the tree's child lists. */
export function completeDominatorTree(doms: Dominators, selfSize: Float64Array, rootOrdinal: number): DominatorTree {
  // Self-contained (calls only dominatedLists, which the helper thread defines too).
  const { dominator, order, spare } = doms;
  const nodeCount = dominator.length;
  const retainedSize = spare ? spare.sizes : new Float64Array(nodeCount);
  retainedSize.set(selfSize.subarray(0, nodeCount));
  for (let i = order.length - 1; i > 0; i--) {
    const o = order[i]!;
    retainedSize[dominator[o]!] += retainedSize[o]!;
  }
  const { firstDominated, dominated } = dominatedLists(dominator, rootOrdinal, spare?.first, spare?.second);
  return { dominator, retainedSize, firstDominated, dominated };
}

/** Children lists of the dominator tree (self-contained: also runs on the helper thread). */
export function dominatedLists(
  dominator: Uint32Array, rootOrdinal: number, firstSpace?: Uint32Array, secondSpace?: Uint32Array,
): { firstDominated: Uint32Array; dominated: Uint32Array } {
  const nodeCount = dominator.length;
  const firstDominated = firstSpace ? firstSpace.subarray(0, nodeCount + 1).fill(0) : new Uint32Array(nodeCount + 1);
  const dominated = secondSpace ? secondSpace.subarray(0, Math.max(0, nodeCount - 1)) : new Uint32Array(Math.max(0, nodeCount - 1));
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
