import type { HeapAnalysis } from '../analyze/analysis';
import { nodeDisplayName } from '../analyze/nodeNames';
import type { RawHeapSnapshot } from '../rawSnapshot';
import { nameMemo } from './namedFilters';

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

/** Per snapshot: which string index holds which of the few edge names looked up here (decoded once each). */
const edgeNameTests = new WeakMap<RawHeapSnapshot, Map<string, (id: number) => boolean>>();

/** A test of whether string `id` is `name`, kept per snapshot and name: each string is decoded once, not once per edge. */
function nameTest(raw: RawHeapSnapshot, name: string): (id: number) => boolean {
  let byName = edgeNameTests.get(raw);
  if (!byName) edgeNameTests.set(raw, (byName = new Map<string, (id: number) => boolean>()));
  let test = byName.get(name);
  if (!test) byName.set(name, (test = nameMemo(raw.strings, (s) => s === name)));
  return test;
}

/** Internal named edge of a node (DevTools' findInternalEdgeTarget), or -1. */
function internalTarget(raw: RawHeapSnapshot, n: number, name: string | ((id: number) => boolean)): number {
  const internal = raw.layout.edgeType.internal;
  const is = typeof name === 'string' ? nameTest(raw, name) : name;
  for (let e = raw.firstEdge[n], end = raw.firstEdge[n + 1]; e < end; e++)
    if (raw.edgeType[e] === internal && is(raw.edgeName[e])) return raw.edgeTo[e];
  return -1;
}

/** The `value` of a V8 boxed number node named `kind` ("int", "bool"), as its raw name; undefined otherwise. */
function boxedValue(raw: RawHeapSnapshot, n: number, kind: string): string | undefined {
  if (n < 0 || raw.nodeType[n] !== raw.layout.nodeType.number || raw.strings.get(raw.nodeName[n]) !== kind)
    return undefined;
  const v = internalTarget(raw, n, 'value');
  return v < 0 ? undefined : raw.strings.get(raw.nodeName[v]);
}

/** Group key of a truncated string (newer V8): its shortened value plus its length and hash. */
interface TruncatedKey {
  name: string;
  length?: number;
  hash?: number;
}

function intValue(raw: RawHeapSnapshot, n: number): number | undefined {
  const text = boxedValue(raw, n, 'int');
  if (text === undefined) return undefined;
  const v = parseInt(text, 10);
  return Number.isNaN(v) ? undefined : v;
}

/**
 * The string nodes DevTools considers for duplicates, in ordinal order, each with a group id: equal ids, equal
 * values. A plain string's id is its name's index in the snapshot's string table, which V8 writes with each value
 * once (so no string is decoded to group them: on a 1 GB snapshot, keying a Map by ~4 M decoded values took 4 s); a
 * concatenated string's value is computed and takes the id of the plain string with that value, or one of its own.
 * Truncated strings (newer V8: value + length + hash) are rare and keyed apart (`truncated`).
 */
interface Candidates {
  /** Candidate nodes in ordinal order. */
  nodes: Int32Array;
  /** Group id per candidate (-1: truncated, see `truncated`). */
  ids: Int32Array;
  count: number;
  /** The string table's size when the ids were given (it can grow later: derived names are added to it). */
  base: number;
  /** For each id from `base` up (a concatenated value without a plain twin), a node holding it (its value is computed again when shown, not kept). */
  consNodes: number[];
  truncated: Map<number, TruncatedKey>;
}

const candidateCache = new WeakMap<RawHeapSnapshot, Candidates>();
/** Whether JSON (and V8's snapshot writer) escapes a character of `v`: quotes, backslashes, control characters. */
function needsEscape(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c) return true;
  }
  return false;
}

/** How many nodes (or values) the index goes through between checks of its time slice. */
const SLICE_STEP = 65_536;

/**
 * Builds the candidates, yielding every SLICE_STEP nodes or values so that a caller can spread the work over time
 * slices (indexDuplicateStrings) or run it to the end at once (candidateStrings).
 */
