import type { EssentialEdgeGraph } from './essentialEdges';

/** Immediate dominators, retained sizes and the dominator tree's child lists, all indexed by node ordinal. */
export interface DominatorTree {
  dominator: Uint32Array;
  retainedSize: Float64Array;
  /** Children of n in the dominator tree: dominated[firstDominated[n]…firstDominated[n+1]-1]. */
  firstDominated: Uint32Array;
  dominated: Uint32Array;
}

/** Immediate dominators over DFS preorder positions (the order retained sizes accumulate in). */
export interface Dominators {
  /** Node ordinals in DFS preorder (root first); every node appears after its dominator. */
  order: Uint32Array;
  /** idom[k]: position in `order` of the immediate dominator of order[k] (idom[0] = 0, the root). */
  idom: Uint32Array;
  /** Work arrays the algorithm no longer needs (typed-array garbage lingers until a GC, so later phases reuse them). */
  spare: { sizes: Float64Array; first: Uint32Array; second: Uint32Array; third: Uint32Array };
}

/**
 * Immediate dominators over DevTools' essential edges, with DevTools' DFS rules: from the root; nodes reachable only
 * through weak edges (no essential retainer) are DFS-ed from the root afterwards in ordinal order; nodes still
 * unreached (retain cycles) are attached to the root. The dominators of what the DFS reaches are those of the
 * essential graph plus root→(node without essential retainer) edges, whatever the DFS order, so any exact
 * algorithm over any DFS gives DevTools' numbers. This one:
 * - DFS-es the page-owned part first (from the global objects), where essentiality needs no page-owned marks, and
 *   marks the few page-owned nodes that DFS misses afterwards; the rest of the graph follows with the marks known.
 *   So there is no separate page-owned pass and no per-edge flag array.
 * - keeps the latency-bound DFS small: it tests a reached-bit per node and marks edges to reached nodes in a bit per
 *   edge (both fit in a core's cache); a streaming pass then classifies those: edges to a descendant lower their
 *   target's semi-dominator candidate, cross and back edges go into a predecessor list by target (`predSpace`: an
 *   edge-sized array to hold it, reused later for the retainers). No retainer arrays needed.
 * - runs Semi-NCA (as in LLVM) with every array indexed by preorder number.
 * `tableIdList`: the distinct values of tableIdOfName, ascending (WeakMapEdgeNames.tableIdList), else found here.
 * `onOrder` gets the DFS preorder (Dominators.order) as soon as it is complete.
 * Essential edges (DevTools' isEssentialEdge): weak edges never retain; self edges are ignored; shortcut edges count
 * only from the root; a WeakMap's table→value edge (internal, named after its own table: `tableIdOfName` from
 * WeakMapEdgeNames.tableIds) is dropped (the key→value edge retains); edges from non-page-owned to page-owned nodes
 * are ignored so that debugger-held references do not distort dominators. Page-owned: reachable without weak edges
 * from the root's shortcut edges (the global objects) and "(Document DOM trees)".
 * Self-contained (no outer references): its source also runs in the analysis helper thread.
 */
