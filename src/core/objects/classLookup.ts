/*
 * Code evaluated in the debuggee to find a class (constructor) by name. Kept in one place because it runs in
 * someone else's process: it defines no globals, returns only the constructors it found, and never throws.
 */

/** A watched class name: an identifier, optionally dotted (`http.Agent`, `pg.Client`). */
const CLASS_NAME_PATTERN = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

/** True when `name` is something `--watch-class` accepts. */
export function isValidClassName(name: string): boolean {
  return CLASS_NAME_PATTERN.test(name);
}

/**
 * Expression resolving `name` cheaply, without walking the heap: (1) a property path on `globalThis`,
 * (2) a global lexical binding (`class X {}` at the top level of a classic script, visible to indirect eval),
 * (3) CommonJS modules in `require.cache`: the module's export itself, `exports[name]`, `exports.default[name]`.
 * Evaluates to an array of `[constructor, where]` pairs (distinct constructors), possibly empty.
 */
export function cheapLookupExpression(name: string): string {
  if (!isValidClassName(name)) throw new Error(`invalid class name "${name}"`);
  const path = JSON.stringify(name.split('.'));
  const last = JSON.stringify(name.split('.').pop());
  return `(() => {
  const path = ${path}, last = ${last}, found = [];
  const isClass = (v) => typeof v === 'function' && v.prototype !== null && typeof v.prototype === 'object';
  const add = (v, where) => { try { if (isClass(v) && !found.some((f) => f[0] === v)) found.push([v, where]); } catch {} };
  const walk = (root) => { let v = root; for (const k of path) { if (v === null || v === undefined) return undefined; v = v[k]; } return v; };
  try { add(walk(globalThis), 'global'); } catch {}
  if (!found.length && path.length === 1) { try { add((0, eval)('typeof ' + path[0] + " === 'function' ? " + path[0] + ' : undefined'), 'global lexical scope'); } catch {} }
  if (found.length) return found;
  let cache = null;
  try {
    const proc = globalThis.process;
    const Module = (proc && typeof proc.getBuiltinModule === 'function' && proc.getBuiltinModule('module')) || (proc && proc.mainModule && proc.mainModule.constructor);
    cache = Module && Module._cache;
  } catch {}
  if (cache) {
    for (const file of Object.keys(cache)) {
      try {
        const ex = cache[file] && cache[file].exports;
        if (ex === null || ex === undefined) continue;
        if (path.length === 1 && typeof ex === 'function' && ex.name === last) add(ex, file);
        add(walk(ex), file);
        if (ex.default) add(walk(ex.default), file);
      } catch {}
    }
  }
  return found;
})()`;
}

/**
 * Called on the array `Runtime.queryObjects(Function.prototype)` returns (every function in the heap):
 * keeps constructors whose `name` is the last part of the class name. Finds classes nothing exports.
 */
export const FILTER_FUNCTIONS_BY_NAME = `function (last) {
  const found = [];
  for (const f of this) {
    try {
      if (f.name === last && f.prototype !== null && typeof f.prototype === 'object') found.push([f, 'heap']);
    } catch {}
  }
  return found;
}`;

/** Called on an array of `[constructor, where]` pairs: their prototypes, for `Runtime.queryObjects`. */
export const PROTOTYPES_OF = 'function () { return this.map((p) => p[0].prototype); }';

/** Called on an array of `[constructor, where]` pairs: where each was found (by value). */
export const WHERE_OF = 'function () { return this.map((p) => String(p[1])); }';

/**
 * Called on the array `Runtime.queryObjects(C.prototype)` returns: its length without the prototype objects of
 * subclasses (they have `C.prototype` in their chain too but are not instances anyone created).
 */
export const COUNT_INSTANCES = `function () {
  let n = 0;
  const own = Object.prototype.hasOwnProperty;
  for (const o of this) {
    try {
      if (own.call(o, 'constructor') && typeof o.constructor === 'function' && o.constructor.prototype === o) continue;
    } catch {}
    n++;
  }
  return n;
}`;
