import { InspectorConnection } from '../inspector/connection';
import { callFunctionValue } from '../inspector/evaluate';
import {
  COUNT_INSTANCES,
  cheapLookupExpression,
  FILTER_FUNCTIONS_BY_NAME,
  isValidClassName,
  PROTOTYPES_OF,
  WHERE_OF,
} from './classLookup';
import { logFailure } from '../log';

/** Live instance counts of watched classes at one moment. Field names are the `objects` JSON-lines contract. */
export interface ObjectCounts {
  t: number;
  pid: number | null;
  /** Class name → live instances (subclass instances included). Only resolved classes appear. */
  counts: Record<string, number>;
  /** Class names that could not be resolved (or counted) this time, with the reason. */
  unresolved?: Record<string, string>;
  /** Wall time the count took (each class costs one full GC in the debuggee). */
  durationMs: number;
}

/** How one watched class name was resolved. */
export interface ClassResolution {
  name: string;
  /** Where each matching constructor was found: `global`, `global lexical scope`, a module file, or `heap`. */
  foundIn: string[];
  /** Remote handles of the prototypes, in the counter's long-lived object group. */
  prototypeIds: string[];
}

export interface ObjectCounterOptions {
  pid?: number | null;
  /** Search every function in the heap when the cheap lookup fails (default true; costs one full GC). */
  searchHeap?: boolean;
  /** Timeout of each `Runtime.queryObjects` (default 60 s: it walks the whole heap). */
  timeoutMs?: number;
}

/** Object group holding the resolved prototypes until dispose; every other handle lives in a per-call group. */
const PROTOTYPES_GROUP = 'memmon-object-counter-prototypes';
const SCRATCH_GROUP = 'memmon-object-counter';

/**
 * Counts live instances of classes given by name in a debuggee with `Runtime.queryObjects` on each class's
 * prototype. A class is resolved once (global scope, then CommonJS modules, then — for classes nobody exports —
 * every function in the heap named like it) and its prototype handle kept in one object group, released by
 * `dispose`. All other handles are released after each call; nothing is written into the debuggee.
 * Note: every `Runtime.queryObjects` forces a full GC in the debuggee first, so counts are of live objects.
 */