export function computeDominators(
  graph: EssentialEdgeGraph,
  tableIdOfName: Float64Array,
  predSpace?: Uint32Array,
  tableIdList?: Float64Array,
  onOrder?: (order: Uint32Array) => void,
): Dominators {
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
  const size = nodeCount + 2; // preorder numbers are 1…n (the root is 1); 0 means "none"
  // state[2o]: preorder number of ordinal o (0 = not reached yet); state[2o+1]: how many cross/back edges lead to it,
  // then its cursor into the predecessor list. Both halves of one cache line; later the label array.
  const state = new Uint32Array(2 * size);
  // Preorder number → ordinal; shared (when available), so that another thread can read the order while this one
  // goes on (onOrder).
  const vertex = new Uint32Array(
    typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(4 * size) : new ArrayBuffer(4 * size),
  );
  const idom = new Uint32Array(size); // DFS parent, then the immediate dominator
  const semi = new Uint32Array(size); // DFS parent, lowered by edges from ancestors, then the semi-dominator
  // Per ordinal: OWNED = page-owned but missed by the page-owned DFS; TABLE = a WeakMap table (ids from edge names).
  // Tables also get bit 31 of state[2o+1] (STATE_TABLE), read by the DFS with the preorder number.
  const OWNED = 1;
  const TABLE = 2;
  const STATE_TABLE = 0x80000000;
  const COUNT = 0x3fffffff; // state[2o+1] bits for the count (bit 30 marks a retainer of unreached nodes, bit 31 a table)
  const flags = new Uint8Array(nodeCount);
  // Bits that fit in a core's cache: reached ordinals (the DFS's per-edge test), and per edge, essential edges to
  // reached nodes (classified after the DFS; then only cross and back edges keep their bit).
  const reached = new Int32Array((nodeCount >>> 5) + 1);
  const crossEdge = new Int32Array((edgeTo.length >>> 5) + 1);
  let tableIds = tableIdList;
  if (!tableIds) {
    const ids: number[] = [];
    for (let name = 0; name < tableIdOfName.length; name++) if (tableIdOfName[name] >= 0) ids.push(tableIdOfName[name]);
    tableIds = Float64Array.from(new Set(ids)).sort();
  }
  // Node ids almost always ascend with the ordinal (V8): binary search each table id, scan only if that misses.
  let found = 0;
  for (let t = 0; t < tableIds.length; t++) {
    const id = tableIds[t];
    let lo = 0;
    let hi = nodeCount - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (nodeId[mid] < id) lo = mid + 1;
      else hi = mid;
    }
    if (nodeId[lo] === id) {
      flags[lo] = TABLE;
      state[2 * lo + 1] = STATE_TABLE;
      found++;
    }
  }
  if (found < tableIds.length) {
    const last = tableIds.length - 1;
    // A 32768-bit filter on the ids' low bits (V8's ids step by 2) spares most nodes the binary search.
    const filter = new Uint32Array(1024);
    for (let t = 0; t <= last; t++) {
      const h = (tableIds[t] >>> 1) & 32767;
      filter[h >>> 5] |= 1 << (h & 31);
    }
    for (let o = 0; o < nodeCount; o++) {
      const id = nodeId[o];
      const h = (id >>> 1) & 32767;
      if ((filter[h >>> 5] & (1 << (h & 31))) === 0) continue;
      let lo = 0;
      let hi = last;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (tableIds[mid] < id) lo = mid + 1;
        else hi = mid;
      }
      if (tableIds[lo] === id) {
        flags[o] = TABLE;
        state[2 * o + 1] = STATE_TABLE;
      }
    }
  }
  let n = 0;
  // Numbers 2…ownedEnd: reached by the page-owned DFS, hence page-owned.
  let ownedEnd = 0;
  const isPageOwned = (o: number): boolean => {
    const k = state[2 * o];
    return (k > 1 && k <= ownedEnd) || (flags[o] & OWNED) !== 0;
  };
  const ROOT_RULE = 0;
  const OWNED_RULE = 1;
  const OTHER_RULE = 2;
  // DevTools' isEssentialEdge for edge e of node v (the loops below have the same tests inline).
  const isEssential = (v: number, rule: number, e: number): boolean => {
    const t = edgeType[e];
    const w = edgeTo[e];
    if (t === weakType || w === v || (t === shortcutType && rule !== ROOT_RULE)) return false;
    if ((flags[v] & TABLE) !== 0 && t === internalType && tableIdOfName[edgeName[e]] === nodeId[v]) return false;
    return rule !== OTHER_RULE || !isPageOwned(w);
  };
  const ruleOf = (o: number): number => (isPageOwned(o) ? OWNED_RULE : OTHER_RULE); // o is not the root
  const number = (o: number, parentNumber: number): number => {
    const k = ++n;
    state[2 * o] = k;
    vertex[k] = o;
    idom[k] = semi[k] = parentNumber;
    reached[o >>> 5] |= 1 << (o & 31);
    return k;
  };
  // Targets of non-weak edges the page-owned DFS does not follow (shortcuts, table→value): page-owned too.
  const missed: number[] = [];
  let backToRoot = false; // an essential edge to the root seen
  // DFS stack frames: node, next edge, end edge, preorder number, bits (1 = page-owned source, 2 = WeakMap table).
  const FRAME = 5;
  let stack = new Uint32Array(FRAME * 1024);
  const dfs = (start: number, parentNumber: number, allOwned: boolean): void => {
    let top = 0;
    let o = start;
    let k = number(start, parentNumber);
    for (;;) {
      if (top + FRAME > stack.length) {
        const bigger = new Uint32Array(stack.length * 2);
        bigger.set(stack);
        stack = bigger;
      }
      stack[top] = o;
      stack[top + 1] = firstEdge[o]!;
      stack[top + 2] = firstEdge[o + 1]!;
      stack[top + 3] = k;
      stack[top + 4] = (allOwned || (flags[o] & OWNED) !== 0 ? 1 : 0) | (state[2 * o + 1] >= STATE_TABLE ? TABLE : 0);
      top += FRAME;
      let child = -1;
      while (top > 0) {
        const f = top - FRAME;
        const v = stack[f];
        const end = stack[f + 2];
        const vNumber = stack[f + 3];
        const bits = stack[f + 4];
        const owned = (bits & 1) !== 0;
        const table = (bits & TABLE) !== 0;
        let e = stack[f + 1];
        for (; e < end; e++) {
          const t = edgeType[e];
          if (t === weakType) continue;
          const w = edgeTo[e];
          if (t === shortcutType || (table && t === internalType && tableIdOfName[edgeName[e]] === nodeId[v])) {
            missed.push(w);
            continue;
          }
          if (!owned && isPageOwned(w)) continue;
          if ((reached[w >>> 5] & (1 << (w & 31))) === 0) {
            child = w;
            e++;
            break;
          }
          crossEdge[e >>> 5] |= 1 << (e & 31);
          if (w === rootOrdinal) backToRoot = true;
        }
        if (child >= 0) {
          stack[f + 1] = e;
          o = child;
          k = number(child, vNumber);
          break;
        }
        top = f;
      }
      if (child < 0) return;
    }
  };
  // An edge of the root: tree edge to an unreached node, else an edge from an ancestor (the root is never the
  // source of a cross edge).
  const rootEdge = (e: number, allOwned: boolean): void => {
    if (!isEssential(rootOrdinal, ROOT_RULE, e)) return;
    const w = edgeTo[e];
    const wNumber = state[2 * w];
    if (wNumber === 0) dfs(w, 1, allOwned);
    else semi[wNumber] = 1;
  };

  number(rootOrdinal, 0);
  const firstRootEdge = firstEdge[rootOrdinal];
  const endRootEdge = firstEdge[rootOrdinal + 1];
  const isPageRoot = (e: number): boolean => {
    const t = edgeType[e];
    return t === shortcutType || (t === elementType && domTreeRoots.indexOf(edgeTo[e]) >= 0);
  };
  // 1. The page-owned part, from the page roots: every source there is page-owned.
  for (let e = firstRootEdge; e < endRootEdge; e++) {
    if (!isPageRoot(e)) continue;
    if (edgeTo[e] === rootOrdinal) missed.push(rootOrdinal);
    else rootEdge(e, true);
  }
  ownedEnd = n;
  // An edge from the page-owned part back to the root makes the root page-owned too.
  if (backToRoot) missed.push(rootOrdinal);
  // 2. Page-owned nodes that DFS missed (reached only through shortcuts or table→value edges): marked like DevTools'
  // markPageOwnedNodes, through any non-weak edge.
  while (missed.length) {
    const x = missed.pop()!;
    if (isPageOwned(x)) continue;
    flags[x] = flags[x] | OWNED;
    for (let e = firstEdge[x], end = firstEdge[x + 1]; e < end; e++)
      if (edgeType[e] !== weakType) missed.push(edgeTo[e]);
  }
  // 3. The rest of the root's edges, in order.
  for (let e = firstRootEdge; e < endRootEdge; e++) if (!isPageRoot(e)) rootEdge(e, false);
  missed.length = 0;
  if (n < nodeCount) {
    const unreached: number[] = [];
    for (let word = 0; word < reached.length; word++) {
      if (reached[word] === -1) continue;
      for (let o = word << 5, end = Math.min(nodeCount, o + 32); o < end; o++)
        if (state[2 * o] === 0) unreached.push(o);
    }
    // Nodes reachable only through weak edges: those without an essential retainer are DFS-ed from the root, in
    // ordinal order (an essential edge from a reached node would have reached its target). RETAINED marks nodes
    // with an essential retainer among the unreached ones.
    const RETAINED = 0x40000000;
    const markRetained = (set: boolean) => {
      for (const o of unreached) {
        const rule = ruleOf(o);
        for (let e = firstEdge[o], end = firstEdge[o + 1]; e < end; e++) {
          if (!isEssential(o, rule, e)) continue;
          const slot = 2 * edgeTo[e] + 1;
          state[slot] = set ? state[slot] | RETAINED : state[slot] & ~RETAINED;
        }
      }
    };
    markRetained(true);
    for (const o of unreached) if (state[2 * o] === 0 && !(state[2 * o + 1] & RETAINED)) dfs(o, 1, false);
    markRetained(false);
    // The rest (unreachable retain cycles) hang off the root. Their edges change no dominator (in DevTools'
    // Lengauer–Tarjan their semi-dominators are numbered after everything reached), so they get no list entries.
    for (const o of unreached) if (state[2 * o] === 0) number(o, 1);
  }

  onOrder?.(vertex.subarray(1, n + 1));
  // The marked edges: cross and back edges (to a lower number) keep their bit and are counted per target; an edge to
  // a descendant lowers its semi-dominator candidate; a self edge changes nothing.
  for (let o = 0; o < nodeCount; o++) {
    const k = state[2 * o];
    for (let e = firstEdge[o], end = firstEdge[o + 1]; e < end; e++) {
      if ((crossEdge[e >>> 5] & (1 << (e & 31))) === 0) continue;
      const w = edgeTo[e];
      const wNumber = state[2 * w];
      if (wNumber < k) state[2 * w + 1]++;
      else {
        crossEdge[e >>> 5] &= ~(1 << (e & 31));
        if (wNumber > k && k < semi[wNumber]) semi[wNumber] = k;
      }
    }
  }
  // Cross/back-edge sources as preorder numbers, listed per target preorder number (a counting sort).
  const firstPred = new Uint32Array(size);
  let sum = 0;
  for (let k = 1; k <= n; k++) {
    firstPred[k] = sum;
    const slot = 2 * vertex[k] + 1;
    const count = state[slot] & COUNT;
    state[slot] = sum;
    sum += count;
  }
  firstPred[n + 1] = sum;
  const preds = predSpace && predSpace.length >= sum ? predSpace.subarray(0, sum) : new Uint32Array(sum);
  for (let o = 0; o < nodeCount; o++) {
    const k = state[2 * o];
    for (let e = firstEdge[o], end = firstEdge[o + 1]; e < end; e++) {
      if ((crossEdge[e >>> 5] & (1 << (e & 31))) !== 0) preds[state[2 * edgeTo[e] + 1]++] = k;
    }
  }

  // Semi-dominators, in reverse preorder. For a node v done so far (number > i), link[2v] is its ancestor in the
  // path-compressed DFS forest and link[2v+1] the smallest semi-dominator on its compressed path (one cache line).
  // A node without essential predecessors keeps semi = its parent, the root (DevTools' rule for such nodes).
  const link = state;
  let path = new Uint32Array(1024); // path-compression stack: short in practice, grown on demand
  for (let i = n; i >= 2; i--) {
    let s = semi[i];
    // Nothing is lower than the root (1): stop once there.
    for (let k = firstPred[i], end = s > 1 ? firstPred[i + 1] : k; k < end; k++) {
      const v = preds[k]; // > i: done
      if (link[2 * v] > i) {
        let sp = 0;
        let x = v;
        do {
          if (sp === path.length) {
            const bigger = new Uint32Array(sp * 2);
            bigger.set(path);
            path = bigger;
          }
          path[sp++] = x;
          x = link[2 * x]!;
        } while (link[2 * x] > i);
        // x is the topmost done node on the path: point everything below it at x's ancestor, labels minimised.
        const top = link[2 * x];
        let topLabel = link[2 * x + 1];
        while (sp > 0) {
          const y = path[--sp];
          link[2 * y] = top;
          const yLabel = link[2 * y + 1];
          if (topLabel < yLabel) link[2 * y + 1] = topLabel;
          else topLabel = yLabel;
        }
      }
      const best = link[2 * v + 1];
      if (best < s) {
        s = best;
        if (s === 1) break;
      }
    }
    semi[i] = s;
    link[2 * i] = idom[i]!; // the DFS parent
    link[2 * i + 1] = s;
  }

  // Immediate dominator = nearest common ancestor of parent and semi-dominator: climb from the parent.
  idom[1] = 1;
  for (let i = 2; i <= n; i++) {
    const s = semi[i];
    let d = idom[i];
    while (d > s) d = idom[d]!;
    idom[i] = d;
  }
  // To 0-based positions in place (reads index k+1 before writing index k).
  for (let k = 0; k < n; k++) {
    idom[k] = idom[k + 1] - 1;
  }
  return {
    order: vertex.subarray(1, n + 1),
    idom: idom.subarray(0, n),
    spare: {
      sizes: new Float64Array(state.buffer, 0, size),
      first: semi,
      second: firstPred,
      third: new Uint32Array(size),
    },
  };
}

