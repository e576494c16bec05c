import type { HeapSnapshotModel } from './model';

/** Whether two snapshots' object ids can be matched, and the evidence. */
export interface IdStability {
  /** False when the snapshots evidently come from different heap-profiler sessions (or processes). */
  comparable: boolean;
  /** Singleton objects (one of a kind in both snapshots) checked, and how many kept their id. */
  checked: number;
  matched: number;
}

/**
 * V8 keeps object ids only while one heap-profiler session lasts. Objects that are one of a kind in both snapshots
 * (the global object, `process`, built-in constructors, …: a unique type+name) keep their id within one session;
 * when most of them changed, the snapshots come from different sessions or processes and id-based comparison
 * (new/deleted objects, "allocated between") is meaningless.
 */
export function idStability(a: HeapSnapshotModel, b: HeapSnapshotModel): IdStability {
  const singletons = (m: HeapSnapshotModel): Map<string, number> => {
    const { raw } = m.analysis;
    const t = raw.layout.nodeType;
    const byKey = new Map<string, number>();
    for (let n = 0; n < raw.nodeCount; n++) {
      const type = raw.nodeType[n];
      // Only heap objects with names: synthetic roots have fixed ids in every process.
      if (type !== t.object && type !== t.closure && type !== t.native) continue;
      const key = `${type}\u0000${raw.nodeName[n] === undefined ? '' : raw.strings.get(raw.nodeName[n])}`;
      byKey.set(key, byKey.has(key) ? -1 : raw.nodeId[n]);
    }
    return byKey;
  };
  const left = singletons(a);
  const right = singletons(b);
  let checked = 0;
  let matched = 0;
  for (const [key, id] of left) {
    if (id < 0) continue;
    const other = right.get(key);
    if (other === undefined || other < 0) continue;
    checked++;
    if (other === id) matched++;
  }
  // Within one session nearly all singletons keep their ids; across sessions nearly none do.
  return { comparable: checked === 0 || matched >= checked / 2, checked, matched };
}
