import type { HeapAnalysis } from '../analyze/analysis';
import { nodeDisplayName } from '../analyze/nodeNames';
import type { RawHeapSnapshot } from '../rawSnapshot';
import { nameMemo } from './namedFilters';
import { Carver, scratchArenaOf } from '../scratchArena';

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
 * concatenated string takes the id of the plain string with its value, or one of its own. Its value is not built to
 * find that id (1.1 M of them took 2–4 s on a 1 GB snapshot, and few are duplicates): a hash of the value is combined
 * from its parts' (see ValueHashes), and values are built and compared only where hashes meet.
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
  consNodes: Int32Array;
  truncated: Map<number, TruncatedKey>;
}

const candidateCache = new WeakMap<RawHeapSnapshot, Candidates>();

/** How many nodes (or values) the index goes through between checks of its time slice. */
const SLICE_STEP = 65_536;

/**
 * How concatenated strings are grouped: two polynomial hashes (mod 2^32) of their values, `mask`ed. Equal values
 * always hash alike; values whose hashes meet are compared whole, so a collision costs time, never a wrong group
 * (the tests mask the hashes down to two bits to make nearly all of them collide).
 */
export const valueHashing = { base1: 0x01000193, base2: 0x5bd1e995, mask: -1 };
/** nodeDisplayName flattens a concatenated string to its first 1,024 characters or so, in at most 10,000 steps. */
const MAX_WHOLE_LENGTH = 1024;
const MAX_WHOLE_STEPS = 10_000;
/** Value lengths counted one by one up to here (concatenated strings' are mostly tens of characters). */
const MAX_COUNTED_LENGTH = 4096;

/**
 * Hashes of string values, and of concatenated strings combined from their parts' without building the value:
 * h(a + b) = h(a)·B^len(b) + h(b). A concatenated string is hashed that way when nodeDisplayName would flatten it
 * whole (shorter than 1,024 characters, at most 10,000 parts); otherwise (and on a cycle, in a corrupt file) its
 * display name is built and hashed. Each `of…` call leaves its answer in `len`, `h1` and `h2`.
 */
class ValueHashes {
  len = 0;
  h1 = 0;
  h2 = 0;
  private readonly base1 = valueHashing.base1;
  private readonly base2 = valueHashing.base2;
  private readonly pow1 = new Int32Array(MAX_WHOLE_LENGTH);
  private readonly pow2 = new Int32Array(MAX_WHOLE_LENGTH);
  /** Per string index: its value's length (-1: not hashed yet) and hashes. */
  private readonly sLen: Int32Array;
  private readonly sH1: Int32Array;
  private readonly sH2: Int32Array;
  private readonly out = new Int32Array(3);
  /** Per node (concatenated strings only): 0 not hashed yet, -1 being hashed, else 1 + its slot below. */
  private readonly consSlot: Int32Array;
  /** Per slot (one per concatenated string): UTF-16 length (-1: not flattened whole, see above), steps of the
   * flattening walk, the two hashes. */
  private readonly cLen: Int32Array;
  private readonly cSteps: Int32Array;
  private readonly cH1: Int32Array;
  private readonly cH2: Int32Array;
  private slots = 0;
  private readonly stack: number[] = [];
  private readonly isFirst: (id: number) => boolean;
  private readonly isSecond: (id: number) => boolean;
  /** A part's length, steps and hashes (see part). */
  private pLen = 0;
  private pSteps = 0;
  private pH1 = 0;
  private pH2 = 0;

  /** The arrays `scratchBytes` counts, carved out of borrowed memory. */
  constructor(
    private readonly raw: RawHeapSnapshot,
    consCount: number,
    carve: Carver,
  ) {
    this.cLen = carve.int32(consCount);
    this.cSteps = carve.int32(consCount);
    this.cH1 = carve.int32(consCount);
    this.cH2 = carve.int32(consCount);
    this.pow1[0] = this.pow2[0] = 1;
    for (let i = 1; i < MAX_WHOLE_LENGTH; i++) {
      this.pow1[i] = Math.imul(this.pow1[i - 1], this.base1);
      this.pow2[i] = Math.imul(this.pow2[i - 1], this.base2);
    }
    this.sLen = carve.int32(raw.strings.size).fill(-1);
    this.sH1 = carve.int32(raw.strings.size);
    this.sH2 = carve.int32(raw.strings.size);
    this.consSlot = carve.int32(raw.nodeCount).fill(0);
    this.isFirst = nameTest(raw, 'first');
    this.isSecond = nameTest(raw, 'second');
  }

