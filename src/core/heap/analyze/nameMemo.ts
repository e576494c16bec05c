import type { HeapStringTable } from '../parse/stringTable';

/** A memoised per-string-index test: each snapshot string is decoded and tested once, not once per node or edge. */
export function nameMemo(strings: HeapStringTable, test: (s: string) => boolean): (index: number) => boolean {
  const known = new Uint8Array(strings.size);
  return (index) => {
    if (!known[index]) known[index] = test(strings.get(index)) ? 2 : 1;
    return known[index] === 2;
  };
}