/** Immediate dominator per node ordinal (self-contained: also runs on the helper thread). */
export function dominatorsByOrdinal(doms: Dominators, out = new Uint32Array(doms.order.length)): Uint32Array {
  const { order, idom } = doms;
  for (let k = 0; k < order.length; k++) out[order[k]] = order[idom[k]]!;
  return out;
}

/** Children lists of the dominator tree (self-contained: also runs on the helper thread). */
export function dominatedLists(
  dominator: Uint32Array,
  rootOrdinal: number,
  firstSpace?: Uint32Array,
  secondSpace?: Uint32Array,
): { firstDominated: Uint32Array; dominated: Uint32Array } {
  const nodeCount = dominator.length;
  const firstDominated = firstSpace ? firstSpace.subarray(0, nodeCount + 1).fill(0) : new Uint32Array(nodeCount + 1);
  const dominated = secondSpace
    ? secondSpace.subarray(0, Math.max(0, nodeCount - 1))
    : new Uint32Array(Math.max(0, nodeCount - 1));
  for (let o = 0; o < nodeCount; o++) if (o !== rootOrdinal) firstDominated[dominator[o]]++;
  let sum = 0;
  for (let o = 0; o < nodeCount; o++) {
    sum += firstDominated[o];
    firstDominated[o] = sum;
  }
  firstDominated[nodeCount] = sum;
  for (let o = nodeCount - 1; o >= 0; o--) {
    if (o !== rootOrdinal) dominated[--firstDominated[dominator[o]]] = o;
  }
  return { firstDominated, dominated };
}
