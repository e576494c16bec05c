import { BASE_SYSTEM_DISTANCE } from '../heap/analyze/distances';
import { edgeNameText, nodeDisplayName } from '../heap/analyze/nodeNames';
import { presentIn, type HeapSnapshotModel } from '../heap/index';
import {
  asyncLocalStore,
  closureChainLinks,
  MIN_CHAIN_LINKS,
  moduleCache,
  reassignedVariable,
  variableValue,
  type AsyncStore,
  type ModuleCache,
} from './runtimeHolders';
import type { RetainerKind } from './types';

/** A script position from the snapshot: 0-based line and column, and the script's name (path or URL). */
export interface HolderSource {
  script: string;
  line: number;
  column: number;
}

/** An object that existed in both snapshots and holds objects that are new in the second: a growing holder. */
export interface GrowingHolder {
  /** Node id (stable across snapshots, usable with HeapProfiler.getObjectByHeapObjectId); a scope variable: its value. */
  id: number;
  kind: RetainerKind;
  /** Readable path from a GC root, e.g. `cache (Map) in module orders.js`. */
  path: string;
  /** The name the program uses for the holder (variable or property), when known. */
  name: string | null;
  /** For listeners: the event name. */
  event: string | null;
  /** Entries (element/property/table slots, or timers) in the first and second snapshot. */
  entriesBefore: number;
  entriesAfter: number;
  /** New objects the holder keeps, and their self bytes. */
  newObjects: number;
  newBytes: number;
  /** The holder's retained size in the second snapshot. */
  retainedBytes: number;
  /** Script of the function or module that owns the holder (the closure of its context), when known. */
  ownerScript: string | null;
  /** Most common location of new closures kept by the holder (listener, timer callback, pushed closure). */
  entryFunction: HolderSource | null;
  /** Class of the most new objects kept, with its constructor location when the class has one. */
  entryClass: { name: string; constructor: HolderSource | null } | null;
  /**
   * The Node.js API whose internal queue the holder is (`events.on` for the events an async iterator has not handed
   * out yet): the line that adds to it is that call, and its entries are counted from the snapshot.
   */
  createdBy: 'events.on' | null;
  /** The live holder (`id`) can be asked for its entry count; else the snapshots' count stands. */
  countLive: boolean;
  /** The holder is a scope variable given a new value each time (a closure chain): the line that adds assigns it. */
  assigned: boolean;
  /** The holder is the store of this AsyncLocalStorage (its variable): entries are added through `getStore()`. */
  asyncStorage: string | null;
  /**
   * The holder is an emitter's `_events` object (its listener list for `event` was replaced between the snapshots,
   * e.g. one listener function became an array): entries are that event's listeners, not `_events`' keys.
   */
  eventsOf: string | null;
}

const NONE = 0xffffffff;
const MAX_HOLDERS = 5;

/**
 * Compares two snapshots by node id: every new, user-reachable object is charged to its nearest old ancestor on the
 * shortest path from the GC roots (skipping backing stores such as a Map's table or an array's elements, and
 * linked timer lists), and those ancestors are ranked by the new bytes they keep. The bytes count the memory of new
 * ArrayBuffers (their `backing_store`, outside the JS heap): a 16-byte Buffer slice charges its holder the 64 KB it
 * keeps alive. A holder inside Node's events.on() (the queue of events nobody read) is named as that iterator.
 */
