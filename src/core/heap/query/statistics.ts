import type { HeapAnalysis } from '../analyze/analysis';
import { stringsMatching } from './namedFilters';
import type { RawHeapSnapshot } from '../rawSnapshot';

/** DevTools' Statistics view: where the heap's bytes go (getStatistics()). */
export interface HeapStatistics {
  /** Retained size of the root plus the snapshot's extra_native_bytes. */
  total: number;
  v8heap: { total: number; code: number; strings: number; jsArrays: number; system: number };
  native: { total: number; typedArrays: number };
}

/**
 * DevTools' JSHeapSnapshot.calculateStatistics over the folded self sizes: hidden → system, native → native (typed
 * array backing stores separately), code, the three string types, and JS arrays with their `elements` store when
 * the array is its only retainer.
 */
export function computeStatistics(analysis: HeapAnalysis): HeapStatistics {
  const { native, typedArrays, code, strings, jsArrays, system, allSelf } = statisticsParts(analysis.raw);
  // The root's retained size: every node is in the dominator tree (unreachable cycles hang off the root), so it is
  // the sum of all (folded) self sizes. Read from the tree, it waited for the helper thread's by-node arrays.
  const total = allSelf + native.extra;
  return {
    total,
    v8heap: { total: total - native.bytes, code, strings, jsArrays, system },
    native: { total: native.bytes, typedArrays },
  };
}

interface StatisticsParts {
  native: { bytes: number; extra: number };
  typedArrays: number;
  code: number;
  strings: number;
  jsArrays: number;
  system: number;
  /** All nodes' folded self sizes. */
  allSelf: number;
}

const partsCache = new WeakMap<RawHeapSnapshot, StatisticsParts>();

/** Whether statisticsParts of `raw` were computed already (during the load, when asked for). */
export function statisticsPartsComputed(raw: RawHeapSnapshot): boolean {
  return partsCache.has(raw);
}

/**
 * Everything of the statistics, from the folded self sizes (no dominator tree), cached per snapshot: loadHeapSnapshot
 * can compute it while the analysis waits for its helper thread (LoadOptions.whileWaiting).
 */
export function statisticsParts(raw: RawHeapSnapshot): StatisticsParts {
  const cached = partsCache.get(raw);
  if (cached) return cached;
  const { nodeCount, nodeType, nodeName, nodeSelfSize, strings, firstEdge, edgeType, edgeName, edgeTo } = raw;
  const t = raw.layout.nodeType;
  const internal = raw.layout.edgeType.internal;
  const extra = raw.header.extra_native_bytes ?? 0;
  // A flag per string index, tested only on the strings whose bytes hold the name (a memo tested per node decoded all
  // of a 1 GB snapshot's 1.6 M strings when it came first, as in `memmon analyze`).
  const nameIs = (text: string) => {
    const flags = stringsMatching(strings, text, (s) => s === text);
    return (index: number) => flags[index] === 1;
  };
  const isArrayBufferData = nameIs('system / JSArrayBufferData');
  const isArray = nameIs('Array');
  const isElements = nameIs('elements');
  // An array's `elements` store counts as the array's when the array is its only retainer. The retainer lists are built
  // in the background after open (first use here waited for them or built them again: 2.5 s of `memmon analyze` on
  // 1 GB), so the stores are marked below and their retainers counted in one pass over the edges: a store with one
  // retainer has just the edge from its array.
  const store = new Uint8Array(nodeCount);
  let native = extra;
  let typedArrays = 0;
  let code = 0;
  let stringBytes = 0;
  let jsArrays = 0;
  let system = 0;
  let allSelf = 0;
  for (let n = 0; n < nodeCount; n++) {
    const size = nodeSelfSize[n];
    allSelf += size;
    const type = nodeType[n];
    if (type === t.hidden) system += size;
    else if (type === t.native) {
      native += size;
      if (isArrayBufferData(nodeName[n])) typedArrays += size;
    } else if (type === t.code) code += size;
    else if (type === t.consString || type === t.slicedString || type === t.string) stringBytes += size;
    else if (isArray(nodeName[n])) {
      jsArrays += size;
      for (let e = firstEdge[n], end = firstEdge[n + 1]; e < end; e++)
        if (edgeType[e] === internal && isElements(edgeName[e])) {
          store[edgeTo[e]] = 1;
          break;
        }
    }
  }
  // 1: a store, then 2 once it has one retainer, 3 with more (saturating).
  for (let e = 0, count = edgeTo.length; e < count; e++) {
    const c = store[edgeTo[e]];
    if (c !== 0 && c < 3) store[edgeTo[e]] = c + 1;
  }
  for (let n = 0; n < nodeCount; n++) if (store[n] === 2) jsArrays += nodeSelfSize[n];
  const parts = {
    native: { bytes: native, extra },
    typedArrays,
    code,
    strings: stringBytes,
    jsArrays,
    system,
    allSelf,
  };
  partsCache.set(raw, parts);
  return parts;
}