function* buildCandidates(raw: RawHeapSnapshot): Generator<void, Candidates> {
  const { string, consString } = raw.layout.nodeType;
  const internal = raw.layout.edgeType.internal;
  const { strings, nodeType, nodeName, nodeSelfSize } = raw;
  let nodes = new Int32Array(1024);
  let ids = new Int32Array(1024);
  let count = 0;
  const push = (n: number, id: number) => {
    if (count === nodes.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      nodes = grow(nodes);
      ids = grow(ids);
    }
    nodes[count] = n;
    ids[count++] = id;
  };
  const truncated = new Map<number, TruncatedKey>();
  /** Concatenated strings' values, their candidate positions (ids assigned below). */
  const consAt: number[] = [];
  const consValue: string[] = [];
  const isTruncated = nameTest(raw, 'truncated');
  const isFirst = nameTest(raw, 'first');
  const isSecond = nameTest(raw, 'second');
  for (let n = 0; n < raw.nodeCount; n++) {
    if ((n & (SLICE_STEP - 1)) === 0) yield;
    const type = nodeType[n];
    if (type !== string && type !== consString) continue;
    // A flattened cons string (one part empty) is V8's business, not a duplicate.
    if (type === consString) {
      let flat = false;
      for (let e = raw.firstEdge[n], end = raw.firstEdge[n + 1]; e < end && !flat; e++) {
        if (raw.edgeType[e] !== internal) continue;
        const en = raw.edgeName[e];
        // An empty part is a plain empty string (V8 never makes an empty cons string): no need to build its value.
        const part = raw.edgeTo[e];
        if ((isFirst(en) || isSecond(en)) && nodeType[part] !== consString && strings.rawLength(nodeName[part]) === 0)
          flat = true;
      }
      if (flat) continue;
    }
    if (!nodeSelfSize[n]) continue;
    // V8 has one empty string; many empty names are value-less strings (JavaScriptCore's, converted), not duplicates.
    if (type === string && strings.rawLength(nodeName[n]) === 0) continue;
    const truncatedFlag = internalTarget(raw, n, isTruncated);
    if (truncatedFlag >= 0 && boxedValue(raw, truncatedFlag, 'bool') === 'true') {
      const name = nodeDisplayName(raw, n);
      if (name === '') continue;
      truncated.set(count, {
        name,
        length: intValue(raw, internalTarget(raw, n, 'length')),
        hash: intValue(raw, internalTarget(raw, n, 'hash')),
      });
      push(n, -1);
    } else if (type === string) push(n, nodeName[n]);
    else {
      const name = nodeDisplayName(raw, n);
      if (name === '') continue;
      consAt.push(count);
      consValue.push(name);
      push(n, -1);
    }
  }
  // Concatenated values meet plain strings of the same value. Only plain strings whose stored (escaped UTF-8) length
  // could be such a value's are decoded: its UTF-8 length, its JSON-escaped length, or every unit \u-escaped.
  const consNodes: number[] = [];
  const base = strings.size;
  if (consAt.length) {
    const lengths = new Set<number>();
    for (const v of consValue) {
      const utf8 = Buffer.byteLength(v);
      lengths.add(utf8);
      if (needsEscape(v)) lengths.add(Buffer.byteLength(JSON.stringify(v)) - 2);
      if (utf8 !== v.length) lengths.add(v.length * 6);
    }
    const plainOf = new Map<string, number>();
    for (let i = 0; i < count; i++) {
      if ((i & (SLICE_STEP - 1)) === 0) yield;
      const id = ids[i];
      if (id < 0 || !lengths.has(strings.rawLength(id)) || plainOf.has(strings.get(id))) continue;
      plainOf.set(strings.get(id), id);
    }
    const own = new Map<string, number>();
    for (let k = 0; k < consAt.length; k++) {
      if ((k & (SLICE_STEP - 1)) === 0) yield;
      const at = consAt[k];
      const v = consValue[k];
      let id = plainOf.get(v) ?? own.get(v);
      if (id === undefined) {
        id = base + consNodes.length;
        consNodes.push(nodes[at]);
        own.set(v, id);
      }
      ids[at] = id;
    }
  }
  const result = { nodes: nodes.subarray(0, count), ids: ids.subarray(0, count), count, base, consNodes, truncated };
  return result;
}

/** The candidates of `raw`, built now if no time slice (or earlier call) has finished them. */
function candidateStrings(raw: RawHeapSnapshot): Candidates {
  const cached = candidateCache.get(raw);
  if (cached) return cached;
  const build = pendingBuilds.get(raw) ?? buildCandidates(raw);
  pendingBuilds.delete(raw);
  let r = build.next();
  while (!r.done) r = build.next();
  candidateCache.set(raw, r.value);
  return r.value;
}

/** Builds begun by indexDuplicateStrings and not finished yet (a query that needs them finishes them). */
const pendingBuilds = new WeakMap<RawHeapSnapshot, Generator<void, Candidates>>();