  static scratchBytes(raw: RawHeapSnapshot, consCount: number): [number, number][] {
    return [
      [4, consCount],
      [4, consCount],
      [4, consCount],
      [4, consCount],
      [4, raw.strings.size],
      [4, raw.strings.size],
      [4, raw.strings.size],
      [4, raw.nodeCount],
    ];
  }

  /** The value `strings.get(id)`. */
  ofString(id: number): void {
    if (this.sLen[id] < 0) {
      this.raw.strings.hashValue(id, this.base1, this.base2, this.out);
      this.sLen[id] = this.out[0];
      this.sH1[id] = this.out[1];
      this.sH2[id] = this.out[2];
    }
    this.len = this.sLen[id];
    this.h1 = this.sH1[id];
    this.h2 = this.sH2[id];
  }

  /** nodeDisplayName(raw, n) of concatenated string `n`, built only when it is not flattened whole. */
  ofCons(n: number, first: number, second: number): void {
    const slot = this.combine(n, first, second);
    if (this.cLen[slot] >= 0) {
      this.len = this.cLen[slot];
      this.h1 = this.cH1[slot];
      this.h2 = this.cH2[slot];
      return;
    }
    const v = nodeDisplayName(this.raw, n);
    let a = 0;
    let b = 0;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      a = (Math.imul(a, this.base1) + c) | 0;
      b = (Math.imul(b, this.base2) + c) | 0;
    }
    this.len = v.length;
    this.h1 = a;
    this.h2 = b;
  }

  /** The parts nodeDisplayName takes, into `first` and `second` (-1: none), found as it finds them. */
  partsOf(n: number): void {
    const { raw } = this;
    const internal = raw.layout.edgeType.internal;
    let first = -1;
    let second = -1;
    for (let e = raw.firstEdge[n], end = raw.firstEdge[n + 1]; e < end && (first < 0 || second < 0); e++) {
      if (raw.edgeType[e] !== internal) continue;
      if (this.isFirst(raw.edgeName[e])) first = raw.edgeTo[e];
      else if (this.isSecond(raw.edgeName[e])) second = raw.edgeTo[e];
    }
    this.first = first;
    this.second = second;
  }

  first = -1;
  second = -1;

  /** Whether part `p` of a concatenated string still has to be hashed (a concatenated string not seen yet). */
  private pending(p: number): boolean {
    return p >= 0 && this.consSlot[p] <= 0 && this.raw.nodeType[p] === this.raw.layout.nodeType.consString;
  }

  /**
   * Hashes `root` from its parts (`first`, `second`: as partsOf gives them), depth first without recursion (a cons
   * chain can be 100,000 deep). Most parts are plain strings or were hashed before (nodes come in ordinal order):
   * then no stack is needed.
   */
  private combine(root: number, first: number, second: number): number {
    const { consSlot, stack } = this;
    if (consSlot[root] > 0) return consSlot[root] - 1;
    if (!this.pending(first) && !this.pending(second)) return this.finish(root, first, second, false);
    stack.length = 0;
    stack.push(root);
    while (stack.length) {
      const n = stack[stack.length - 1];
      if (consSlot[n] > 0) {
        stack.pop();
        continue;
      }
      this.partsOf(n);
      const f = this.first;
      const sc = this.second;
      let waiting = false;
      let cycle = false;
      for (let j = 0; j < 2; j++) {
        const part = j ? sc : f;
        if (!this.pending(part)) continue;
        if (consSlot[part] === -1) cycle = true;
        else {
          stack.push(part);
          waiting = true;
        }
      }
      if (waiting && !cycle) {
        consSlot[n] = -1;
        continue;
      }
      stack.pop();
      this.finish(n, f, sc, cycle);
    }
    return consSlot[root] - 1;
  }

  /** Gives `n` its slot, from its parts' lengths and hashes (all known by now); returns the slot. */
  private finish(n: number, first: number, second: number, cycle: boolean): number {
    let whole = this.part(first) && !cycle;
    const fLen = this.pLen;
    const fSteps = this.pSteps;
    const f1 = this.pH1;
    const f2 = this.pH2;
    whole = this.part(second) && whole;
    const len = fLen + this.pLen;
    const steps = 1 + fSteps + this.pSteps;
    const slot = this.slots++;
    if (!whole || len >= MAX_WHOLE_LENGTH || steps > MAX_WHOLE_STEPS) this.cLen[slot] = -1;
    else {
      this.cLen[slot] = len;
      this.cH1[slot] = (Math.imul(f1, this.pow1[this.pLen]) + this.pH1) | 0;
      this.cH2[slot] = (Math.imul(f2, this.pow2[this.pLen]) + this.pH2) | 0;
    }
    this.cSteps[slot] = steps;
    this.consSlot[n] = slot + 1;
    return slot;
  }

  /** Sets pLen…pH2 to a part's (nothing when absent); false when it is not flattened whole. */
  private part(part: number): boolean {
    this.pLen = this.pSteps = this.pH1 = this.pH2 = 0;
    if (part < 0) return true;
    if (this.raw.nodeType[part] !== this.raw.layout.nodeType.consString) {
      this.ofString(this.raw.nodeName[part]);
      this.pLen = this.len;
      this.pSteps = 1;
      this.pH1 = this.h1;
      this.pH2 = this.h2;
      return true;
    }
    const slot = this.consSlot[part] - 1;
    if (slot < 0 || this.cLen[slot] < 0) return false;
    this.pLen = this.cLen[slot];
    this.pSteps = this.cSteps[slot];
    this.pH1 = this.cH1[slot];
    this.pH2 = this.cH2[slot];
    return true;
  }
}

