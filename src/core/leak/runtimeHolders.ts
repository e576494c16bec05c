import { edgeNameText, nodeDisplayName } from '../heap/analyze/nodeNames';
import type { HeapSnapshotModel } from '../heap/index';

// Holders that the edge names on their path do not explain: a scope variable given a new value that keeps the old
// ones (a closure chain), an AsyncLocalStorage store, require.cache. Each is recognised by how Node or V8 lays it
// out in a heap snapshot, and named the way a developer would write it.

const NONE = 0xffffffff;
/** Closure contexts nested under a variable's value from which it is a chain (fewer: closures side by side). */
export const MIN_CHAIN_LINKS = 3;
/** Nodes visited under one value when measuring a chain (a chain is long and thin, a collection wide). */
const MAX_VISITED = 200_000;

/** A variable of a module or function scope (a closure context) that holds a value new since the first snapshot. */
export interface ScopeVariable {
  name: string;
  /** Ordinal of its value in the snapshot it was read from. */
  value: number;
}

/** The variable of context `ctx` whose value is new (`old[value]` unset) and keeps the most (retained size). */
export function reassignedVariable(model: HeapSnapshotModel, ctx: number, old: Uint8Array): ScopeVariable | null {
  const { raw, tree } = model.analysis;
  let best: ScopeVariable | null = null;
  for (let e = raw.firstEdge[ctx]; e < raw.firstEdge[ctx + 1]; e++) {
    const to = raw.edgeTo[e];
    if (raw.edgeType[e] !== raw.layout.edgeType.context || old[to] || !raw.nodeSelfSize[to]) continue;
    if (!best || tree.retainedSize[to] > tree.retainedSize[best.value])
      best = { name: edgeNameText(raw, e), value: to };
  }
  return best;
}

/** The value of variable `name` in the context with node id `ctxId` (-1 when the context or variable is absent). */
export function variableValue(model: HeapSnapshotModel, ctxId: number, name: string): number {
  const { raw } = model.analysis;
  const ctx = model.ordinalOf(ctxId);
  if (ctx < 0) return -1;
  for (let e = raw.firstEdge[ctx]; e < raw.firstEdge[ctx + 1]; e++)
    if (raw.edgeType[e] === raw.layout.edgeType.context && edgeNameText(raw, e) === name) return raw.edgeTo[e];
  return -1;
}

/**
 * Links of the closure chain under `value`: the most closure contexts on one path down the dominator tree (each
 * closure's context keeps the previous value). Closures side by side in a collection are one context deep: a chain
 * has at least MIN_CHAIN_LINKS.
 */
export function closureChainLinks(model: HeapSnapshotModel, value: number): number {
  if (value < 0) return 0;
  const { raw, tree } = model.analysis;
  const isContext = (n: number) => raw.strings.get(raw.nodeName[n]) === 'system / Context';
  const nodes = [value];
  const depths = [isContext(value) ? 1 : 0];
  let deepest = 0;
  for (let visited = 0; nodes.length && visited < MAX_VISITED; visited++) {
    const n = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > deepest) deepest = depth;
    for (let i = tree.firstDominated[n]; i < tree.firstDominated[n + 1]; i++) {
      const c = tree.dominated[i];
      nodes.push(c);
      depths.push(depth + (isContext(c) ? 1 : 0));
    }
  }
  return deepest;
}

/** Node's async_hooks AsyncLocalStorage (Node 20, 22) keeps its store in each async resource under this symbol. */
const STORE_EDGE = '<symbol kResourceStore>';
/** Node 24's AsyncLocalStorage keeps its store in a Map keyed by the AsyncLocalStorage, which resources share. */
const FRAME_CLASS = 'AsyncContextFrame';

/** An AsyncLocalStorage store that is, or holds, a growing holder. */
export interface AsyncStore {
  /** Property names from the store down to the holder (`['results']`); empty when the store is the holder. */
  steps: string[];
  /** The variable or property that holds the AsyncLocalStorage, when one does. */
  storage: string | null;
  /** The script whose scope holds that variable. */
  script: string | null;
}