/**
 * Builds the duplicated-strings index of a snapshot in the background, right after it is opened: slices of about
 * `sliceMs`, each followed by a turn of the event loop, so the worker answers every query in between (one that needs
 * the index finishes it at once). On a 1 GB snapshot the index takes 3–4 s (1.1 M concatenated strings' values are
 * built and grouped); once it is done the duplicated-strings filter and list take tens of milliseconds. Stops when
 * `alive` turns false (the snapshot was closed).
 */
export function indexDuplicateStrings(raw: RawHeapSnapshot, alive: () => boolean, sliceMs = 20): Promise<void> {
  return new Promise((resolve) => {
    if (candidateCache.has(raw) || pendingBuilds.has(raw)) return resolve();
    const build = buildCandidates(raw);
    pendingBuilds.set(raw, build);
    const slice = () => {
      // A query may have finished (or taken over) the build meanwhile.
      if (!alive() || pendingBuilds.get(raw) !== build) {
        if (pendingBuilds.get(raw) === build) pendingBuilds.delete(raw);
        return resolve();
      }
      const until = performance.now() + sliceMs;
      let r = build.next();
      while (!r.done && performance.now() < until) r = build.next();
      if (r.done) {
        pendingBuilds.delete(raw);
        candidateCache.set(raw, r.value);
        return resolve();
      }
      setImmediate(slice);
    };
    setImmediate(slice);
  });
}

function truncatedKeyText(k: TruncatedKey): string {
  return `${k.name}\u0000${k.length}\u0000${k.hash}`;
}

/** DevTools' duplicatedStrings filter: string nodes whose value another string node also holds. */
export function duplicatedStringMask(analysis: HeapAnalysis): Uint8Array {
  const { raw } = analysis;
  const mask = new Uint8Array(raw.nodeCount);
  const c = candidateStrings(raw);
  const first = new Int32Array(c.base + c.consNodes.length).fill(-1);
  const firstTruncated = new Map<string, number>();
  for (let i = 0; i < c.count; i++) {
    const n = c.nodes[i];
    const id = c.ids[i];
    let earlier: number | undefined;
    if (id >= 0) {
      earlier = first[id] >= 0 ? first[id] : undefined;
      if (earlier === undefined) first[id] = n;
    } else {
      const k = truncatedKeyText(c.truncated.get(i)!);
      earlier = firstTruncated.get(k);
      if (earlier === undefined) firstTruncated.set(k, n);
    }
    if (earlier !== undefined) mask[earlier] = mask[n] = 1;
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
  interface Group {
    value: () => string;
    count: number;
    totalSelfSize: number;
    totalRetainedSize: number;
    minSelf: number;
  }
  const c = candidateStrings(raw);
  const plain = new Map<number, Group>();
  const truncated = new Map<string, Map<string, Group>>();
  const valueOf = (id: number) => () =>
    id < c.base ? raw.strings.get(id) : nodeDisplayName(raw, c.consNodes[id - c.base]);
  for (let i = 0; i < c.count; i++) {
    const n = c.nodes[i];
    if (!mask[n]) continue;
    const id = c.ids[i];
    let g: Group | undefined;
    if (id >= 0) {
      g = plain.get(id);
      if (!g)
        plain.set(
          id,
          (g = { value: valueOf(id), count: 0, totalSelfSize: 0, totalRetainedSize: 0, minSelf: Infinity }),
        );
    } else {
      const key = c.truncated.get(i)!;
      let perName = truncated.get(key.name);
      if (!perName) truncated.set(key.name, (perName = new Map<string, Group>()));
      const k = truncatedKeyText(key);
      g = perName.get(k);
      if (!g)
        perName.set(
          k,
          (g = { value: () => key.name, count: 0, totalSelfSize: 0, totalRetainedSize: 0, minSelf: Infinity }),
        );
    }
    g.count++;
    g.minSelf = Math.min(g.minSelf, raw.nodeSelfSize[n]);
    g.totalSelfSize += raw.nodeSelfSize[n];
    g.totalRetainedSize += retained[n];
  }
  const all = [...plain.values(), ...[...truncated.values()].flatMap((m) => [...m.values()])];
  all.sort((a, b) => b.totalRetainedSize - a.totalRetainedSize);
  return all.map((g) => ({
    value: g.value().slice(0, 100),
    count: g.count,
    totalSelfSize: g.totalSelfSize,
    totalRetainedSize: g.totalRetainedSize,
    // All copies but the smallest one are redundant.
    wastedBytes: g.totalSelfSize - g.minSelf,
  }));
}
