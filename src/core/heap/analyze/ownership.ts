import type { RawHeapSnapshot } from '../rawSnapshot';

/** True when the root has an edge to a non-synthetic node (a "user root"); false for snapshots that expose internals. */
function hasUserRoots(raw: RawHeapSnapshot): boolean {
  const { rootOrdinal, firstEdge, edgeTo, nodeType } = raw;
  const synthetic = raw.layout.nodeType.synthetic;
  for (let e = firstEdge[rootOrdinal]; e < firstEdge[rootOrdinal + 1]; e++) {
    if (nodeType[edgeTo[e]] !== synthetic) return true;
  }
  return false;
}

/** Whether a node is DevTools' "(Document DOM trees)" synthetic root (browser snapshots only). */
export function isDocumentDomTreesRoot(raw: RawHeapSnapshot, node: number): boolean {
  return (
    raw.nodeType[node] === raw.layout.nodeType.synthetic &&
    raw.strings.get(raw.nodeName[node]) === '(Document DOM trees)'
  );
}

/** Per node, for size folding: 0 = an owner, 1 = ownable (hidden, array, ExternalStringData), 2 = synthetic. */
export type OwnershipKinds = Uint8Array;

/**
 * What DevTools' calculateShallowSizes needs to know per node, or null when it does nothing (snapshots without user
 * roots, taken with "expose internals", show raw sizes).
 */
function ownershipKinds(raw: RawHeapSnapshot): OwnershipKinds | null {
  if (!hasUserRoots(raw)) return null;
  const { nodeCount, nodeType, nodeName } = raw;
  const { hidden, array, native, synthetic } = raw.layout.nodeType;
  const kinds = new Uint8Array(nodeCount);
  let externalStringData = -1;
  for (let i = 0; i < nodeCount; i++) {
    const t = nodeType[i];
    if (t === hidden || t === array) kinds[i] = 1;
    else if (t === synthetic) kinds[i] = 2;
    else if (t === native) {
      if (externalStringData < 0 && raw.strings.get(nodeName[i]) === 'system / ExternalStringData')
        externalStringData = nodeName[i]!;
      if (nodeName[i] === externalStringData) kinds[i] = 1;
    }
  }
  return kinds;
}

/**
 * DevTools' calculateShallowSizes: ownable nodes reachable (without weak edges) from exactly one owner give their
 * self size to that owner (never to the root or a synthetic node); mutates selfSize in place, as DevTools does.
 * Self-contained (no outer references): its source also runs on the analysis helper thread.
 */
export function foldSizes(
  kinds: Uint8Array,
  rootOrdinal: number,
  firstEdge: Uint32Array,
  edgeTo: Uint32Array,
  edgeType: Uint8Array,
  weakType: number,
  selfSize: Float64Array,
  owners: Uint32Array,
  stackSpace: Uint32Array,
): void {
  const UNVISITED = 0xffffffff;
  const MULTIPLE_OWNERS = 0xfffffffe;
  const nodeCount = kinds.length;
  // Only ownable nodes change owner: a bit per node (fits in a core's cache) spares most edges the owners[] read.
  const ownable = new Int32Array((nodeCount >>> 5) + 1);
  for (let i = 0; i < nodeCount; i++) {
    if (kinds[i] === 1) {
      owners[i] = UNVISITED;
      ownable[i >>> 5] |= 1 << (i & 31);
    } else owners[i] = i;
  }
  // DevTools pushes every owner, then pops (last first); draining after each keeps the same LIFO order with a stack
  // that only holds what one owner reaches.
  let stack = stackSpace;
  for (let root = nodeCount - 1; root >= 0; root--) {
    if (owners[root] !== root) continue;
    let top = 0;
    stack[top++] = root;
    while (top) {
      const id = stack[--top];
      const owner = owners[id];
      for (let e = firstEdge[id], end = firstEdge[id + 1]; e < end; e++) {
        const target = edgeTo[e];
        if ((ownable[target >>> 5] & (1 << (target & 31))) === 0 || edgeType[e] === weakType) continue;
        const current = owners[target];
        if (current === UNVISITED) owners[target] = owner;
        else if (current !== target && current !== owner && current !== MULTIPLE_OWNERS)
          owners[target] = MULTIPLE_OWNERS;
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
    const owner = owners[i];
    if (owner === UNVISITED || owner === MULTIPLE_OWNERS || owner === i) continue;
    if (kinds[owner] === 2 || owner === rootOrdinal) continue;
    selfSize[owner] = selfSize[owner] + selfSize[i];
    selfSize[i] = 0;
  }
}

/** foldSizes for a parsed snapshot on this thread. */
export function foldOwnedSizes(
  raw: RawHeapSnapshot,
  owners: Uint32Array = new Uint32Array(raw.nodeCount),
  stack: Uint32Array = new Uint32Array(raw.nodeCount),
): void {
  const kinds = ownershipKinds(raw);
  if (kinds)
    foldSizes(
      kinds,
      raw.rootOrdinal,
      raw.firstEdge,
      raw.edgeTo,
      raw.edgeType,
      raw.layout.edgeType.weak,
      raw.nodeSelfSize,
      owners,
      stack,
    );
}
