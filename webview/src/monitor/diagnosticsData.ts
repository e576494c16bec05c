// Pure shaping of watched counts and diagnostic GC results for the Diagnostics tab. No DOM.
import type { GcEffectView, HeapSpaceView, ObjectCountsView } from '../../../src/shared/protocol';

/** One row of the watched-classes table. */
export interface WatchedRow {
  name: string;
  /** Latest count, null when the class was never counted. */
  count: number | null;
  /** Latest minus first count of this session. */
  change: number | null;
  /** Why the class could not be counted (plain text), if it could not. */
  problem: string | null;
}

/** Latest count, change since the first count, and problem of each watched class (setting order, then others seen). */
export function watchedRows(classes: readonly string[], objects: readonly ObjectCountsView[]): WatchedRow[] {
  const names = [...classes];
  for (const o of objects) for (const n of Object.keys(o.counts)) if (!names.includes(n)) names.push(n);
  return names.map((name) => {
    let first: number | null = null;
    let last: number | null = null;
    let problem: string | null = null;
    for (const o of objects) {
      const c = o.counts[name];
      if (c !== undefined) {
        first ??= c;
        last = c;
        problem = null;
      } else if (o.unresolved?.[name]) {
        problem = o.unresolved[name]!;
      }
    }
    return { name, count: last, change: last !== null && first !== null ? last - first : null, problem };
  });
}

/** Chart points (x = time, y = count) per class. */
export function countSeries(
  names: readonly string[],
  objects: readonly ObjectCountsView[],
): { x: number; y: number }[][] {
  return names.map((name) =>
    objects.filter((o) => o.counts[name] !== undefined).map((o) => ({ x: o.t, y: o.counts[name] })),
  );
}

/** One row of the per-space table of a detailed diagnostic GC. */
export interface SpaceRow extends HeapSpaceView {
  freed: number;
}

/** Spaces of the latest detailed GC, biggest before first, with what each freed; null when none was detailed. */
export function latestSpaces(gcs: readonly GcEffectView[]): { gc: GcEffectView; rows: SpaceRow[] } | null {
  for (let i = gcs.length - 1; i >= 0; i--) {
    const gc = gcs[i];
    if (gc.spaces === undefined) continue;
    const rows = (gc.spaces ?? [])
      .map((s) => ({ ...s, freed: s.usedBefore - s.usedAfter }))
      .sort((a, b) => b.usedBefore - a.usedBefore);
    return { gc, rows };
  }
  return null;
}
