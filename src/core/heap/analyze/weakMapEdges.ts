import type { HeapStringTable } from '../parse/stringTable';

// V8 names the two edges to a WeakMap value "<n> / part of key (K @id) -> value (V @id) pair in WeakMap (table @id)".
const MIN_LENGTH = '0 / part of key ( @0) -> value ( @0) pair in WeakMap (table @0)'.length;
const EPHEMERON =
  /^\d+(?<duplicatedPart> \/ part of key \(.*? @\d+\) -> value \(.*? @\d+\) pair in WeakMap \(table @(?<tableId>\d+)\))$/;

/** Recognises (and caches, per string index) the names V8 gives WeakMap key→value and table→value edges. */
export class WeakMapEdgeNames {
  private readonly checked: Uint8Array;
  private readonly matches = new Map<number, { duplicatedPart: string; tableId: number }>();

  constructor(private readonly strings: HeapStringTable) {
    this.checked = new Uint8Array(strings.count);
  }

  /** The parsed parts of an ephemeron edge name, or undefined when the name is not one. */
  parse(nameIndex: number): { duplicatedPart: string; tableId: number } | undefined {
    const state = this.checked[nameIndex];
    if (state === 1) return undefined;
    if (state === 2) return this.matches.get(nameIndex);
    // Only long names that start with a digit can match: most strings are never decoded.
    const first = this.strings.rawLength(nameIndex) < MIN_LENGTH ? -1 : this.strings.firstByte(nameIndex);
    const m = first >= 48 && first <= 57 ? EPHEMERON.exec(this.strings.get(nameIndex)) : null;
    if (!m) {
      if (nameIndex < this.checked.length) this.checked[nameIndex] = 1;
      return undefined;
    }
    const parsed = { duplicatedPart: m.groups!.duplicatedPart, tableId: Number(m.groups!.tableId) };
    this.checked[nameIndex] = 2;
    this.matches.set(nameIndex, parsed);
    return parsed;
  }

  /** The distinct WeakMap table ids named so far (all of them after tableIds()), ascending. */
  tableIdList(): Float64Array {
    return Float64Array.from(new Set(Array.from(this.matches.values(), (m) => m.tableId))).sort();
  }

  /**
   * Per snapshot string index: 2 when it names an ephemeron edge, 1 otherwise (every name checked, most never
   * decoded): a BFS tests this array, not a call per edge.
   */
  ephemeronFlags(): Uint8Array {
    const count = this.strings.count;
    for (let s = 0; s < count; s++) if (this.checked[s] === 0) this.parse(s);
    return this.checked;
  }

  /** Per snapshot string index: the table id of an ephemeron edge name, or -1 (plain data for the helper thread). */
  tableIds(): Float64Array {
    const count = this.strings.count;
    const ids = new Float64Array(count).fill(-1);
    for (let s = 0; s < count; s++) {
      if (this.checked[s] === 1 || this.strings.rawLength(s) < MIN_LENGTH) continue;
      const match = this.parse(s);
      if (match) ids[s] = match.tableId;
    }
    return ids;
  }
}