/**
 * Open addressing over (h1, h2) keys: per key its slot, and whether more than one value holder has it. The slot comes
 * from the top bits of a multiplicative mix: a polynomial hash mod 2^32 has weak low bits (its lowest bit is the
 * parity of the characters' sum), and indexing by them piled keys into long probe runs.
 */
class KeyTable {
  private readonly k1: Int32Array;
  private readonly k2: Int32Array;
  private readonly used: Uint8Array;
  readonly shared: Uint8Array;
  private readonly bits: number;
  private readonly shift: number;

  /** The arrays' sizes for `capacity` keys: (bytes per element, length) pairs, as Carver.bytesFor takes them. */
  static scratchBytes(capacity: number): [number, number][] {
    const size = KeyTable.sizeFor(capacity);
    return [
      [4, size],
      [4, size],
      [1, size],
      [1, size],
    ];
  }

  private static sizeFor(capacity: number): number {
    let size = 1024;
    while (size < capacity * 1.5) size *= 2;
    return size;
  }

  constructor(capacity: number, carve: Carver) {
    const size = KeyTable.sizeFor(capacity);
    this.bits = size - 1;
    this.shift = 32 - Math.log2(size);
    this.k1 = carve.int32(size);
    this.k2 = carve.int32(size);
    this.used = carve.uint8(size).fill(0);
    this.shared = carve.uint8(size).fill(0);
  }

  /** The slot of (a, b); with `add`, a new one when absent (a key added twice is shared), else -1 when absent. */
  slot(a: number, b: number, add: boolean): number {
    let i = Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b) >>> this.shift;
    while (this.used[i]) {
      if (this.k1[i] === a && this.k2[i] === b) {
        if (add) this.shared[i] = 1;
        return i;
      }
      i = (i + 1) & this.bits;
    }
    if (!add) return -1;
    this.used[i] = 1;
    this.k1[i] = a;
    this.k2[i] = b;
    return i;
  }
}

/**
 * Builds the candidates, yielding every SLICE_STEP nodes or values so that a caller can spread the work over time
 * slices (indexDuplicateStrings) or run it to the end at once (candidateStrings).
 */
