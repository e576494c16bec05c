import type { HeapAnalysis } from '../analyze/analysis';
import { nodeDisplayName } from '../analyze/nodeNames';
import type { RawHeapSnapshot } from '../rawSnapshot';

/** One string value stored more than once (DevTools' DuplicateStringGroup, plus the bytes all but one copy waste). */
export interface DuplicateStringGroup {
  /** The first 100 characters. */
  value: string;
  count: number;
  totalSelfSize: number;
  totalRetainedSize: number;
  /** totalSelfSize minus one copy's self size: what keeping one (the smallest) copy would save. */
  wastedBytes: number;
}

/** Internal named edge of a node (DevTools' findInternalEdgeTarget), or -1. */
function internalTarget(raw: RawHeapSnapshot, n: number, name: string): number {
  const internal = raw.layout.edgeType.internal;
  for (let e = raw.firstEdge[n], end = raw.firstEdge[n + 1]; e < end; e++)
    if (raw.edgeType[e] === internal && raw.strings.get(raw.edgeName[e]) === name) return raw.edgeTo[e];
  return -1;
}

/** The `value` of a V8 boxed number node named `kind` ("int", "bool"), as its raw name; undefined otherwise. */
function boxedValue(raw: RawHeapSnapshot, n: number, kind: string): string | undefined {
  if (n < 0 || raw.nodeType[n] !== raw.layout.nodeType.number || raw.strings.get(raw.nodeName[n]) !== kind)
    return undefined;
  const v = internalTarget(raw, n, 'value');
  return v < 0 ? undefined : raw.strings.get(raw.nodeName[v]);
}

/** Group key of a string node: its value, or for truncated strings (newer V8) value + length + hash. */
interface StringKey {
  name: string;
  truncated: boolean;
  length?: number;
  hash?: number;
}

function intValue(raw: RawHeapSnapshot, n: number): number | undefined {
  const text = boxedValue(raw, n, 'int');
  if (text === undefined) return undefined;
  const v = parseInt(text, 10);
  return Number.isNaN(v) ? undefined : v;
}

/** The string nodes DevTools considers for duplicates, in ordinal order, with their keys. */
function* candidateStrings(raw: RawHeapSnapshot): Generator<[number, StringKey]> {
  const { string, consString } = raw.layout.nodeType;
  const internal = raw.layout.edgeType.internal;
  for (let n = 0; n < raw.nodeCount; n++) {
    const type = raw.nodeType[n];
    if (type !== string && type !== consString) continue;
    // A flattened cons string (one part empty) is V8's business, not a duplicate.
    if (type === consString) {
      let flat = false;
      for (let e = raw.firstEdge[n], end = raw.firstEdge[n + 1]; e < end && !flat; e++) {
        if (raw.edgeType[e] !== internal) continue;
        const en = raw.strings.get(raw.edgeName[e]);
        if ((en === 'first' || en === 'second') && nodeDisplayName(raw, raw.edgeTo[e]) === '') flat = true;
      }
      if (flat) continue;
    }
    if (!raw.nodeSelfSize[n]) continue;
    const name = nodeDisplayName(raw, n);
    // V8 has one empty string; many empty names are value-less strings (JavaScriptCore's, converted), not duplicates.
    if (name === '') continue;
    if (boxedValue(raw, internalTarget(raw, n, 'truncated'), 'bool') === 'true') {
      const length = intValue(raw, internalTarget(raw, n, 'length'));
      const hash = intValue(raw, internalTarget(raw, n, 'hash'));
      yield [n, { name, truncated: true, length, hash }];
    } else yield [n, { name, truncated: false }];
  }
}

function keyText(k: StringKey): string {
  return k.truncated ? `${k.length}\u0000${k.hash}` : '';
}

/** DevTools' duplicatedStrings filter: string nodes whose value another string node also holds. */
export function duplicatedStringMask(analysis: HeapAnalysis): Uint8Array {
  const { raw } = analysis;
  const mask = new Uint8Array(raw.nodeCount);
  const first = new Map<string, number>();
  const firstTruncated = new Map<string, Map<string, number>>();
  for (const [n, key] of candidateStrings(raw)) {
    let seen: Map<string, number> | undefined;
    if (key.truncated) {
      seen = firstTruncated.get(key.name);
      if (!seen) firstTruncated.set(key.name, (seen = new Map<string, number>()));
    }
    const map = seen ?? first;
    const k = key.truncated ? keyText(key) : key.name;
    const earlier = map.get(k);
    if (earlier === undefined) map.set(k, n);
    else mask[earlier] = mask[n] = 1;
  }
  return mask;
}

/**
 * DevTools' getDuplicateStrings: groups of equal string values, by total retained size descending (ties: plain
 * strings in first-seen order, then truncated ones grouped by value).
 */
export function duplicateStrings(
  analysis: HeapAnalysis,
  mask = duplicatedStringMask(analysis),
): DuplicateStringGroup[] {
  const { raw, tree } = analysis;
  const retained = tree.retainedSize;
  interface Group extends DuplicateStringGroup {
    minSelf: number;
  }
  const plain = new Map<string, Group>();
  const truncated = new Map<string, Map<string, Group>>();
  for (const [n, key] of candidateStrings(raw)) {
    if (!mask[n]) continue;
    let map = plain;
    let k = key.name;
    if (key.truncated) {
      let perName = truncated.get(key.name);
      if (!perName) truncated.set(key.name, (perName = new Map<string, Group>()));
      map = perName;
      k = keyText(key);
    }
    let g = map.get(k);
    if (!g) {
      g = { value: key.name, count: 0, totalSelfSize: 0, totalRetainedSize: 0, wastedBytes: 0, minSelf: Infinity };
      map.set(k, g);
    }
    g.count++;
    g.minSelf = Math.min(g.minSelf, raw.nodeSelfSize[n]);
    g.totalSelfSize += raw.nodeSelfSize[n];
    g.totalRetainedSize += retained[n];
  }
  const all = [...plain.values(), ...[...truncated.values()].flatMap((m) => [...m.values()])];
  all.sort((a, b) => b.totalRetainedSize - a.totalRetainedSize);
  return all.map((g) => ({
    value: g.value.slice(0, 100),
    count: g.count,
    totalSelfSize: g.totalSelfSize,
    totalRetainedSize: g.totalRetainedSize,
    // All copies but the smallest one are redundant.
    wastedBytes: g.totalSelfSize - g.minSelf,
  }));
}
