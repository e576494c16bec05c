// Filtering, sorting and paging of the class summary (the viewer's object-type tree), run where the model lives.
import type { ClassSummaryRow, Page } from '../types';
import { classHasSource } from './sourceLocations';

/** Columns the class summary can be sorted by. */
export type ClassSortKey = 'name' | 'distance' | 'count' | 'selfSize' | 'retainedSize';

/** A row the Summary sorts: a class, or a source file with its totals. */
interface SortableRow {
  count: number;
  selfSize: number;
  retainedSize: number;
  distance: number;
}

/**
 * Sorts rows by a column (`nameOf` for "name"; ties by retained size, then `tieKey`) and returns one page, the
 * rows mapped by `view`. Rows `last` marks come after all others, whatever the column.
 */
export function sortedPage<T extends SortableRow, V>(
  rows: T[],
  nameOf: (r: T) => string,
  tieKey: (r: T) => string,
  sort: ClassSortKey,
  descending: boolean,
  offset: number,
  limit: number,
  view: (r: T, index: number) => V,
  last: (r: T) => boolean = () => false,
): Page<V> {
  const dir = descending ? -1 : 1;
  const sorted = rows
    .map((r, i) => ({ r, i }))
    .sort(({ r: a }, { r: b }) => {
      const pinned = Number(last(a)) - Number(last(b));
      if (pinned) return pinned;
      const primary = sort === 'name' ? nameOf(a).localeCompare(nameOf(b)) : a[sort] - b[sort];
      return primary * dir || b.retainedSize - a.retainedSize || tieKey(a).localeCompare(tieKey(b));
    });
  const start = Math.min(Math.max(0, offset), sorted.length);
  return {
    items: sorted.slice(start, start + Math.max(0, limit)).map(({ r, i }) => view(r, i)),
    total: sorted.length,
    offset: start,
  };
}

/** Filters classes by a case-insensitive substring of the name, sorts by a column, returns one page. */
export function filterAndSortClasses(
  rows: readonly ClassSummaryRow[],
  filter: string,
  sort: ClassSortKey,
  descending: boolean,
  offset: number,
  limit: number,
): Page<ClassSummaryRow> {
  const needle = filter.trim().toLowerCase();
  const matched = needle ? rows.filter((r) => r.name.toLowerCase().includes(needle)) : [...rows];
  return sortedPage(
    matched,
    (r) => r.name,
    (r) => r.key,
    sort,
    descending,
    offset,
    limit,
    ({ key, name, count, selfSize, retainedSize, distance }) => ({
      key,
      name,
      count,
      selfSize,
      retainedSize,
      distance,
      hasSource: classHasSource(key),
    }),
  );
}
