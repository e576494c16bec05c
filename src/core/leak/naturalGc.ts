import type { InspectorConnection } from '../inspector/connection';
import { numberFields } from '../inspector/evaluate';
import { describeError, logDebug, logFailure } from '../log';
import type { ForcedGcReading } from './forcedGc';

/** The live heap right after a full collection V8 made on its own (a free baseline). */
export interface NaturalBaseline {
  /** Epoch ms at the end of the collection (debuggee clock). */
  t: number;
  heapUsed: number;
  external: number | null;
}

/** What one drain brings back: the natural baselines since the last drain and the heap now. */
export interface NaturalGcDrain {
  baselines: NaturalBaseline[];
  /**
   * heapUsed right after the last young-generation collection since the previous drain (null if none): an upper
   * bound of the live heap (old-generation garbage is still in it), without the young generation's garbage.
   */
  minorAfter: number | null;
  /** heapUsed at the drain (includes garbage): what the next forced GC will have to mark, at most. */
  heapUsedNow: number;
  /** Debuggee CPU clock (ms) after the drain, to charge the drain itself. */
  cpuClockMs: number;
  /** Debuggee CPU the drain took (ms). */
  cpuMs: number;
}

const OBJECT_GROUP = 'memmon-leak-natural-gc';

/**
 * The debuggee-side watcher, created once and held as a remote object (no global is left in the program).
 * `v8.GCProfiler` records the heap statistics V8 reports right after each collection (exact live size after a
 * mark-compact, no allocation in between) but no time; `PerformanceObserver('gc')` gives each major GC's time.
 * Each profiler record belongs to the window between two drains; the performance entries that started in that window
 * are its collections' times, paired by order. Node.js delivers those entries from a later turn of the event loop, so
 * a drain can come before them (a busy event loop delays them for seconds): the window then waits for them, up to 10 s,
 * after which missing times are spread over the window — never all set to the drain's time, which made several baselines one (and a 20 MB/s leak's first
 * seconds, where most of its early baselines are, too few for the trend test). Forced GCs go through `force` so they
 * are never counted twice (their profiler record is dropped, their performance entry ignored).
 */
const CREATE_WATCHER = `(() => {
  const v8 = require('v8');
  const { PerformanceObserver, performance } = require('perf_hooks');
  if (typeof v8.GCProfiler !== 'function') return undefined;
  let profiler = new v8.GCProfiler();
  profiler.start();
  let windowStart = performance.now();
  let ends = [];
  const pending = [];
  const ignored = [];
  const keep = (e) => {
    if (!e.detail || e.detail.kind !== 4) return;
    if (ignored.some(([a, b]) => e.startTime >= a && e.startTime <= b)) return;
    ends.push([e.startTime, e.startTime + e.duration]);
    if (ends.length > 256) ends.splice(0, ends.length - 256);
  };
  const observer = new PerformanceObserver((list) => list.getEntries().forEach(keep));
  observer.observe({ entryTypes: ['gc'] });
  const restart = () => {
    const r = profiler.stop();
    profiler = new v8.GCProfiler();
    profiler.start();
    const window = [windowStart, performance.now()];
    windowStart = window[1];
    return { r, window };
  };
  const epoch = (ms) => Math.min(Date.now(), Math.round(performance.timeOrigin + ms));
  return {
    drain(flush) {
      const c0 = process.cpuUsage();
      const { r, window } = restart();
      observer.takeRecords().forEach(keep);
      const stats = (r && r.statistics) || [];
      const majors = stats.filter((s) => s.gcType === 'MarkSweepCompact');
      let minorAfter = null;
      for (const s of stats) if (s.gcType === 'Scavenge' || s.gcType === 'MinorMarkCompact') minorAfter = s.afterGC.heapStatistics.usedHeapSize;
      if (majors.length) pending.push({ window, majors });
      const baselines = [];
      while (pending.length) {
        const w = pending[0];
        const [a, b] = w.window;
        const mine = ends.filter((e) => e[0] >= a && e[0] <= b);
        let times;
        if (mine.length >= w.majors.length) times = mine.slice(0, w.majors.length).map((e) => epoch(e[1]));
        else if (flush || performance.now() - b > 10000) times = w.majors.map((_, i) => epoch(a + ((b - a) * (i + 0.5)) / w.majors.length));
        else break;
        pending.shift();
        w.majors.forEach((s, i) => baselines.push({
          t: times[i],
          heapUsed: s.afterGC.heapStatistics.usedHeapSize,
          external: s.afterGC.heapStatistics.externalMemory,
        }));
      }
      ends = ends.filter((e) => e[0] >= (pending.length ? pending[0].window[0] : windowStart));
      const c1 = process.cpuUsage();
      return {
        baselines,
        minorAfter,
        heapUsedNow: v8.getHeapStatistics().used_heap_size,
        cpuMs: (c1.user + c1.system - c0.user - c0.system) / 1000,
        cpuClockMs: (c1.user + c1.system) / 1000,
      };
    },
    force(gc) {
      const drained = this.drain(true);
      const p0 = performance.now();
      const c0 = process.cpuUsage();
      gc();
      const m = process.memoryUsage();
      const c1 = process.cpuUsage();
      restart();
      ignored.push([p0, performance.now()]);
      if (ignored.length > 8) ignored.shift();
      return {
        drained,
        reading: { heapUsed: m.heapUsed, external: m.external, rss: m.rss, cpuMs: (c1.user + c1.system - c0.user - c0.system) / 1000, cpuClockMs: (c1.user + c1.system) / 1000 },
      };
    },
    stop() {
      profiler.stop();
      observer.disconnect();
    },
  };
})()`;

