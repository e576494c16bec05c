import type { HeapAnalysis } from '../analyze/analysis';
import { nameMemo } from '../analyze/nameMemo';

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
  const { raw, tree } = analysis;
  const { nodeCount, nodeType, nodeName, nodeSelfSize, strings, firstEdge, edgeType, edgeName, edgeTo } = raw;
  const t = raw.layout.nodeType;
  const internal = raw.layout.edgeType.internal;
  const extra = raw.header.extra_native_bytes ?? 0;
  const { firstRetainer } = analysis.retainers;
  // Names compared per string index once, not per node.
  const nameIs = (text: string) => nameMemo(strings, (s) => s === text);
  const isArrayBufferData = nameIs('system / JSArrayBufferData');
  const isArray = nameIs('Array');
  const isElements = nameIs('elements');
  let native = extra;
  let typedArrays = 0;
  let code = 0;
  let stringBytes = 0;
  let jsArrays = 0;
  let system = 0;
  for (let n = 0; n < nodeCount; n++) {
    const size = nodeSelfSize[n];
    const type = nodeType[n];
    if (type === t.hidden) system += size;
    else if (type === t.native) {
      native += size;
      if (isArrayBufferData(nodeName[n])) typedArrays += size;
    } else if (type === t.code) code += size;
    else if (type === t.consString || type === t.slicedString || type === t.string) stringBytes += size;
    else if (isArray(nodeName[n])) {
      let arraySize = size;
      for (let e = firstEdge[n], end = firstEdge[n + 1]; e < end; e++) {
        if (edgeType[e] !== internal || !isElements(edgeName[e])) continue;
        const elements = edgeTo[e];
        if (firstRetainer[elements + 1] - firstRetainer[elements] === 1) arraySize += nodeSelfSize[elements];
        break;
      }
      jsArrays += arraySize;
    }
  }
  const total = tree.retainedSize[raw.rootOrdinal] + extra;
  return {
    total,
    v8heap: { total: total - native, code, strings: stringBytes, jsArrays, system },
    native: { total: native, typedArrays },
  };
}
