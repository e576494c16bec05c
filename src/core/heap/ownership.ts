import type { RawHeapSnapshot } from './rawSnapshot';

/** True when the root has an edge to a non-synthetic node (a "user root"); false for snapshots that expose internals. */
export function hasUserRoots(raw: RawHeapSnapshot): boolean {
  const { rootOrdinal, firstEdge, edgeTo, nodeType } = raw;
  const synthetic = raw.layout.nodeType.synthetic;
  for (let e = firstEdge[rootOrdinal]!; e < firstEdge[rootOrdinal + 1]!; e++) {
    if (nodeType[edgeTo[e]!] !== synthetic) return true;
  }
  return false;
}

/** Whether a node is DevTools' "(Document DOM trees)" synthetic root (browser snapshots only). */
export function isDocumentDomTreesRoot(raw: RawHeapSnapshot, node: number): boolean {
  return raw.nodeType[node] === raw.layout.nodeType.synthetic && raw.strings.get(raw.nodeName[node]!) === '(Document DOM trees)';
}

/**
 * DevTools' "page object" flag: everything reachable without weak edges from the root's shortcut edges (the global
 * objects) and from document DOM trees roots. Edges from non-page to page objects do not count for dominators.
 */
export function markPageOwnedNodes(raw: RawHeapSnapshot, scratch = new Uint32Array(raw.nodeCount)): Uint8Array {
  const { nodeCount, rootOrdinal, firstEdge, edgeTo, edgeType } = raw;
  const { shortcut, element, weak } = raw.layout.edgeType;
  const owned = new Uint8Array(nodeCount);
  const stack = scratch;
  let top = 0;
  for (let e = firstEdge[rootOrdinal]!; e < firstEdge[rootOrdinal + 1]!; e++) {
    const t = edgeType[e];
    const to = edgeTo[e]!;
    if (t === element) {
      if (!isDocumentDomTreesRoot(raw, to)) continue;
    } else if (t !== shortcut) continue;
    // DevTools pushes duplicates here too; marking twice is harmless.
    stack[top++] = to;
    owned[to] = 1;
  }
  while (top) {
    const n = stack[--top]!;
    for (let e = firstEdge[n]!, end = firstEdge[n + 1]!; e < end; e++) {
      const to = edgeTo[e]!;
      if (owned[to] || edgeType[e] === weak) continue;
      owned[to] = 1;
      stack[top++] = to;
    }
  }
  return owned;
}

const UNVISITED = 0xffffffff;
const MULTIPLE_OWNERS = 0xfffffffe;

/**
 * DevTools' calculateShallowSizes: `hidden`/`array` nodes (and 'system / ExternalStringData') reachable from exactly one
 * owner object give their self size to that owner. Mutates raw.nodeSelfSize in place, as DevTools does.
 */
export function foldOwnedSizes(raw: RawHeapSnapshot, owners = new Uint32Array(raw.nodeCount), stackSpace = new Uint32Array(raw.nodeCount)): void {
  if (!hasUserRoots(raw)) return;
  const { nodeCount, nodeType, nodeName, nodeSelfSize, firstEdge, edgeTo, edgeType, rootOrdinal } = raw;
  const { hidden, array, native, synthetic } = raw.layout.nodeType;
  const weak = raw.layout.edgeType.weak;
  let externalStringData = -1;
  for (let i = 0; i < nodeCount; i++) {
    const t = nodeType[i];
    let owned = t === hidden || t === array;
    if (!owned && t === native) {
      if (externalStringData < 0 && raw.strings.get(nodeName[i]!) === 'system / ExternalStringData') externalStringData = nodeName[i]!;
      owned = nodeName[i] === externalStringData;
    }
    owners[i] = owned ? UNVISITED : i;
  }
  // DevTools pushes every self-owned node, then pops (last first); draining after each keeps the same LIFO order
  // with a stack that only holds what one owner reaches.
  let stack = stackSpace;
  for (let root = nodeCount - 1; root >= 0; root--) {
    if (owners[root] !== root) continue;
    let top = 0;
    stack[top++] = root;
    while (top) {
      const id = stack[--top]!;
      const owner = owners[id]!;
      for (let e = firstEdge[id]!, end = firstEdge[id + 1]!; e < end; e++) {
        if (edgeType[e] === weak) continue;
        const target = edgeTo[e]!;
        const current = owners[target]!;
        if (current === UNVISITED) owners[target] = owner;
        else if (current !== target && current !== owner && current !== MULTIPLE_OWNERS) owners[target] = MULTIPLE_OWNERS;
        else continue;
        if (top === stack.length) {
          const bigger = new Uint32Array(stack.length * 2);
          bigger.set(stack);
          stack = bigger;
        }
        stack[top++] = target;
      }
    }
  }
  for (let i = 0; i < nodeCount; i++) {
    const owner = owners[i]!;
    if (owner === UNVISITED || owner === MULTIPLE_OWNERS || owner === i) continue;
    if (nodeType[owner] === synthetic || owner === rootOrdinal) continue;
    nodeSelfSize[owner] = nodeSelfSize[owner]! + nodeSelfSize[i]!;
    nodeSelfSize[i] = 0;
  }
}