export function findGrowingHolders(before: HeapSnapshotModel, after: HeapSnapshotModel): GrowingHolder[] {
  const { raw, parentEdge, distance, classes, tree } = after.analysis;
  const old = presentIn(after, before);
  const t = raw.layout.nodeType;
  const skipped = new Set([t.hidden, t.synthetic, t.code, t.native, raw.layout.nodeTypes.indexOf('object shape')]);
  const holderOf = new Int32Array(raw.nodeCount).fill(-2);
  const scripts = scriptNames(after);
  const groups = new Map<number, Group>();
  for (let n = 0; n < raw.nodeCount; n++) {
    if (old[n] || !raw.nodeSelfSize[n] || (skipped.has(raw.nodeType[n]) && !isBackingStore(n))) continue;
    if (distance[n] < 0 || distance[n] >= BASE_SYSTEM_DISTANCE) continue;
    const h = holderFor(n);
    if (h < 0) continue;
    let g = groups.get(h);
    if (!g) groups.set(h, (g = { newObjects: 0, newBytes: 0, functions: new Map(), classes: new Map() }));
    g.newObjects++;
    g.newBytes += raw.nodeSelfSize[n];
    if (raw.nodeType[n] === t.closure) tally(g.functions, locationKey(n));
    else if (raw.nodeType[n] === t.object && !classes.names[classes.classOf[n]].startsWith('system /'))
      tally(g.classes, classes.classOf[n]);
  }
  const ranked = [...groups.entries()].sort((a, b) => b[1].newBytes - a[1].newBytes).slice(0, MAX_HOLDERS);
  const total = [...groups.values()].reduce((s, g) => s + g.newBytes, 0);
  return ranked.filter(([, g]) => g.newBytes >= 0.05 * total && g.newObjects >= 2).map(([h, g]) => describe(h, g));

  /** The holder ordinal for a new node (memoised along the path), or -1 when it has none worth naming. */
  function holderFor(n: number): number {
    const chain: number[] = [];
    let m = n;
    let result = -1;
    for (let steps = 0; steps < 100_000; steps++) {
      if (holderOf[m] !== -2) {
        result = holderOf[m];
        break;
      }
      chain.push(m);
      const e = parentEdge[m];
      if (e === NONE) break;
      const s = after.sourceOfEdge(e);
      if (s === raw.rootOrdinal) break;
      if (old[s]) {
        result = normalise(s);
        break;
      }
      m = s;
    }
    for (const c of chain) holderOf[c] = result;
    return result;
  }

  /** From the first old ancestor up to the object a developer knows: a backing store's owner, a timer list. */
  function normalise(s: number): number {
    let n = s;
    for (let i = 0; i < 50; i++) {
      const internal = raw.nodeType[n] === t.array || raw.nodeType[n] === t.hidden || raw.nodeType[n] === t.code;
      const timer = classes.names[classes.classOf[n]] === 'Timeout';
      if (!internal && !timer) break;
      const e = parentEdge[n];
      if (e === NONE) return -1;
      n = after.sourceOfEdge(e);
    }
    const type = raw.nodeType[n];
    if (type === t.synthetic || type === t.native || n === raw.rootOrdinal) return -1;
    return eventsOnQueue(n) ?? n;
  }

  /** An ArrayBuffer's memory (`system / JSArrayBufferData`, off the JS heap but counted in its retained size). */
  function isBackingStore(n: number): boolean {
    return raw.nodeType[n] === t.native && parentEdgeName(n) === 'backing_store';
  }

  /**
   * Node's events.on() keeps the events its iterator has not handed out in a FixedQueue held by the call's closure
   * context as `unconsumedEvents` (a chain of FixedCircularBuffer lists): the queue when `n` is part of it.
   */
  function eventsOnQueue(n: number): number | null {
    for (let i = 0; i < 8 && parentEdge[n] !== NONE; i++) {
      if (isOnQueue(n)) return n;
      n = after.sourceOfEdge(parentEdge[n]);
    }
    return null;
  }

  function isOnQueue(n: number): boolean {
    return parentEdgeName(n) === 'unconsumedEvents' && isContext(after.sourceOfEdge(parentEdge[n]));
  }

  function locationKey(n: number): string {
    const loc = raw.nodeLocation ? raw.nodeLocation[n] : -1;
    return loc < 0 ? '' : `${raw.locationScript[loc]}:${raw.locationLine[loc]}:${raw.locationColumn[loc]}`;
  }

  function sourceOf(n: number): HolderSource | null {
    const loc = raw.nodeLocation ? raw.nodeLocation[n] : -1;
    if (loc < 0) return null;
    const script = scripts.get(raw.locationScript[loc]);
    return script ? { script, line: raw.locationLine[loc], column: raw.locationColumn[loc] } : null;
  }

  function describe(h: number, g: Group): GrowingHolder {
    const e = parentEdge[h];
    const parent = e === NONE ? -1 : after.sourceOfEdge(e);
    const edge = e === NONE ? null : edgeNameText(raw, e);
    const grand = parent >= 0 && parentEdge[parent] !== NONE ? parentEdge[parent] : NONE;
    const listeners = parent >= 0 && grand !== NONE && edgeNameText(raw, grand) === '_events';
    const eventsObject = edge === '_events';
    if (isOnQueue(h)) return describeOnQueue(h, parent, g);
    if (isContext(h)) {
      const variable = describeScopeVariable(h, g);
      if (variable) return variable;
    }
    const store = listeners || eventsObject ? null : asyncLocalStore(after, h, contextScript);
    const modules = moduleCache(after, h, old);
    const kind = modules ? 'module-cache' : holderKind(h, listeners || eventsObject, edge);
    // The owner: the module or function whose context holds it, else the class of the object it is a property of.
    const ownerScript = store ? store.script : modules ? modules.requiredBy : ownerScriptOf(parent);
    const className = classes.names[classes.classOf[h]];
    const path = store
      ? storePath(store, className)
      : modules
        ? modulesPath(modules)
        : readablePath(h, kind, edge, parent, listeners, eventsObject, ownerScript);
    const name = listeners
      ? emitterName(parent)
      : store
        ? (store.steps.at(-1) ?? null)
        : !modules && edge && !/^\d+$/.test(edge)
          ? edge
          : null;
    const event = listeners ? edge : eventsObject ? newEvent(h) : null;
    const eventsOf = eventsObject ? event : null;
    return {
      id: raw.nodeId[h],
      kind,
      path,
      name,
      event,
      entriesBefore: eventsOf
        ? listenerCount(before, before.ordinalOf(raw.nodeId[h]), eventsOf)
        : entries(before, before.ordinalOf(raw.nodeId[h]), kind),
      entriesAfter: eventsOf ? listenerCount(after, h, eventsOf) : entries(after, h, kind),
      newObjects: g.newObjects,
      newBytes: g.newBytes,
      retainedBytes: tree.retainedSize[h],
      ownerScript,
      ...entriesKept(g),
      createdBy: null,
      countLive: kind !== 'timers' && kind !== 'promise',
      assigned: false,
      asyncStorage: store && !store.steps.length ? store.storage : null,
      eventsOf,
    };
  }

  /** The function and class of most new objects a holder keeps (closures by location, objects by class). */
  function entriesKept(g: Group): Pick<GrowingHolder, 'entryFunction' | 'entryClass'> {
    const fnKey = top(g.functions);
    const fnNode = fnKey ? findClosureAt(fnKey) : -1;
    const cls = entryClassOf(g);
    return {
      entryFunction: fnNode >= 0 ? sourceOf(fnNode) : null,
      entryClass: cls !== undefined ? { name: classes.names[cls], constructor: classSource(classes.keys[cls]) } : null,
    };
  }

  /**
   * A closure context holds what grows: one of its variables was given a new value that keeps the old ones (each
   * new closure captures the previous value: a closure chain), or a new collection (`list = [...list, x]`). Named
   * after the variable; a chain is counted in links.
   */
  function describeScopeVariable(ctx: number, g: Group): GrowingHolder | null {
    const variable = reassignedVariable(after, ctx, old);
    if (!variable) return null;
    const value = variable.value;
    const links = closureChainLinks(after, value);
    const chain = links >= MIN_CHAIN_LINKS;
    const kind = chain ? 'closure' : holderKind(value, false, variable.name);
    const earlier = variableValue(before, raw.nodeId[ctx], variable.name);
    const ownerScript = contextScript(ctx);
    const type = chain ? 'closure chain' : classes.names[classes.classOf[value]];
    return {
      id: raw.nodeId[value],
      kind,
      path: `${variable.name} (${type}) in ${ownerScript ? `module ${baseName(ownerScript)}` : 'a closure'}`,
      name: variable.name,
      event: null,
      entriesBefore: chain ? closureChainLinks(before, earlier) : entries(before, earlier, kind),
      entriesAfter: chain ? links : entries(after, value, kind),
      newObjects: g.newObjects,
      newBytes: g.newBytes,
      retainedBytes: tree.retainedSize[value],
      ownerScript,
      ...entriesKept(g),
      createdBy: null,
      // A function has no entries to count, and the variable may hold a newer value by now: the snapshots count.
      countLive: false,
      assigned: true,
      asyncStorage: null,
      eventsOf: null,
    };
  }

  /** An events.on() queue: named by the event and emitter its listener is registered on (`feed._events.tick`). */
  function describeOnQueue(h: number, ctx: number, g: Group): GrowingHolder {
    // The iterator also listens for 'error' and its `close` events (errorHandler, closeHandler in the same
    // context): the event it queues is the one whose listener is none of those.
    const handlers = new Set<number>();
    for (let e = raw.firstEdge[ctx]; e < raw.firstEdge[ctx + 1]; e++)
      if (/^(error|close)Handler$/.test(edgeNameText(raw, e))) handlers.add(raw.edgeTo[e]);
    let found: { event: string; emitter: number; aux: boolean } | null = null;
    for (const r of after.retainers(raw.nodeId[ctx], { limit: 200 }).items) {
      const closure = after.ordinalOf(r.node.id);
      if (r.name !== 'context' || closure < 0 || raw.nodeType[closure] !== t.closure) continue;
      for (const l of after.retainers(r.node.id, { limit: 50 }).items) {
        const at = listenerSlot(after.ordinalOf(l.node.id), l.name);
        if (at && (!found || (found.aux && !handlers.has(closure)))) found = { ...at, aux: handlers.has(closure) };
      }
    }
    const event = found?.event ?? null;
    const emitter = found?.emitter ?? -1;
    const emitterName = emitter >= 0 ? parentEdgeName(emitter) : null;
    const emitterParent = emitter >= 0 && parentEdge[emitter] !== NONE ? after.sourceOfEdge(parentEdge[emitter]) : -1;
    const ownerScript = ownerScriptOf(emitterParent);
    const cls = entryClassOf(g);
    const on = event === null ? '' : ` of '${event}'${emitterName ? ` on ${emitterName}` : ''}`;
    return {
      id: raw.nodeId[h],
      kind: 'other',
      path: `events.on() iterator${on}`,
      name: emitterName,
      event,
      entriesBefore: queuedEvents(before, before.ordinalOf(raw.nodeId[h])),
      entriesAfter: queuedEvents(after, h),
      newObjects: g.newObjects,
      newBytes: g.newBytes,
      retainedBytes: tree.retainedSize[h],
      ownerScript,
      entryFunction: null,
      entryClass: cls !== undefined ? { name: classes.names[cls], constructor: classSource(classes.keys[cls]) } : null,
      createdBy: 'events.on',
      countLive: false,
      assigned: false,
      asyncStorage: null,
      eventsOf: null,
    };
  }

  /**
   * The event and emitter of a listener slot: `holder[edge]` is the listener, where `holder` is an emitter's
   * `_events` object or (with several listeners) the array under it.
   */
  function listenerSlot(holder: number, edge: string): { event: string; emitter: number } | null {
    let event = edge;
    let n = holder;
    for (let i = 0; i < 3 && n >= 0 && parentEdge[n] !== NONE; i++) {
      const up = after.sourceOfEdge(parentEdge[n]);
      if (parentEdgeName(n) === '_events') return /^\d+$/.test(event) ? null : { event, emitter: up };
      if (raw.nodeType[n] !== t.array) event = parentEdgeName(n) ?? event;
      n = up;
    }
    return null;
  }

  /** The script that owns what `parent` holds: the module or function of a context, else the object's class. */
  function ownerScriptOf(parent: number): string | null {
    if (parent < 0) return null;
    if (isContext(parent)) return contextScript(parent);
    return classSource(classes.keys[classes.classOf[parent]])?.script ?? sourceOf(parent)?.script ?? null;
  }

  function holderKind(h: number, listeners: boolean, edge: string | null): RetainerKind {
    const name = classes.names[classes.classOf[h]];
    if (listeners) return 'listeners';
    // Node's timer lists (a list per duration, in timerListMap): a list created between the snapshots is new itself.
    if (name === 'TimersList' || name === 'Timeout' || edge === 'timerListMap') return 'timers';
    if (raw.nodeType[h] === t.closure || isContext(h)) return 'closure';
    if (name === 'Array') return 'array';
    if (name === 'Map' || name === 'WeakMap') return 'map';
    if (name === 'Set' || name === 'WeakSet') return 'set';
    if (name === 'Promise') return 'promise';
    if (raw.nodeType[h] === t.object) return 'object';
    return 'other';
  }

  function parentEdgeName(n: number): string | null {
    return parentEdge[n] === NONE ? null : edgeNameText(raw, parentEdge[n]);
  }

  function isContext(n: number): boolean {
    return raw.strings.get(raw.nodeName[n]) === 'system / Context';
  }

  /** The script of a closure whose context is `ctx` (the module or function that owns the variables). */
  function contextScript(ctx: number): string | null {
    // Paged: a module context is also retained through `previous` by every inner function context (thousands when
    // closures leak), which can fill the first pages before any function's `context` edge.
    for (let offset = 0; offset < 200_000; offset += 1000) {
      const page = after.retainers(raw.nodeId[ctx], { offset, limit: 1000 }).items;
      for (const r of page) {
        const c = after.ordinalOf(r.node.id);
        if (r.name !== 'context' || c < 0) continue;
        const src = sourceOf(c);
        if (src) return src.script;
      }
      if (page.length < 1000) break;
    }
    return null;
  }

  /** A new closure at `key` kept under the holder: found through any closure with that location. */
  function findClosureAt(key: string): number {
    for (let n = 0; n < raw.nodeCount; n++) if (raw.nodeType[n] === t.closure && locationKey(n) === key) return n;
    return -1;
  }

  /**
   * The class the holder's new objects are "of": the most numerous class a script defines (a constructor with a
   * location, e.g. LeakyOrderRecord), else the most numerous class. Built-ins such as the Arrays inside each record
   * are often more numerous but say nothing about what leaks.
   */
  function entryClassOf(g: Group): number | undefined {
    const own = new Map([...g.classes].filter(([c]) => classSource(classes.keys[c]) !== null));
    return top(own) ?? top(g.classes);
  }

  function classSource(key: string): HolderSource | null {
    const m = /^(\d+),(\d+),(\d+),/.exec(key);
    const script = m ? scripts.get(Number(m[1])) : undefined;
    return m && script ? { script, line: Number(m[2]), column: Number(m[3]) } : null;
  }

  /** The event of an `_events` object whose listener entry is new (a new listener array or function). */
  function newEvent(events: number): string | null {
    for (let e = raw.firstEdge[events]; e < raw.firstEdge[events + 1]; e++)
      if (raw.edgeType[e] === raw.layout.edgeType.property && !old[raw.edgeTo[e]]) return edgeNameText(raw, e);
    return null;
  }

  /** The variable or property that holds an EventEmitter (`bus` in `bus._events.reload`). */
  function emitterName(eventsObject: number): string | null {
    const e = parentEdge[eventsObject];
    if (e === NONE) return null;
    const emitter = after.sourceOfEdge(e);
    return parentEdge[emitter] === NONE ? null : edgeNameText(raw, parentEdge[emitter]);
  }

  function readablePath(
    h: number,
    kind: RetainerKind,
    edge: string | null,
    parent: number,
    listeners: boolean,
    eventsObject: boolean,
    ownerScript: string | null,
  ): string {
    const className = classes.names[classes.classOf[h]];
    if (listeners) return `listeners of '${edge}' on ${emitterName(parent) ?? 'an EventEmitter'}`;
    if (eventsObject) {
      // The event's listener array itself is new (the second listener turns a function into an array).
      const event = newEvent(h);
      const emitter = parentEdgeName(parent) ?? 'an EventEmitter';
      return event ? `listeners of '${event}' on ${emitter}` : `listeners on ${emitter}`;
    }
    if (kind === 'timers') return 'active timers (TimersList)';
    if (parent >= 0 && isContext(parent) && edge)
      return `${edge} (${className}) in ${ownerScript ? `module ${baseName(ownerScript)}` : 'a closure'}`;
    const steps: string[] = [];
    let n = h;
    for (let i = 0; i < 4 && parentEdge[n] !== NONE; i++) {
      const src = after.sourceOfEdge(parentEdge[n]);
      if (src === raw.rootOrdinal || raw.nodeType[src] === t.synthetic) break;
      const name = edgeNameText(raw, parentEdge[n]);
      steps.unshift(/^\d+$/.test(name) ? `[${name}]` : `.${name}`);
      n = src;
      if (isContext(src)) break;
    }
    const head = isContext(n) ? '' : classes.names[classes.classOf[n]];
    return `${head}${steps.join('')}`.replace(/^\./, '') + ` (${className})`;
  }
}