export class ObjectCounter {
  private readonly resolved = new Map<string, ClassResolution>();
  private readonly names: string[];
  private disposed = false;
  private busy: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly conn: InspectorConnection,
    classNames: readonly string[],
    private readonly options: ObjectCounterOptions = {},
  ) {
    for (const n of classNames)
      if (!isValidClassName(n))
        throw new Error(`invalid class name "${n}": expected an identifier such as Session or pg.Client`);
    this.names = [...new Set(classNames)];
  }

  /** The watched class names. */
  get classNames(): readonly string[] {
    return this.names;
  }

  /** How each class was resolved so far. */
  get resolutions(): ClassResolution[] {
    return [...this.resolved.values()];
  }

  /** Counts every watched class now (calls are serialized). */
  count(): Promise<ObjectCounts> {
    const run = this.busy.then(() => this.countNow());
    // The caller of count() gets the failure; the chain only orders the calls.
    this.busy = run.catch(() => undefined);
    return run;
  }

  private async countNow(): Promise<ObjectCounts> {
    if (this.disposed) throw new Error('object counter disposed');
    const t = Date.now();
    const started = performance.now();
    // Maps, turned into objects by Object.fromEntries (which defines own keys): `obj['__proto__'] = v` would set the
    // prototype instead, and a watched `__proto__` vanished from both counts and unresolved.
    const counts = new Map<string, number>();
    const unresolved = new Map<string, string>();
    for (const name of this.names) {
      try {
        let res = this.resolved.get(name) ?? (await this.resolve(name));
        if (!res) {
          unresolved.set(name, `no class named ${name} in the global scope, in loaded CommonJS modules or in the heap`);
          continue;
        }
        const n = await this.countResolved(res).catch(async (err: Error) => {
          // The handle went stale (e.g. a new context): resolve again once.
          if (!/find object|not found|Invalid/i.test(err.message)) throw err;
          this.resolved.delete(name);
          res = await this.resolve(name);
          return res ? this.countResolved(res) : null;
        });
        if (n === null) unresolved.set(name, `class ${name} is gone`);
        else counts.set(name, n);
      } catch (err) {
        if (this.conn.isClosed) throw err;
        unresolved.set(name, (err as Error).message);
      }
    }
    const result: ObjectCounts = {
      t,
      pid: this.options.pid ?? null,
      counts: Object.fromEntries(counts),
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
    if (unresolved.size) result.unresolved = Object.fromEntries(unresolved);
    return result;
  }

  /** Finds the constructor(s) named `name`; null when there is none. */
  private async resolve(name: string): Promise<ClassResolution | null> {
    try {
      const cheap = await this.conn.send(
        'Runtime.evaluate',
        { expression: cheapLookupExpression(name), objectGroup: SCRATCH_GROUP, silent: true },
        10_000,
      );
      if (cheap.exceptionDetails)
        throw new Error(
          `lookup of ${name} failed: ${cheap.exceptionDetails.exception?.description?.split('\n')[0] ?? cheap.exceptionDetails.text}`,
        );
      let pairsId: string | undefined = cheap.result.objectId;
      if ((await this.lengthOf(pairsId)) === 0 && this.options.searchHeap !== false)
        pairsId = await this.searchHeap(name);
      if (!pairsId || (await this.lengthOf(pairsId)) === 0) return null;
      const where = await callFunctionValue(this.conn, pairsId, WHERE_OF, 10_000);
      const protos = await this.conn.send(
        'Runtime.callFunctionOn',
        { objectId: pairsId, functionDeclaration: PROTOTYPES_OF, objectGroup: PROTOTYPES_GROUP, silent: true },
        10_000,
      );
      if (!protos.result.objectId) throw new Error(`lookup of ${name} failed: no prototypes returned`);
      const props = await this.conn.send(
        'Runtime.getProperties',
        { objectId: protos.result.objectId, ownProperties: true },
        10_000,
      );
      const prototypeIds = props.result.flatMap((p) =>
        /^\d+$/.test(p.name) && p.value?.objectId ? [p.value.objectId] : [],
      );
      // WHERE_OF returns an array of place names.
      const foundIn = Array.isArray(where) ? (where as string[]) : [];
      const res: ClassResolution = { name, foundIn, prototypeIds };
      this.resolved.set(name, res);
      return res;
    } finally {
      await this.releaseScratch();
    }
  }

  /** Every function in the heap named like the class (one `queryObjects` on Function.prototype). */
  private async searchHeap(name: string): Promise<string | undefined> {
    const fp = await this.conn.send(
      'Runtime.evaluate',
      { expression: 'Function.prototype', objectGroup: SCRATCH_GROUP, silent: true },
      10_000,
    );
    if (!fp.result.objectId) throw new Error('Function.prototype has no handle');
    const all = await this.conn.send(
      'Runtime.queryObjects',
      { prototypeObjectId: fp.result.objectId, objectGroup: SCRATCH_GROUP },
      this.options.timeoutMs ?? 60_000,
    );
    const r = await this.conn.send(
      'Runtime.callFunctionOn',
      {
        objectId: all.objects.objectId,
        functionDeclaration: FILTER_FUNCTIONS_BY_NAME,
        arguments: [{ value: name.split('.').pop() }],
        objectGroup: SCRATCH_GROUP,
        silent: true,
      },
      30_000,
    );
    return r.result?.objectId;
  }

  private async countResolved(res: ClassResolution): Promise<number> {
    let total = 0;
    try {
      for (const prototypeObjectId of res.prototypeIds) {
        const q = await this.conn.send(
          'Runtime.queryObjects',
          { prototypeObjectId, objectGroup: SCRATCH_GROUP },
          this.options.timeoutMs ?? 60_000,
        );
        const n = q.objects.objectId
          ? await callFunctionValue(this.conn, q.objects.objectId, COUNT_INSTANCES, 30_000)
          : undefined;
        if (typeof n !== 'number') throw new Error(`could not count instances of ${res.name}`);
        total += n;
      }
    } finally {
      await this.releaseScratch();
    }
    return total;
  }

  private async lengthOf(objectId: string | undefined): Promise<number> {
    if (!objectId) return 0;
    const length = await callFunctionValue(this.conn, objectId, 'function () { return this.length; }', 10_000);
    return typeof length === 'number' ? length : 0;
  }

  private async releaseScratch(): Promise<void> {
    if (this.conn.isClosed) return;
    await this.conn
      .send('Runtime.releaseObjectGroup', { objectGroup: SCRATCH_GROUP }, 5000)
      .catch(logFailure("releasing the object counter's scratch handles"));
  }

  /** Releases the prototype handles; the counter cannot be used afterwards. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.busy;
    this.resolved.clear();
    if (!this.conn.isClosed)
      await this.conn
        .send('Runtime.releaseObjectGroup', { objectGroup: PROTOTYPES_GROUP }, 5000)
        .catch(logFailure("releasing the watched classes' prototypes"));
  }
}