/**
 * The AsyncLocalStorage store above holder `h` (within a few properties), named after the AsyncLocalStorage it
 * belongs to (several may exist): the key next to it in an AsyncContextFrame's table, or the one whose
 * `kResourceStore` symbol keys the resource's property.
 */
export function asyncLocalStore(
  model: HeapSnapshotModel,
  h: number,
  scriptOfContext: (ctx: number) => string | null,
): AsyncStore | null {
  const { raw, parentEdge, classes } = model.analysis;
  const steps: string[] = [];
  const found = (storage: number): AsyncStore => {
    const named = storage < 0 ? null : storageName(model, storage, scriptOfContext);
    return { steps, storage: named?.name ?? null, script: named?.script ?? null };
  };
  let n = h;
  for (let i = 0; i < 6 && parentEdge[n] !== NONE; i++) {
    const e = parentEdge[n];
    const name = edgeNameText(raw, e);
    const up = model.sourceOfEdge(e);
    if (name === STORE_EDGE) return found(storageOf(model, up, n));
    const owner = parentEdge[up] === NONE ? -1 : model.sourceOfEdge(parentEdge[up]);
    if (owner >= 0 && classes.names[classes.classOf[owner]] === FRAME_CLASS && /^\d+$/.test(name)) {
      // The frame's hash table holds each entry as key, value: the AsyncLocalStorage is the slot before the store.
      const key = child(model, up, String(Number(name) - 1));
      return found(key >= 0 && classes.names[classes.classOf[key]] === 'AsyncLocalStorage' ? key : -1);
    }
    // Backing stores (an array's elements, a dictionary's properties) are not steps a developer writes.
    if (raw.nodeType[up] !== raw.layout.nodeType.array && raw.nodeType[up] !== raw.layout.nodeType.hidden)
      steps.unshift(raw.edgeType[e] === raw.layout.edgeType.element ? `[${name}]` : name);
    n = up;
  }
  return null;
}

/**
 * The AsyncLocalStorage whose symbol keys the property of `resource` that holds `store` (-1 when that cannot be told).
 * Every enabled AsyncLocalStorage gives each new resource a property under its own `kResourceStore` symbol, all
 * shown as `<symbol kResourceStore>`: the key is found in the resource's property dictionary, next to the value,
 * or in its hidden class's descriptors, which list its properties in the order the snapshot's edges do.
 */
function storageOf(model: HeapSnapshotModel, resource: number, store: number): number {
  const { raw, classes } = model.analysis;
  const storageBySymbol = new Map<number, number>();
  for (let n = 0; n < raw.nodeCount; n++)
    if (raw.nodeType[n] === raw.layout.nodeType.object && classes.names[classes.classOf[n]] === 'AsyncLocalStorage')
      storageBySymbol.set(child(model, n, 'kResourceStore'), n);
  if (storageBySymbol.size <= 1) return storageBySymbol.values().next().value ?? -1;
  const dictionary = child(model, resource, 'properties');
  for (
    let e = dictionary < 0 ? 0 : raw.firstEdge[dictionary];
    dictionary >= 0 && e < raw.firstEdge[dictionary + 1];
    e++
  )
    if (raw.edgeTo[e] === store) {
      const key = child(model, dictionary, String(Number(edgeNameText(raw, e)) - 1));
      if (storageBySymbol.has(key)) return storageBySymbol.get(key)!;
    }
  const values: number[] = [];
  for (let e = raw.firstEdge[resource]; e < raw.firstEdge[resource + 1]; e++)
    if (edgeNameText(raw, e) === STORE_EDGE) values.push(raw.edgeTo[e]);
  // A hidden class shares its descriptors with the classes it transitions to: its own come first.
  const descriptors = child(model, child(model, resource, 'map'), 'descriptors');
  const keys: number[] = [];
  for (
    let e = descriptors < 0 ? 0 : raw.firstEdge[descriptors];
    descriptors >= 0 && e < raw.firstEdge[descriptors + 1];
    e++
  )
    if (storageBySymbol.has(raw.edgeTo[e])) keys.push(raw.edgeTo[e]);
  const k = values.indexOf(store);
  return k >= 0 && keys.length >= values.length ? storageBySymbol.get(keys[k])! : -1;
}

