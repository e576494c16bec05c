import type { HeapStringTable } from './stringTable';

// V8 names the two edges to a WeakMap value "<n> / part of key (K @id) -> value (V @id) pair in WeakMap (table @id)".
const MIN_LENGTH = '0 / part of key ( @0) -> value ( @0) pair in WeakMap (table @0)'.length;
const EPHEMERON = /^\d+(?<duplicatedPart> \/ part of key \(.*? @\d+\) -> value \(.*? @\d+\) pair in WeakMap \(table @(?<tableId>\d+)\))$/;

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
    // The shortest possible ephemeron name is longer than MIN_LENGTH: skip decoding the many short internal names.
    const name = this.strings.rawLength(nameIndex) < MIN_LENGTH ? '' : this.strings.get(nameIndex);
    const code = name.charCodeAt(0);
    const m = code >= 48 && code <= 57 ? EPHEMERON.exec(name) : null;
    if (!m) {
      this.checked[nameIndex] = 1;
      return undefined;
    }
    const parsed = { duplicatedPart: m.groups!.duplicatedPart!, tableId: Number(m.groups!.tableId) };
    this.checked[nameIndex] = 2;
    this.matches.set(nameIndex, parsed);
    return parsed;
  }
}
