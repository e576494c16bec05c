// Filtering, sorting and paging of the class summary (the viewer's object-type tree), run where the model lives.
import type { ClassSummaryRow, Page } from '../types';

/** Columns the class summary can be sorted by. */
export type ClassSortKey = 'name' | 'distance' | 'count' | 'selfSize' | 'retainedSize';

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
  const dir = descending ? -1 : 1;
  matched.sort((a, b) => {
    const primary = sort === 'name' ? a.name.localeCompare(b.name) : a[sort] - b[sort];
    return primary * dir || b.retainedSize - a.retainedSize || a.key.localeCompare(b.key);
  });
  const start = Math.min(Math.max(0, offset), matched.length);
  return {
    items: matched
      .slice(start, start + Math.max(0, limit))
      .map(({ key, name, count, selfSize, retainedSize, distance }) => ({
        key,
        name,
        count,
        selfSize,
        retainedSize,
        distance,
      })),
    total: matched.length,
    offset: start,
  };
}
