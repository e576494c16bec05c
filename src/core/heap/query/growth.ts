import type { HeapSnapshotModel } from './model';
import { retainerPathSignature } from './compare';
import { idStability } from './sameSession';
import { nameMemo } from './namedFilters';
import { snapshotPairWarnings } from './snapshotPair';

/** A collection or object that grew in every step of a series of snapshots of one process. */
export interface GrowingObject {
  id: number;
  /** Retainer path in the last snapshot, "Class.edge → …" from the GC roots. */
  path: string;
  /** "Array", "Map", "Set", "WeakMap", "WeakSet" or "Object" (any other JS object, by its properties). */
  kind: string;
  /** References the object holds in each snapshot: elements, map/set keys and values, properties. */
  sizes: number[];
  retainedSizes: number[];
}

const COLLECTIONS = new Set(['Array', 'Map', 'Set', 'WeakMap', 'WeakSet']);
/** Hash-table stores (Map, Set, dictionary-mode properties) whose slots count as the owner's references; arrays and objects list theirs directly. */
const STORES = new Set(['table', 'properties']);

/** Per-snapshot memoised name tests (string lookups per edge would dominate). */
function entryCounter(model: HeapSnapshotModel): (n: number) => number {
  const { raw } = model.analysis;
  const { element, property, internal, hidden } = raw.layout.edgeType;
  const isStore = nameMemo(raw.strings, (s) => STORES.has(s));
  const isProto = nameMemo(raw.strings, (s) => s === '__proto__');
  const isIndex = nameMemo(raw.strings, (s) => /^\d+$/.test(s));
  const { firstEdge, edgeType, edgeName, edgeTo } = raw;
  return (n) => {
    let count = 0;
    for (let e = firstEdge[n], end = firstEdge[n + 1]; e < end; e++) {
      const type = edgeType[e];
      if (type === element || (type === property && !isProto(edgeName[e]))) count++;
      else if (type === internal && isStore(edgeName[e])) {
        // Hash tables list their slots as internal edges named by slot index.
        const store = edgeTo[e];
        for (let s = firstEdge[store], sEnd = firstEdge[store + 1]; s < sEnd; s++) {
          const st = edgeType[s];
          if (st === element || st === hidden || (st === internal && isIndex(edgeName[s]))) count++;
        }
      }
    }
    return count;
  };
}

/**
 * memlab's unbound collections with statistics: JS objects (arrays, maps, sets, plain and class instances) present
 * in every snapshot (same id) whose entry count grows in every step, ranked by retained-size growth. Empty when
 * fewer than 3 snapshots or when their ids are not comparable (different sessions).
 */
export function findGrowing(models: HeapSnapshotModel[], limit = 100): GrowingObject[] {
  if (models.length < 3) return [];
  const first = models[0];
  const last = models[models.length - 1];
  if (!idStability(first, last).comparable) return [];
  const { raw, classes } = last.analysis;
  const objectType = raw.layout.nodeType.object;
  const found: GrowingObject[] = [];
  const counters = models.map(entryCounter);
  const entryCount = (m: number, n: number) => counters[m](n);
  for (let n = 0; n < raw.nodeCount; n++) {
    if (raw.nodeType[n] !== objectType) continue;
    const id = raw.nodeId[n];
    const lastSize = entryCount(models.length - 1, n);
    const firstOrdinal = first.ordinalOf(id);
    if (firstOrdinal < 0 || entryCount(0, firstOrdinal) >= lastSize) continue;
    const sizes: number[] = [];
    const retainedSizes: number[] = [];
    let grows = true;
    for (let i = 0; i < models.length; i++) {
      const m = models[i];
      const o = m === last ? n : m.ordinalOf(id);
      if (o < 0) {
        grows = false;
        break;
      }
      const size = entryCount(i, o);
      if (sizes.length && size <= sizes[sizes.length - 1]) {
        grows = false;
        break;
      }
      sizes.push(size);
      retainedSizes.push(m.analysis.tree.retainedSize[o]);
    }
    if (!grows) continue;
    const name = classes.names[classes.classOf[n]];
    found.push({
      id,
      path: retainerPathSignature(last, n, last.analysis.parentEdge).join(' → '),
      kind: COLLECTIONS.has(name) ? name : 'Object',
      sizes,
      retainedSizes,
    });
  }
  found.sort(
    (a, b) =>
      b.retainedSizes[b.retainedSizes.length - 1] -
        b.retainedSizes[0] -
        (a.retainedSizes[a.retainedSizes.length - 1] - a.retainedSizes[0]) ||
      b.sizes[b.sizes.length - 1] - b.sizes[0] - (a.sizes[a.sizes.length - 1] - a.sizes[0]) ||
      a.id - b.id,
  );
  return found.slice(0, limit);
}

/**
 * Why a series of snapshots (oldest first) cannot be compared object by object: each consecutive pair's warnings,
 * then whether the first and last share their ids. `labels` name the snapshots (file names), `consequence` says
 * what that means for the result.
 */
export function seriesWarnings(models: HeapSnapshotModel[], labels: string[], consequence: string): string[] {
  const warnings = models.slice(1).flatMap((m, i) => snapshotPairWarnings(models[i], m));
  const last = models.length - 1;
  const ids = idStability(models[0], models[last]);
  if (!ids.comparable)
    warnings.push(
      `${labels[0]} and ${labels[last]} come from different heap-profiler sessions (only ${ids.matched} of ${ids.checked} one-of-a-kind objects kept their id): ${consequence}`,
    );
  return warnings;
}