interface Group {
  newObjects: number;
  newBytes: number;
  functions: Map<string, number>;
  classes: Map<number, number>;
}

function tally<K>(m: Map<K, number>, k: K): void {
  if (k !== '') m.set(k, (m.get(k) ?? 0) + 1);
}

function top<K>(m: Map<K, number>): K | undefined {
  let best: K | undefined;
  let n = 0;
  for (const [k, v] of m) if (v > n) [best, n] = [k, v];
  return best;
}

/** `store.results (Array) of AsyncLocalStorage worker in module jobs.js`: the store as `getStore()` returns it. */
function storePath(store: AsyncStore, className: string): string {
  const steps = ['store', ...store.steps].join('.').replace(/\.\[/g, '[');
  const storage = store.storage ? `AsyncLocalStorage ${store.storage}` : 'an AsyncLocalStorage';
  return `${steps} (${className}) of ${storage}${store.script ? ` in module ${baseName(store.script)}` : ''}`;
}

/** `require.cache and children of module app.js`: every place the required modules stay. */
function modulesPath(m: ModuleCache): string {
  const children = m.requiredBy ? `children of module ${baseName(m.requiredBy)}` : 'children of the requiring module';
  if (m.inCache && m.inChildren) return `require.cache and ${children}`;
  return m.inCache ? 'require.cache' : children;
}

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

/** Events in an events.on() queue: the filled slots of each FixedCircularBuffer list chained from it. */
function queuedEvents(model: HeapSnapshotModel, queue: number): number {
  if (queue < 0) return 0;
  const { raw } = model.analysis;
  const seen = new Set<number>();
  const buffers = [queue];
  let count = 0;
  while (buffers.length && seen.size < 10_000) {
    const n = buffers.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    for (let e = raw.firstEdge[n]; e < raw.firstEdge[n + 1]; e++) {
      const name = edgeNameText(raw, e);
      const to = raw.edgeTo[e];
      if (raw.nodeType[to] !== raw.layout.nodeType.object) continue; // `next: null` ends the chain
      if (name === 'head' || name === 'tail' || name === 'next') buffers.push(to);
      else if (name === 'list' && n !== queue) count += filledElements(raw, to);
    }
  }
  return count;
}

/** Element slots of an array that hold something (empty slots point to the `undefined` oddball, a hidden node). */
function filledElements(raw: HeapSnapshotModel['analysis']['raw'], array: number): number {
  let count = 0;
  for (let e = raw.firstEdge[array]; e < raw.firstEdge[array + 1]; e++)
    if (raw.edgeType[e] === raw.layout.edgeType.element && raw.nodeType[raw.edgeTo[e]] !== raw.layout.nodeType.hidden)
      count++;
  return count;
}

/** Listeners of `event` in an emitter's `_events` object: an array's elements, 1 for a lone function, else 0. */
function listenerCount(model: HeapSnapshotModel, events: number, event: string): number {
  if (events < 0) return 0;
  const { raw } = model.analysis;
  for (let e = raw.firstEdge[events]; e < raw.firstEdge[events + 1]; e++) {
    if (edgeNameText(raw, e) !== event) continue;
    const to = raw.edgeTo[e];
    return raw.nodeType[to] === raw.layout.nodeType.closure ? 1 : entries(model, to, 'listeners');
  }
  return 0;
}

/** Entries a holder has: elements and properties (through backing stores), or the live timers. */
function entries(model: HeapSnapshotModel, n: number, kind: RetainerKind): number {
  if (n < 0) return 0;
  const { raw, classes } = model.analysis;
  if (kind === 'timers') {
    const timeout = classes.names.indexOf('Timeout');
    let count = 0;
    for (let i = 0; i < raw.nodeCount; i++) if (classes.classOf[i] === timeout) count++;
    return count;
  }
  const t = raw.layout.nodeType;
  const et = raw.layout.edgeType;
  // An array's elements and a dictionary's properties are edges of the holder itself and again of its backing store:
  // the store counts only when the holder has none (a Map's or Set's table).
  const visit = (node: number, depth: number, stores: boolean): number => {
    let count = 0;
    for (let e = raw.firstEdge[node]; e < raw.firstEdge[node + 1]; e++) {
      const to = raw.edgeTo[e];
      const type = raw.edgeType[e];
      const name = type === et.element || type === et.hidden ? '' : raw.strings.get(raw.edgeName[e]);
      if (name === 'table' || name === 'elements' || name === 'properties') {
        if (stores && depth < 2) count += visit(to, depth + 1, stores);
      } else if (raw.nodeType[to] === t.hidden || name === 'map' || name === '__proto__' || name === 'constructor')
        continue;
      // Backing stores (a Map's table) hold their entries through internal edges; the holder itself by name.
      else if (type === et.element || type === et.property || (depth > 0 && type === et.internal)) count++;
    }
    return count;
  };
  return visit(n, 0, false) || visit(n, 0, true);
}

/** Script id → script name (absolute path or URL), from the scripts the snapshot's functions point to. */
function scriptNames(model: HeapSnapshotModel): Map<number, string> {
  const { raw } = model.analysis;
  const out = new Map<number, string>();
  if (!raw.nodeLocation) return out;
  const t = raw.layout.nodeType;
  const child = (n: number, name: string): number => {
    for (let e = raw.firstEdge[n]; e < raw.firstEdge[n + 1]; e++)
      if (edgeNameText(raw, e) === name) return raw.edgeTo[e];
    return -1;
  };
  for (let n = 0; n < raw.nodeCount; n++) {
    if (raw.nodeType[n] !== t.closure) continue;
    const loc = raw.nodeLocation[n];
    if (loc < 0 || out.has(raw.locationScript[loc])) continue;
    const shared = child(n, 'shared');
    const script = shared < 0 ? -1 : child(shared, 'script_or_debug_info');
    const alt = shared < 0 || script >= 0 ? script : child(shared, 'script');
    if (alt >= 0) {
      const name = nodeDisplayName(raw, alt);
      if (name && !name.startsWith('system /')) out.set(raw.locationScript[loc], name);
    }
  }
  return out;
}