/** How the program refers to an AsyncLocalStorage: a variable of a script's scope, else a property holding it. */
function storageName(
  model: HeapSnapshotModel,
  storage: number,
  scriptOfContext: (ctx: number) => string | null,
): { name: string; script: string | null } | null {
  const { raw } = model.analysis;
  let property: string | null = null;
  for (const r of model.retainers(raw.nodeId[storage], { limit: 100 }).items) {
    const from = model.ordinalOf(r.node.id);
    if (r.edgeType === 'context' && from >= 0) {
      const script = scriptOfContext(from);
      // async_hooks keeps every enabled AsyncLocalStorage in its own list: that is not the program's name for it.
      if (!script?.startsWith('node:')) return { name: r.name, script };
    } else if (r.edgeType === 'property' && !property) property = r.name;
  }
  return property ? { name: property, script: null } : null;
}

/** require.cache or a module's `children` keeping modules required since the first snapshot. */
export interface ModuleCache {
  /** The new modules are in require.cache. */
  inCache: boolean;
  /** The new modules are in the `children` of the module that required them. */
  inChildren: boolean;
  /** The file of the module that required them. */
  requiredBy: string | null;
}

/**
 * When `h` is require.cache (Module._cache) or a module's `children` array: where the modules it gained are kept
 * and which module required them (Node's `node:module_parent`, else the owner of `children`).
 */
export function moduleCache(model: HeapSnapshotModel, h: number, old: Uint8Array): ModuleCache | null {
  const { raw, parentEdge, classes } = model.analysis;
  const className = (n: number) => classes.names[classes.classOf[n]];
  if (parentEdge[h] === NONE) return null;
  const edge = edgeNameText(raw, parentEdge[h]);
  const parent = model.sourceOfEdge(parentEdge[h]);
  const isCache = (n: number) => {
    if (parentEdge[n] === NONE) return false;
    const name = edgeNameText(raw, parentEdge[n]);
    return (name === '_cache' || name === 'cache') && className(model.sourceOfEdge(parentEdge[n])) === 'Function';
  };
  const isChildren = edge === 'children' && className(parent) === 'Module';
  if (!isCache(h) && !isChildren) return null;
  let module = -1;
  for (let e = raw.firstEdge[h]; e < raw.firstEdge[h + 1] && module < 0; e++)
    if (!old[raw.edgeTo[e]] && className(raw.edgeTo[e]) === 'Module') module = raw.edgeTo[e];
  let inCache = isCache(h);
  let inChildren = isChildren;
  if (module >= 0)
    for (const r of model.retainers(raw.nodeId[module], { limit: 100 }).items) {
      const from = model.ordinalOf(r.node.id);
      if (from < 0) continue;
      inCache ||= isCache(from);
      inChildren ||=
        r.edgeType === 'element' && parentEdge[from] !== NONE && edgeNameText(raw, parentEdge[from]) === 'children';
    }
  const requirer = isChildren ? parent : module >= 0 ? child(model, module, '<symbol node:module_parent>') : -1;
  const file = requirer >= 0 && className(requirer) === 'Module' ? child(model, requirer, 'filename') : -1;
  return { inCache, inChildren, requiredBy: file >= 0 ? nodeDisplayName(raw, file) : null };
}

function child(model: HeapSnapshotModel, n: number, name: string): number {
  if (n < 0) return -1;
  const { raw } = model.analysis;
  for (let e = raw.firstEdge[n]; e < raw.firstEdge[n + 1]; e++) if (edgeNameText(raw, e) === name) return raw.edgeTo[e];
  return -1;
}
