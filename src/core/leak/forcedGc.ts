import { collectGarbage } from '../gc/collectGarbage';
import type { InspectorConnection } from '../inspector/connection';
import { callFunctionValue, evaluateValue, numberFields } from '../inspector/evaluate';
import { describeError, logDebug, logFailure } from '../log';
import { disablePageCpuClock, enablePageCpuClock, forcePageGc, isPageTarget, readPageCpuClockMs } from './pageGc';

/** Readings right after a forced full GC, and what it cost the debuggee's CPU. */
export interface ForcedGcReading {
  heapUsed: number;
  external: number | null;
  rss: number | null;
  /** Debuggee CPU time of the GC (its own process.cpuUsage clock). */
  cpuMs: number;
  /** Debuggee CPU clock after the GC (ms), to charge later work against. */
  cpuClockMs: number;
  /** A browser page's DOM node count right after the GC (absent for other targets). */
  domNodes?: number;
}

const OBJECT_GROUP = 'memmon-leak-gc';
/** Runs on the exposed gc function: one full GC, then the readings, in a single round trip. */
const MEASURED_GC = `function () {
  const c0 = process.cpuUsage();
  this();
  const m = process.memoryUsage();
  const c1 = process.cpuUsage();
  return { heapUsed: m.heapUsed, external: m.external, rss: m.rss, cpuMs: (c1.user + c1.system - c0.user - c0.system) / 1000, cpuClockMs: (c1.user + c1.system) / 1000 };
}`;

/**
 * Takes V8's `gc` function without leaving a trace: `--expose-gc` is set only for the one `vm` context that hands the
 * function over, then set back in the same synchronous evaluation, so no program code (and no later context, e.g. a
 * test runner's `vm` environment) ever sees the flag. A program started with `--expose-gc` keeps its flag untouched.
 * (A worker thread creating a context in that same microsecond could see it; nothing else can.)
 */
const TAKE_GC_FUNCTION = `(() => {
  const vm = require('vm');
  if (vm.runInNewContext('typeof gc') === 'function') return vm.runInNewContext('gc');
  const v8 = require('v8');
  v8.setFlagsFromString('--expose-gc');
  try {
    return vm.runInNewContext('gc');
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
})()`;

/**
 * Forced full GCs for clean baselines. `HeapProfiler.collectGarbage` asks V8 for a low-memory notification
 * (several full, compacting GCs: 2–6× the cost of one). So, when the debuggee allows it, memmon takes V8's own
 * `gc` function once (`--expose-gc` set for an instant and applying only to new contexts, so no global appears in the
 * program and its flags end as they were), holds it as a remote object in its own object group, and calls it. Falls back to the inspector command.
 */
export class ForcedGc {
  private gcObjectId: string | null = null;
  /** `gc-function` (one full GC) or `inspector` (HeapProfiler.collectGarbage). */
  mode: 'gc-function' | 'inspector' = 'inspector';
  /** A browser page (no `process`): readings come from the protocol (pageGc), with its DOM node count. */
  private page = false;
  private pageCpuClock = false;

  constructor(private readonly connection: InspectorConnection) {}

  /** The remote `gc` function's object id (gc-function mode), for callers that run it in their own round trip. */
  get handle(): string | null {
    return this.gcObjectId;
  }

  /** The remote handle failed: fall back to the inspector's command from now on. */
  dropHandle(): void {
    this.gcObjectId = null;
    this.mode = 'inspector';
  }

  /** True on a browser page, whose readings carry the DOM node count. */
  get isPage(): boolean {
    return this.page;
  }

  async init(): Promise<void> {
    if (await isPageTarget(this.connection)) {
      this.page = true;
      this.pageCpuClock = await enablePageCpuClock(this.connection);
      return;
    }
    try {
      const r = await this.connection.send(
        'Runtime.evaluate',
        {
          // `require` comes from Node's console command-line API, so this works for ESM programs too.
          expression: TAKE_GC_FUNCTION,
          includeCommandLineAPI: true,
          objectGroup: OBJECT_GROUP,
          silent: true,
        },
        5000,
      );
      if (r.result.type === 'function' && r.result.objectId) {
        this.gcObjectId = r.result.objectId;
        this.mode = 'gc-function';
      }
    } catch (err) {
      logDebug(
        `forced GC: V8's gc function is not available (${describeError(err)}); using HeapProfiler.collectGarbage`,
      );
      this.gcObjectId = null;
    }
  }

  /** Forces a full GC and reads memory and CPU right after it. */
  async run(): Promise<ForcedGcReading | null> {
    if (this.page) return forcePageGc(this.connection, this.pageCpuClock);
    if (this.gcObjectId) {
      try {
        const reading = numberFields(
          await callFunctionValue(this.connection, this.gcObjectId, MEASURED_GC, 30_000),
          'heapUsed',
          'external',
          'rss',
          'cpuMs',
          'cpuClockMs',
        );
        if (reading) return reading;
      } catch (err) {
        if (this.connection.isClosed) throw err;
      }
      // The handle went stale (e.g. the context was reset): use the inspector's command from now on.
      this.gcObjectId = null;
      this.mode = 'inspector';
    }
    const before = readCpuUsage(await evaluateValue(this.connection, 'process.cpuUsage()'));
    await collectGarbage(this.connection, 30_000);
    const after = (await evaluateValue(
      this.connection,
      '(() => { const m = process.memoryUsage(); const c = process.cpuUsage(); return { m, c }; })()',
    )) as { m?: { heapUsed?: unknown; external?: unknown; rss?: unknown }; c?: unknown } | undefined;
    const clock = readCpuUsage(after?.c);
    if (typeof after?.m?.heapUsed !== 'number' || clock === undefined) return null;
    const { heapUsed, external, rss } = after.m;
    return {
      heapUsed,
      external: typeof external === 'number' ? external : null,
      rss: typeof rss === 'number' ? rss : null,
      cpuMs: before !== undefined ? clock - before : 0,
      cpuClockMs: clock,
    };
  }

  /** The debuggee's CPU clock (ms): its process.cpuUsage(), or a page renderer's CPU time; undefined if unknown. */
  async readCpuClockMs(): Promise<number | undefined> {
    if (this.page) return this.pageCpuClock ? readPageCpuClockMs(this.connection) : undefined;
    return readCpuUsage(await evaluateValue(this.connection, 'process.cpuUsage()'));
  }

  /** Releases the remote handle. */
  async dispose(): Promise<void> {
    if (this.pageCpuClock) await disablePageCpuClock(this.connection);
    this.pageCpuClock = false;
    if (!this.connection.isClosed)
      await this.connection
        .send('Runtime.releaseObjectGroup', { objectGroup: OBJECT_GROUP }, 3000)
        .catch(logFailure("releasing the gc function's handle"));
    this.gcObjectId = null;
  }
}

/** Milliseconds of CPU (user + system) from a `process.cpuUsage()` result; undefined when it is not one. */
export function readCpuUsage(value: unknown): number | undefined {
  const c = numberFields(value, 'user', 'system');
  return c ? (c.user + c.system) / 1000 : undefined;
}