function* buildCandidates(raw: RawHeapSnapshot): Generator<void, Candidates> {
  const { string, consString } = raw.layout.nodeType;
  const { strings, nodeType, nodeName, nodeSelfSize } = raw;
  // Sized for every string node: no list grows in the loops below (pushes cost 0.4 s on a 1 GB snapshot).
  let stringCount = 0;
  let consCount = 0;
  for (let n = 0; n < raw.nodeCount; n++) {
    const type = nodeType[n];
    if (type === string) stringCount++;
    else if (type === consString) consCount++;
  }
  yield;
  const nodes = new Int32Array(stringCount + consCount);
  const ids = new Int32Array(stringCount + consCount);
  let count = 0;
  const truncated = new Map<number, TruncatedKey>();
  // The temporaries below in borrowed, paged-in memory (on a 1 GB snapshot ~130 MB: fresh, their page faults alone
  // took ~0.5 s of the index's 1.3 s).
  const arena = scratchArenaOf(raw);
  // The string table can grow meanwhile (names derived by other queries): `seen` is carved for its size now.
  const stringsNow = strings.size;
  const scratch = arena.take(
    Carver.bytesFor([
      ...ValueHashes.scratchBytes(raw, consCount),
      [4, consCount],
      [4, consCount],
      [4, consCount],
      ...KeyTable.scratchBytes(consCount),
      [4, consCount],
      [1, stringsNow],
    ]),
  );
  const carve = new Carver(scratch);
  const hashes = new ValueHashes(raw, consCount, carve);
  const { mask } = valueHashing;
  /** Concatenated strings: their candidate positions and value hashes (ids assigned below). */
  const consAt = carve.int32(consCount);
  const consH1 = carve.int32(consCount);
  const consH2 = carve.int32(consCount);
  let cons = 0;
  /** Which value lengths concatenated strings have (the last slot: any longer): plain strings of others are no twins. */
  const lengths = new Uint8Array(MAX_COUNTED_LENGTH + 1);
  const isTruncated = nameTest(raw, 'truncated');
  // The loop is a plain function called per chunk: a generator's own loop cannot be optimised while it runs (V8 has
  // no on-stack replacement into generators), and it took twice as long.
  const isEmptyPlain = (part: number) =>
    part >= 0 && nodeType[part] !== consString && strings.rawLength(nodeName[part]) === 0;
  const scanChunk = (from: number, to: number): void => {
    for (let n = from; n < to; n++) {
      const type = nodeType[n];
      if (type !== string && type !== consString) continue;
      // A flattened cons string (one part empty) is V8's business, not a duplicate.
      if (type === consString) {
        // An empty part is a plain empty string (V8 never makes an empty cons string): no need to build its value.
        hashes.partsOf(n);
        if (isEmptyPlain(hashes.first) || isEmptyPlain(hashes.second)) continue;
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
        ids[count] = -1;
      } else if (type === string) ids[count] = nodeName[n];
      else {
        hashes.ofCons(n, hashes.first, hashes.second);
        if (hashes.len === 0) continue;
        consAt[cons] = count;
        consH1[cons] = hashes.h1 & mask;
        consH2[cons++] = hashes.h2 & mask;
        lengths[Math.min(hashes.len, MAX_COUNTED_LENGTH)] = 1;
        ids[count] = -1;
      }
      nodes[count++] = n;
    }
  };
  for (let n = 0; n < raw.nodeCount; n += SLICE_STEP) {
    scanChunk(n, Math.min(n + SLICE_STEP, raw.nodeCount));
    yield;
  }
  const consNodes = new Int32Array(cons);
  let owned = 0;
  const base = strings.size;
  if (cons) {
    // Hashes held by more than one value holder: only there are values built and compared.
    const table = new KeyTable(consCount, carve);
    const slotOf = carve.int32(consCount);
    for (let k = 0; k < cons; k++) {
      if ((k & (SLICE_STEP - 1)) === 0) yield;
      slotOf[k] = table.slot(consH1[k], consH2[k], true);
    }
    // Plain strings with a concatenated twin's hash, each string index once, in candidate order.
    const seen = base <= stringsNow ? carve.uint8(base).fill(0) : new Uint8Array(base);
    const plainHits: number[] = [];
    // How many lengths up to each are taken: a plain string whose possible lengths hold none is not hashed.
    const lengthsUpTo = new Int32Array(MAX_COUNTED_LENGTH + 2);
    for (let l = 0; l <= MAX_COUNTED_LENGTH; l++) lengthsUpTo[l + 1] = lengthsUpTo[l] + lengths[l];
    const bounds = new Int32Array(2);
    for (let i = 0; i < count; i++) {
      if ((i & (SLICE_STEP - 1)) === 0) yield;
      const id = ids[i];
      if (id < 0 || seen[id]) continue;
      seen[id] = 1;
      strings.lengthBounds(id, bounds);
      const lo = Math.min(bounds[0], MAX_COUNTED_LENGTH);
      const hi = Math.min(bounds[1], MAX_COUNTED_LENGTH);
      if (lengthsUpTo[hi + 1] === lengthsUpTo[lo]) continue;
      hashes.ofString(id);
      const slot = table.slot(hashes.h1 & mask, hashes.h2 & mask, false);
      if (slot < 0) continue;
      table.shared[slot] = 1;
      plainHits.push(id);
    }
    const plainOf = new Map<string, number>();
    for (const id of plainHits) {
      const v = strings.get(id);
      if (!plainOf.has(v)) plainOf.set(v, id);
    }
    const own = new Map<string, number>();
    for (let k = 0; k < cons; k++) {
      if ((k & (SLICE_STEP - 1)) === 0) yield;
      const at = consAt[k];
      const node = nodes[at];
      let id: number | undefined;
      let v: string | undefined;
      if (table.shared[slotOf[k]]) {
        v = nodeDisplayName(raw, node);
        id = plainOf.get(v) ?? own.get(v);
      }
      if (id === undefined) {
        id = base + owned;
        consNodes[owned++] = node;
        if (v !== undefined) own.set(v, id);
      }
      ids[at] = id;
    }
  }
  arena.give(scratch);
  return {
    nodes: nodes.subarray(0, count),
    ids: ids.subarray(0, count),
    count,
    base,
    consNodes: consNodes.subarray(0, owned),
    truncated,
  };
}