/**
 * Full collections V8 makes on its own, as leak baselines: a fast-growing heap is collected often by V8 itself,
 * exactly when forced GCs are too expensive to repeat within the cost budget. Needs `v8.GCProfiler`
 * (Node.js ≥ 18.15 / 19.6); elsewhere `active` stays false and only forced GCs give baselines.
 */
export class NaturalGcWatch {
  private objectId: string | null = null;

  constructor(private readonly connection: InspectorConnection) {}

  /** True when the watcher runs in the debuggee. */
  get active(): boolean {
    return this.objectId !== null;
  }

  async init(): Promise<void> {
    try {
      const r = await this.connection.send(
        'Runtime.evaluate',
        { expression: CREATE_WATCHER, includeCommandLineAPI: true, objectGroup: OBJECT_GROUP, silent: true },
        5000,
      );
      this.objectId = !r.exceptionDetails && r.result.type === 'object' ? (r.result.objectId ?? null) : null;
      // A runtime may have a look-alike `v8` module (Bun): one drain, answered promptly, proves the watcher works.
      if (this.objectId && !parseDrain(await this.call('function () { return this.drain(); }', [], 5000)))
        this.objectId = null;
    } catch (err) {
      logDebug(`natural GC baselines unavailable (${describeError(err)}); forced GCs only`);
      this.objectId = null;
    }
  }

  /** The natural major GCs since the last drain; null when the watcher is gone (e.g. the context was reset). */
  async drain(): Promise<NaturalGcDrain | null> {
    if (!this.objectId) return null;
    const value = await this.call('function () { return this.drain(); }', []);
    const drained = parseDrain(value);
    if (!drained) this.objectId = null;
    return drained;
  }

  /**
   * Drains, then runs the remote `gc` function (see ForcedGc) in the same round trip, keeping that forced collection
   * out of the natural baselines. Null when the watcher is gone.
   */
  async force(gcObjectId: string): Promise<{ drained: NaturalGcDrain; reading: ForcedGcReading } | null> {
    if (!this.objectId) return null;
    const value = (await this.call('function (gc) { return this.force(gc); }', [{ objectId: gcObjectId }])) as
      { drained?: unknown; reading?: unknown } | undefined;
    const drained = parseDrain(value?.drained);
    const reading = numberFields(value?.reading, 'heapUsed', 'external', 'rss', 'cpuMs', 'cpuClockMs');
    if (!drained || !reading) {
      this.objectId = null;
      return null;
    }
    return { drained, reading };
  }

  /** Stops the watcher in the debuggee and releases it. */
  async dispose(): Promise<void> {
    const id = this.objectId;
    this.objectId = null;
    if (!id || this.connection.isClosed) return;
    await this.connection
      .send(
        'Runtime.callFunctionOn',
        { objectId: id, functionDeclaration: 'function () { this.stop(); }', silent: true },
        3000,
      )
      .catch(logFailure('stopping the natural GC watcher'));
    await this.connection
      .send('Runtime.releaseObjectGroup', { objectGroup: OBJECT_GROUP }, 3000)
      .catch(logFailure("releasing the natural GC watcher's handle"));
  }

  private async call(
    functionDeclaration: string,
    args: Array<{ objectId: string }>,
    timeoutMs = 30_000,
  ): Promise<unknown> {
    try {
      const r = await this.connection.send(
        'Runtime.callFunctionOn',
        { objectId: this.objectId!, functionDeclaration, arguments: args, returnByValue: true, silent: true },
        timeoutMs,
      );
      return r.exceptionDetails ? undefined : (r.result.value as unknown);
    } catch (err) {
      if (this.connection.isClosed) throw err;
      return undefined;
    }
  }
}

/** A drain result from the debuggee (untrusted shape) or undefined. */
function parseDrain(value: unknown): NaturalGcDrain | null {
  const head = numberFields(value, 'heapUsedNow', 'cpuMs', 'cpuClockMs');
  if (!head) return null;
  const list = (value as { baselines?: unknown }).baselines;
  if (!Array.isArray(list)) return null;
  const baselines: NaturalBaseline[] = [];
  for (const b of list) {
    const n = numberFields(b, 't', 'heapUsed');
    if (!n) continue;
    const external = (b as { external?: unknown }).external;
    baselines.push({ t: n.t, heapUsed: n.heapUsed, external: typeof external === 'number' ? external : null });
  }
  const minorAfter = (value as { minorAfter?: unknown }).minorAfter;
  return {
    baselines,
    minorAfter: typeof minorAfter === 'number' ? minorAfter : null,
    heapUsedNow: head.heapUsedNow,
    cpuMs: head.cpuMs,
    cpuClockMs: head.cpuClockMs,
  };
}
