import type { RawHeapSnapshot } from '../rawSnapshot';

const ATTACHED = 1;
const DETACHED = 2;

/**
 * DevTools' propagateDOMState: native (embedder) nodes inherit attached/detached state from native parents, never
 * through JS objects or hidden/weak edges; detached ones are renamed "Detached <name>" (which changes their class).
 * Node.js marks some of its binding objects this way too. Mutates raw.nodeName / raw.nodeDetachedness.
 */
export function propagateDomAttachment(raw: RawHeapSnapshot): void {
  const state = raw.nodeDetachedness;
  if (!state) return;
  const { nodeCount, nodeType, nodeName, firstEdge, edgeTo, edgeType, strings } = raw;
  const native = raw.layout.nodeType.native;
  const { hidden, weak } = raw.layout.edgeType;
  const visited = new Uint8Array(nodeCount);
  const attached: number[] = [];
  const detached: number[] = [];
  const renamed = new Map<number, number>();
  const process = (n: number, newState: number) => {
    if (visited[n]) return;
    visited[n] = 1;
    if (nodeType[n] !== native) return;
    state[n] = (state[n] & ~3) | newState;
    if (newState === ATTACHED) attached.push(n);
    else if (newState === DETACHED) {
      const old = nodeName[n];
      let name = renamed.get(old);
      if (name === undefined) renamed.set(old, (name = strings.add(`Detached ${strings.get(old)}`)));
      nodeName[n] = name;
      detached.push(n);
    }
  };
  const propagate = (n: number, newState: number) => {
    for (let e = firstEdge[n], end = firstEdge[n + 1]; e < end; e++) {
      const t = edgeType[e];
      if (t === hidden || t === weak) continue;
      process(edgeTo[e], newState);
    }
  };
  for (let n = 0; n < nodeCount; n++) {
    const s = state[n] & 3;
    if (s !== 0) process(n, s);
  }
  while (attached.length) propagate(attached.pop()!, ATTACHED);
  while (detached.length) {
    const n = detached.pop()!;
    if ((state[n] & 3) === ATTACHED) continue;
    propagate(n, DETACHED);
  }
}