/** The candidates of `raw`, built now if no time slice (or earlier call) has finished them. */
function candidateStrings(raw: RawHeapSnapshot): Candidates {
  const cached = candidateCache.get(raw);
  if (cached) return cached;
  const build = pendingBuilds.get(raw)?.build ?? buildCandidates(raw);
  pendingBuilds.delete(raw);
  let r = build.next();
  while (!r.done) r = build.next();
  candidateCache.set(raw, r.value);
  return r.value;
}

/** Builds begun by indexDuplicateStrings and not finished yet (a query that needs them finishes them). */
const pendingBuilds = new WeakMap<
  RawHeapSnapshot,
  { build: Generator<void, Candidates>; alive: () => boolean; done: Promise<void> }
>();

/** Whether the duplicated-strings index of `raw` is built, being built in time slices, or not begun. */
export function duplicateStringsIndexState(raw: RawHeapSnapshot): 'built' | 'building' | 'none' {
  return candidateCache.has(raw) ? 'built' : pendingBuilds.has(raw) ? 'building' : 'none';
}

/**
 * Builds the duplicated-strings index of a snapshot in the background: slices of about `sliceMs`, each followed by a
 * turn of the event loop, so the worker answers every query in between (one that needs the index finishes it at
 * once). The analysis worker starts it while the analysis waits for its helper thread and finishes it before it
 * reports the snapshot open. On a 1 GB snapshot the index takes about 1 s (4.2 M string nodes; the 1.1 M
 * concatenated strings are hashed from their parts, 3.5 k of them built); once it is done the duplicated-strings
 * filter and list take a few hundred milliseconds. Stops when `alive` turns false (the snapshot was closed); a call while a build is under
 * way gives it the new `alive` and waits for it.
 */
export function indexDuplicateStrings(raw: RawHeapSnapshot, alive: () => boolean, sliceMs = 20): Promise<void> {
  if (candidateCache.has(raw)) return Promise.resolve();
  const pending = pendingBuilds.get(raw);
  if (pending) {
    pending.alive = alive;
    return pending.done;
  }
  const build = buildCandidates(raw);
  const done = new Promise<void>((resolve) => {
    const slice = () => {
      const p = pendingBuilds.get(raw);
      // A query may have finished (or taken over) the build meanwhile.
      if (p?.build !== build || !p.alive()) {
        if (p?.build === build) pendingBuilds.delete(raw);
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
  pendingBuilds.set(raw, { build, alive, done });
  return done;
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
