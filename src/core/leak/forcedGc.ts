import type { InspectorConnection } from '../inspector/connection';

/** Readings right after a forced full GC, and what it cost the debuggee's CPU. */
export interface ForcedGcReading {
  heapUsed: number;
  external: number | null;
  rss: number | null;
  /** Debuggee CPU time of the GC (its own process.cpuUsage clock). */
  cpuMs: number;
  /** Debuggee CPU clock after the GC (ms), to charge later work against. */
  cpuClockMs: number;
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
 * Forced full GCs for clean baselines. `HeapProfiler.collectGarbage` asks V8 for a low-memory notification
 * (several full, compacting GCs: 2–6× the cost of one). So, when the debuggee allows it, memmon takes V8's own
 * `gc` function once (`--expose-gc` set at run time applies only to new contexts, so no global appears in the
 * program), holds it as a remote object in its own object group, and calls it. Falls back to the inspector command.
 */
export class ForcedGc {
  private gcObjectId: string | null = null;
  /** `gc-function` (one full GC) or `inspector` (HeapProfiler.collectGarbage). */
  mode: 'gc-function' | 'inspector' = 'inspector';

  constructor(private readonly connection: InspectorConnection) {}

  async init(): Promise<void> {
    try {
      const r = await this.connection.send(
        'Runtime.evaluate',
        {
          // `require` comes from Node's console command-line API, so this works for ESM programs too.
          expression: "require('v8').setFlagsFromString('--expose-gc'), require('vm').runInNewContext('gc')",
          includeCommandLineAPI: true,
          objectGroup: OBJECT_GROUP,
          silent: true,
        },
        5000,
      );
      if (r?.result?.type === 'function' && r.result.objectId) {
        this.gcObjectId = r.result.objectId;
        this.mode = 'gc-function';
      }
    } catch {
      this.gcObjectId = null;
    }
  }

  /** Forces a full GC and reads memory and CPU right after it. */
  async run(): Promise<ForcedGcReading | null> {
    if (this.gcObjectId) {
      try {
        const r = await this.connection.send(
          'Runtime.callFunctionOn',
          { objectId: this.gcObjectId, functionDeclaration: MEASURED_GC, returnByValue: true, silent: true },
          30_000,
        );
        if (r?.result?.value) return r.result.value as ForcedGcReading;
      } catch (err) {
        if (this.connection.isClosed) throw err;
      }
      // The handle went stale (e.g. the context was reset): use the inspector's command from now on.
      this.gcObjectId = null;
      this.mode = 'inspector';
    }
    const before = await this.evaluate('process.cpuUsage()');
    await this.connection.send('HeapProfiler.collectGarbage', {}, 30_000);
    const after = await this.evaluate(
      '(() => { const m = process.memoryUsage(); const c = process.cpuUsage(); return { m, c }; })()',
    );
    if (!after?.m) return null;
    const clock = (after.c.user + after.c.system) / 1000;
    return {
      heapUsed: after.m.heapUsed,
      external: after.m.external ?? null,
      rss: after.m.rss ?? null,
      cpuMs: before ? clock - (before.user + before.system) / 1000 : 0,
      cpuClockMs: clock,
    };
  }

  /** Releases the remote handle. */
  async dispose(): Promise<void> {
    if (!this.connection.isClosed)
      await this.connection
        .send('Runtime.releaseObjectGroup', { objectGroup: OBJECT_GROUP }, 3000)
        .catch(() => undefined);
    this.gcObjectId = null;
  }

  private async evaluate(expression: string): Promise<any> {
    const r = await this.connection.send('Runtime.evaluate', { expression, returnByValue: true, silent: true }, 5000);
    return r?.result?.value;
  }
}
