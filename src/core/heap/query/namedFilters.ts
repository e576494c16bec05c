import type { HeapAnalysis } from '../analyze/analysis';
import { edgeNameText } from '../analyze/nodeNames';
import { duplicatedStringMask } from './duplicateStrings';

/** DevTools' distance for nodes no BFS reaches. */
const NO_DISTANCE = -5;
const DETACHED = 2;

/** The Summary's named filters (CLI `--filter` names), each equal to one of DevTools' named filters. */
export const NAMED_FILTERS = {
  'duplicated-strings': 'duplicatedStrings',
  'retained-by-console': 'objectsRetainedByConsole',
  'retained-by-contexts': 'objectsRetainedByContexts',
  'retained-by-detached-dom': 'objectsRetainedByDetachedDomNodes',
  'retained-by-event-handlers': 'objectsRetainedByEventHandlers',
} as const;

/** A CLI/UI name of a named filter. */
export type NamedFilter = keyof typeof NAMED_FILTERS;

/** Whether `name` is one of NAMED_FILTERS. */
export function isNamedFilter(name: string): name is NamedFilter {
  return Object.hasOwn(NAMED_FILTERS, name);
}

/** A per-node mask (1 = the node passes) for one of DevTools' named filters (createNamedFilter). */
export function namedFilterMask(analysis: HeapAnalysis, filter: NamedFilter): Uint8Array {
  const { raw } = analysis;
  const { nodeName, strings, nodeType } = raw;
  switch (filter) {
    case 'duplicated-strings':
      return duplicatedStringMask(analysis);
    case 'retained-by-contexts': {
      const isContext = nameMemo(raw.strings, (s) => s === 'system / Context' || s.startsWith('system / Context / '));
      return retainedOnlyThrough(analysis, (_from, _e, to) => !isContext(nodeName[to]));
    }
    case 'retained-by-detached-dom': {
      const state = raw.nodeDetachedness;
      return retainedOnlyThrough(analysis, (_from, _e, to) => !state || (state[to] & 3) !== DETACHED);
    }
    case 'retained-by-console': {
      const synthetic = raw.layout.nodeType.synthetic;
      const { element, hidden, shortcut } = raw.layout.edgeType;
      const consoleName = nameMemo(strings, (s) => s.endsWith(' / DevTools console'));
      return retainedOnlyThrough(analysis, (from, e) => {
        if (nodeType[from] !== synthetic) return true;
        const et = raw.edgeType[e];
        if (et === element || et === hidden) return true;
        // Shortcut edges with numeric names count as index edges (DevTools' hasStringName).
        if (et === shortcut && !Number.isNaN(parseInt(strings.get(raw.edgeName[e]), 10))) return true;
        return !consoleName(raw.edgeName[e]);
      });
    }
    case 'retained-by-event-handlers': {
      const handlers = eventHandlers(analysis);
      return retainedOnlyThrough(analysis, (_from, _e, to) => !handlers[to]);
    }
  }
  throw new RangeError(`unknown filter ${String(filter)}`);
}

/**
 * DevTools' "objects allocated between snapshots": ids in (maxJsNodeId(base), maxJsNodeId(this)]. Meaningful only
 * when both snapshots come from one heap-profiler session (see idsComparable).
 */
export function allocatedBetweenMask(analysis: HeapAnalysis, baseMaxJsId: number): Uint8Array {
  const ids = analysis.raw.nodeId;
  const maxId = maxJsNodeId(analysis);
  const mask = new Uint8Array(ids.length);
  for (let n = 0; n < ids.length; n++) mask[n] = ids[n] > baseMaxJsId && ids[n] <= maxId ? 1 : 0;
  return mask;
}

/** The largest id of a JS object (odd ids; even ids are native objects), as DevTools' maxJsNodeId. */
export function maxJsNodeId(analysis: HeapAnalysis): number {
  const ids = analysis.raw.nodeId;
  let max = 0;
  for (let n = 0; n < ids.length; n++) if (ids[n] % 2 === 1 && ids[n] > max) max = ids[n];
  return max;
}

/**
 * DevTools' "retained by" filters: BFS from the root (never through weak edges, nor edges `follow` rejects); the
 * nodes it does not reach but the normal distances do are retained only through the rejected edges.
 */
export function retainedOnlyThrough(
  analysis: HeapAnalysis,
  follow: (from: number, edge: number, to: number) => boolean,
): Uint8Array {
  const { raw, distance } = analysis;
  const { nodeCount, firstEdge, edgeTo, edgeType, rootOrdinal } = raw;
  const weak = raw.layout.edgeType.weak;
  const reached = new Uint8Array(nodeCount);
  const queue = new Uint32Array(nodeCount);
  let length = 0;
  reached[rootOrdinal] = 1;
  queue[length++] = rootOrdinal;
  for (let head = 0; head < length; head++) {
    const node = queue[head];
    for (let e = firstEdge[node], end = firstEdge[node + 1]; e < end; e++) {
      if (edgeType[e] === weak) continue;
      const child = edgeTo[e];
      if (reached[child] || !follow(node, e, child)) continue;
      reached[child] = 1;
      queue[length++] = child;
    }
  }
  const mask = new Uint8Array(nodeCount);
  for (let n = 0; n < nodeCount; n++) mask[n] = !reached[n] && distance[n] !== NO_DISTANCE ? 1 : 0;
  return mask;
}

/** DevTools' event-handler marks: the callback of each V8EventListener (or the first child with code). */
function eventHandlers(analysis: HeapAnalysis): Uint8Array {
  const { raw } = analysis;
  const marks = new Uint8Array(raw.nodeCount);
  const isListener = nameMemo(raw.strings, (s) => s === 'V8EventListener');
  const target = (n: number, name: string): number => {
    for (let e = raw.firstEdge[n], end = raw.firstEdge[n + 1]; e < end; e++)
      if (edgeNameText(raw, e) === name) return raw.edgeTo[e];
    return -1;
  };
  for (let n = 0; n < raw.nodeCount; n++) {
    if (!isListener(raw.nodeName[n])) continue;
    const callback = target(n, '1');
    if (callback < 0) continue;
    if (target(callback, 'code') >= 0) {
      marks[callback] = 1;
      continue;
    }
    let found = false;
    for (let e = raw.firstEdge[callback], end = raw.firstEdge[callback + 1]; e < end; e++) {
      if (target(raw.edgeTo[e], 'code') >= 0) {
        marks[raw.edgeTo[e]] = 1;
        found = true;
        break;
      }
    }
    if (!found) marks[callback] = 1;
  }
  return marks;
}

/** A memoised per-string-index test. */
export function nameMemo(
  strings: HeapAnalysis['raw']['strings'],
  test: (s: string) => boolean,
): (index: number) => boolean {
  const known = new Uint8Array(strings.size);
  return (index) => {
    if (!known[index]) known[index] = test(strings.get(index)) ? 2 : 1;
    return known[index] === 2;
  };
}
