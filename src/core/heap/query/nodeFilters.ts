import type { HeapAnalysis } from '../analyze/analysis';
import { retainedOnlyThrough, stringsMatching } from './namedFilters';

/**
 * Node.js retention filters, defined like DevTools' "retained by" filters: the objects that become unreachable
 * when the named kind of edge is cut (and that are reachable otherwise).
 */
export const NODE_FILTERS = {
  /** Listeners of EventEmitters and `process` (their `_events` tables). */
  'retained-by-event-listeners': 'references to the _events tables',
  /** Timeout / Immediate objects (setTimeout, setInterval, setImmediate) and their callbacks. */
  'retained-by-timers': 'edges into Timeout and Immediate objects',
  /** CommonJS `require.cache` Module objects and ES module records. */
  'retained-by-module-cache': 'edges into Module and ModuleWrap objects',
  /** Promises (pending ones keep their reactions and callbacks alive) and their reaction records. */
  'retained-by-promises': 'edges into Promise objects and promise reactions',
  /** AsyncLocalStorage stores carried by async resources. */
  'retained-by-async-local-storage': 'kResourceStore references and AsyncContextFrame objects',
} as const;

/** A Node.js retention filter name. */
export type NodeFilter = keyof typeof NODE_FILTERS;

/** Whether `name` is one of NODE_FILTERS. */
export function isNodeFilter(name: string): name is NodeFilter {
  return Object.hasOwn(NODE_FILTERS, name);
}

/** Per-node mask of the objects retained only through the filter's kind of edge. */
export function nodeFilterMask(analysis: HeapAnalysis, filter: NodeFilter): Uint8Array {
  const { raw, classes } = analysis;
  const classIn = (names: string[]): Uint8Array => {
    const set = new Set(names);
    return Uint8Array.from(classes.names, (n) => (set.has(n) ? 1 : 0));
  };
  const { classOf } = classes;
  const intoClass = (names: string[]) => {
    const cut = classIn(names);
    const into = new Uint8Array(raw.nodeCount);
    for (let n = 0; n < raw.nodeCount; n++) into[n] = cut[classOf[n]];
    return retainedOnlyThrough(analysis, { into });
  };
  switch (filter) {
    case 'retained-by-event-listeners': {
      // Cut every reference to the `_events` tables, not just the property edge: V8 also lists out-of-object
      // properties as internal edges of the owner's property array.
      const isEvents = stringsMatching(raw.strings, '_events', (s) => s === '_events');
      const property = raw.layout.edgeType.property;
      const tables = new Uint8Array(raw.nodeCount);
      for (let e = 0; e < raw.edgeCount; e++)
        if (raw.edgeType[e] === property && isEvents[raw.edgeName[e]]) tables[raw.edgeTo[e]] = 1;
      return retainedOnlyThrough(analysis, { into: tables });
    }
    case 'retained-by-timers':
      return intoClass(['Timeout', 'Immediate']);
    case 'retained-by-module-cache':
      return intoClass(['Module', 'ModuleWrap']);
    case 'retained-by-promises':
      return intoClass(['Promise', 'system / PromiseReaction', 'system / PromiseReactionJobTask']);
    case 'retained-by-async-local-storage': {
      // Node ≤ 22 keeps a store on each async resource under the storage's own kResourceStore symbol; newer
      // versions keep the stores in AsyncContextFrame maps.
      // Both as flags, found in one sequential pass each, so the walk calls nothing per edge.
      const frame = classIn(['AsyncContextFrame']);
      const into = new Uint8Array(raw.nodeCount);
      for (let n = 0; n < raw.nodeCount; n++) into[n] = frame[classOf[n]];
      // The store keys' names, found in the string table's bytes (no snapshot without them pays a pass over the edges).
      const storeKeys = raw.strings.indicesContaining('kResourceStore');
      if (!storeKeys.length) return retainedOnlyThrough(analysis, { into });
      const isStoreKey = new Uint8Array(raw.strings.size);
      for (const id of storeKeys) isStoreKey[id] = 1;
      const { element, hidden } = raw.layout.edgeType;
      const edges = new Int32Array((raw.edgeCount >>> 5) + 1);
      for (let e = 0; e < raw.edgeCount; e++) {
        const t = raw.edgeType[e];
        if (t !== element && t !== hidden && isStoreKey[raw.edgeName[e]]) edges[e >>> 5] |= 1 << (e & 31);
      }
      return retainedOnlyThrough(analysis, { into, edges });
    }
  }
  throw new RangeError(`unknown filter ${String(filter)}`);
}
