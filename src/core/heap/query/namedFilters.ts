import type { HeapAnalysis } from '../analyze/analysis';
import { edgeNameText } from '../analyze/nodeNames';
import { duplicatedStringMask } from './duplicateStrings';
import { nameMemo } from '../analyze/nameMemo';
import type { HeapStringTable } from '../parse/stringTable';

export { nameMemo };

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
  const { strings, nodeType } = raw;
  switch (filter) {
    case 'duplicated-strings':
      return duplicatedStringMask(analysis);
    case 'retained-by-contexts': {
      const into = nodesNamedContaining(
        analysis,
        'system / Context',
        (s) => s === 'system / Context' || s.startsWith('system / Context / '),
      );
      return retainedOnlyThrough(analysis, { into });
    }
    case 'retained-by-detached-dom': {
      const state = raw.nodeDetachedness;
      const into = new Uint8Array(raw.nodeCount);
      if (state) for (let n = 0; n < raw.nodeCount; n++) if ((state[n] & 3) === DETACHED) into[n] = 1;
      return retainedOnlyThrough(analysis, { into });
    }
    case 'retained-by-console': {
      const synthetic = raw.layout.nodeType.synthetic;
      const { element, hidden, shortcut } = raw.layout.edgeType;
      const consoleName = nameMemo(strings, (s) => s.endsWith(' / DevTools console'));
      // The cut edges (named edges of synthetic nodes to the console) as a bit per edge: no call per edge in the walk.
      const edges = new Int32Array((raw.edgeCount >>> 5) + 1);
      for (let n = 0; n < raw.nodeCount; n++) {
        if (nodeType[n] !== synthetic) continue;
        for (let e = raw.firstEdge[n], end = raw.firstEdge[n + 1]; e < end; e++) {
          const et = raw.edgeType[e];
          if (et === element || et === hidden) continue;
          // Shortcut edges with numeric names count as index edges (DevTools' hasStringName).
          if (et === shortcut && !Number.isNaN(parseInt(strings.get(raw.edgeName[e]), 10))) continue;
          if (consoleName(raw.edgeName[e])) edges[e >>> 5] |= 1 << (e & 31);
        }
      }
      return retainedOnlyThrough(analysis, { edges });
    }
    case 'retained-by-event-handlers': {
      return retainedOnlyThrough(analysis, { into: eventHandlers(analysis) });
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
 * What a "retained by" filter cuts: every edge into the nodes a per-node flag marks (`into`) and the edges a bit per
 * edge marks (`edges`, bit e of word e >>> 5). Flags found in a sequential pass beforehand: the walk calls nothing per
 * edge (a predicate would be called for each of the 38 M edges of a 1 GB snapshot).
 */
export type EdgeCut = { into?: Uint8Array; edges?: Int32Array };

/**
 * A flag per string index: whether `test` accepts the string, tested only on those whose stored bytes contain `ascii`
 * (and on strings added after parsing): nothing else is decoded.
 */
export function stringsMatching(strings: HeapStringTable, ascii: string, test: (value: string) => boolean): Uint8Array {
  const accepted = new Uint8Array(strings.size);
  for (const i of strings.indicesContaining(ascii)) if (test(strings.get(i))) accepted[i] = 1;
  for (let i = strings.count; i < accepted.length; i++) if (test(strings.get(i))) accepted[i] = 1;
  return accepted;
}

/**
 * A flag per node: whether `test` accepts its name, tested only on the strings whose stored bytes contain `ascii`
 * (HeapStringTable.indicesContaining; plus names added after parsing). Testing every name through a memo decoded
 * each of a 1 GB snapshot's 1.6 M strings on first use: 330 ms of the contexts filter, now ~80.
 */
export function nodesNamedContaining(
  analysis: HeapAnalysis,
  ascii: string,
  test: (name: string) => boolean,
): Uint8Array {
  const { strings, nodeName, nodeCount } = analysis.raw;
  const accepted = stringsMatching(strings, ascii, test);
  const flags = new Uint8Array(nodeCount);
  for (let n = 0; n < nodeCount; n++) if (accepted[nodeName[n]]) flags[n] = 1;
  return flags;
}

/**
 * DevTools' "retained by" filters: the nodes reachable from the root (never through weak edges, nor cut edges); those
 * it does not reach but the normal distances do are retained only through the cut edges. Reachability needs no
 * breadth-first order, so a depth-first walk finds it: it follows the snapshot's locality (an object's children sit
 * near it) where a BFS jumps across the whole graph, and on a 1 GB snapshot it takes half the time. With a per-node
 * cut the cut nodes start out marked, so the walk's one test per edge is a bit in a core's cache.
 */
export function retainedOnlyThrough(analysis: HeapAnalysis, cut: EdgeCut): Uint8Array {
  const { raw, distance } = analysis;
  const { nodeCount, firstEdge, edgeTo, edgeType, rootOrdinal } = raw;
  const weak = raw.layout.edgeType.weak;
  const reached = new Int32Array((nodeCount >>> 5) + 1);
  const { into, edges: cutEdges } = cut;
  if (into) for (let n = 0; n < nodeCount; n++) if (into[n]) reached[n >>> 5] |= 1 << (n & 31);
  const stack = new Uint32Array(nodeCount);
  let top = 0;
  reached[rootOrdinal >>> 5] |= 1 << (rootOrdinal & 31);
  stack[top++] = rootOrdinal;
  while (top > 0) {
    const node = stack[--top];
    for (let e = firstEdge[node], end = firstEdge[node + 1]; e < end; e++) {
      const child = edgeTo[e];
      if ((reached[child >>> 5] & (1 << (child & 31))) !== 0 || edgeType[e] === weak) continue;
      if (cutEdges !== undefined && (cutEdges[e >>> 5] & (1 << (e & 31))) !== 0) continue;
      reached[child >>> 5] |= 1 << (child & 31);
      stack[top++] = child;
    }
  }
  const mask = new Uint8Array(nodeCount);
  for (let n = 0; n < nodeCount; n++) {
    const notReached = (reached[n >>> 5] & (1 << (n & 31))) === 0 || (into !== undefined && into[n] !== 0);
    mask[n] = notReached && distance[n] !== NO_DISTANCE && n !== rootOrdinal ? 1 : 0;
  }
  return mask;
}

/** DevTools' event-handler marks: the callback of each V8EventListener (or the first child with code). */
function eventHandlers(analysis: HeapAnalysis): Uint8Array {
  const { raw } = analysis;
  const marks = new Uint8Array(raw.nodeCount);
  const listeners = nodesNamedContaining(analysis, 'V8EventListener', (s) => s === 'V8EventListener');
  const target = (n: number, name: string): number => {
    for (let e = raw.firstEdge[n], end = raw.firstEdge[n + 1]; e < end; e++)
      if (edgeNameText(raw, e) === name) return raw.edgeTo[e];
    return -1;
  };
  for (let n = 0; n < raw.nodeCount; n++) {
    if (!listeners[n]) continue;
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
