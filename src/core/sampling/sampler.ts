import { EventEmitter } from 'node:events';
import { Clock, systemClock } from '../clock';
import { InspectorConnection, InspectorError } from '../inspector/connection';
import {
  MEMORY_USAGE_EXPRESSION,
  MemoryUsageReading,
  readMemoryUsage as parseMemoryUsage,
  sampleFigures,
} from '../metrics/memoryMetrics';
import { evaluateValue } from '../inspector/evaluate';
import { DomCounters, MemorySample } from '../types';
import { readMainThreadCpuNs, readProcessMemory } from './processMemory';

export interface SamplerOptions {
  /** Time between samples (default 1000 ms). */
  intervalMs?: number;
  /** Time between `process.memoryUsage()` evaluations for external/arrayBuffers (default 10 s; 0 = never). */
  memoryUsageIntervalMs?: number;
  /** The debuggee's pid, when the caller knows it; otherwise learned once by evaluating `process.pid`. */
  pid?: number | null;
  /** A `worker_threads` Worker's threadId, carried by every sample (omit for the main thread). */
  threadId?: number;
  /** A browser page (pid null): the renderer process whose RSS the samples carry (see findRendererPid). */
  rssPid?: number | null;
  /** Read RSS from the OS (the debuggee runs on this machine). */
  local?: boolean;
  /**
   * Reuse the last heap reading while the debuggee's main thread has not run (local Linux targets):
   * JavaScript can neither allocate nor collect without it, so the heap cannot have changed, and a protocol
   * round trip would only wake an idle process. Default on: at most 300 µs of main-thread CPU since the last
   * reading, and a fresh reading at least every 10 s. `false` asks every interval.
   */
  idleReuse?: { maxCpuNs: number; maxAgeMs: number } | false;
  /** Time source and timers (default: the system clock). */
  clock?: Clock;
}

interface HeapUsage {
  usedSize: number;
  totalSize: number;
}

/**
 * Samples one debuggee's memory every interval and emits `sample` (MemorySample).
 *
 * Costs the debuggee almost nothing: heap figures come from `Runtime.getHeapUsage` (no JavaScript runs),
 * RSS from the OS, and only external/arrayBuffers need an evaluation, at a much lower rate.
 * A busy or paused debuggee never stalls the loop: readings it cannot give in time are carried over
 * and marked `stale`, and refreshed once it answers again.
 */
export class Sampler extends EventEmitter {
  private intervalValue: number;
  private lastTickAt = 0;
  private readonly memoryUsageIntervalMs: number;
  private readonly local: boolean;
  private readonly clock: Clock;
  private pidValue: number | null | undefined;
  private readonly rssPid: number | null;
  private readonly threadId: number | undefined;
  /** Cancels the wait for the next tick; null while a sample is in flight or when stopped. */
  private cancelTimer: (() => void) | null = null;
  private running = false;
  private heap: HeapUsage | null = null;
  private heapAt = 0;
  private heapInFlight: Promise<void> | null = null;
  /** Main-thread CPU time when the last heap reading arrived. */
  private heapCpuNs: number | null = null;
  private readonly idleReuse: { maxCpuNs: number; maxAgeMs: number } | false;
  /** Heap readings reused because the debuggee's main thread had not run (no request sent). */
  reusedReadings = 0;
  /** The last `process.memoryUsage()` reading: the figures the heap reading lacks. */
  private memoryUsage: MemoryUsageReading | null = null;
  private memoryUsageInFlight: Promise<void> | null = null;
  /**
   * True on inspectors without `Runtime.getHeapUsage` (Bun's WebKit Inspector Protocol): the heap figures then come
   * from the `process.memoryUsage()` evaluation, taken every interval.
   */
  private heapByEvaluation = false;
  /** The last DOM counters of a browser target; undefined until read, null when the target has none. */
  private dom: DomCounters | null | undefined;
  private domInFlight: Promise<void> | null = null;
  /** False on targets without `process` (browsers). */
  private memoryUsageAvailable = true;
  private lastMemoryUsageTry = -Infinity;
  /** The last evaluation failed (timeout), so the figures are carried over: samples mark `external` stale. */
  private memoryUsageFailed = false;

  constructor(
    private readonly conn: InspectorConnection,
    options: SamplerOptions = {},
  ) {
    super();
    this.intervalValue = clampInterval(options.intervalMs ?? 1000);
    this.memoryUsageIntervalMs = options.memoryUsageIntervalMs ?? 10_000;
    this.local = options.local ?? true;
    this.clock = options.clock ?? systemClock;
    this.pidValue = options.pid;
    this.threadId = options.threadId;
    this.rssPid = options.rssPid ?? null;
    this.idleReuse = options.idleReuse === undefined ? { maxCpuNs: 300_000, maxAgeMs: 10_000 } : options.idleReuse;
  }

  /** Time between samples. */
  get intervalMs(): number {
    return this.intervalValue;
  }

  /**
   * Changes the time between samples without reconnecting. A wait in progress is shortened or lengthened so the
   * next sample comes one new interval after the last one started (at once if that moment has passed).
   */
  setIntervalMs(ms: number): void {
    const next = clampInterval(ms);
    if (next === this.intervalValue) return;
    this.intervalValue = next;
    if (!this.running || !this.cancelTimer) return; // A sample in flight schedules the next one with the new interval.
    this.cancelTimer();
    this.scheduleTick(Math.max(0, next - (this.clock.now() - this.lastTickAt)));
  }

  /** The debuggee's pid (null for targets without one, undefined before start). */
  get pid(): number | null | undefined {
    return this.pidValue;
  }

  /** Learns the pid if needed, takes a first sample, then samples every interval until stopped. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    if (this.pidValue === undefined) this.pidValue = await learnPid(this.conn);
    if (!this.running) return;
    await this.tick();
  }

  stop(): void {
    this.running = false;
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  /** Takes one sample now (also used by the loop). */
  async sampleOnce(): Promise<MemorySample | null> {
    const started = this.clock.now();
    const wait = Math.min(Math.max(this.intervalMs * 0.8, 40), 1000);
    const stale: MemorySample['stale'] = [];

    const reuse = this.canReuseHeap(started);
    if (reuse) this.reusedReadings++;
    if (!reuse && !this.heapByEvaluation && !this.heapInFlight && !this.conn.isClosed) {
      this.heapInFlight = this.conn
        .send('Runtime.getHeapUsage', {}, 30_000)
        .then((h) => {
          this.heap = h;
          this.heapAt = this.clock.now();
          this.heapCpuNs = this.pidValue && this.local ? readMainThreadCpuNs(this.pidValue) : null;
        })
        // An unanswered reading is carried over and marked stale below; the sampler's job is to not wait for it.
        .catch((err: unknown) => {
          if (err instanceof InspectorError && err.code === 'protocol' && /not found/i.test(err.message))
            this.heapByEvaluation = true;
        })
        .finally(() => {
          this.heapInFlight = null;
        });
    }
    const wantMemoryUsage =
      this.memoryUsageAvailable &&
      (this.heapByEvaluation ||
        (this.memoryUsageIntervalMs > 0 && started - this.lastMemoryUsageTry >= this.memoryUsageIntervalMs));
    if (wantMemoryUsage && !this.memoryUsageInFlight && !this.conn.isClosed) {
      this.lastMemoryUsageTry = started;
      this.memoryUsageInFlight = this.readMemoryUsage().finally(() => {
        this.memoryUsageInFlight = null;
      });
    }
    // Browser targets (no process, so no pid) have a DOM: its counters ride along every sample.
    if (this.pidValue === null && this.dom !== null && !this.domInFlight && !this.conn.isClosed) {
      this.domInFlight = this.conn
        .send('Memory.getDOMCounters', {}, 30_000)
        .then((c) => {
          this.dom = { nodes: c.nodes, documents: c.documents, listeners: c.jsEventListeners };
        })
        .catch((err: unknown) => {
          if (err instanceof InspectorError && err.code === 'protocol') this.dom = null; // not a page
        })
        .finally(() => {
          this.domInFlight = null;
        });
    }
    // A debuggee that was busy when we asked for its pid gets asked again.
    if (this.pidValue === undefined && !this.conn.isClosed)
      this.pidValue = await learnPid(this.conn, Math.min(wait, 500));
    const osPid = this.pidValue ?? this.rssPid;
    const os = osPid && this.local ? readProcessMemory(osPid) : Promise.resolve(null);
    let cancelWait: () => void = () => undefined;
    await Promise.race([
      Promise.all([this.heapInFlight, wantMemoryUsage ? this.memoryUsageInFlight : null, this.domInFlight]),
      new Promise<void>((resolve) => (cancelWait = this.clock.setTimer(resolve, wait, { unref: true }))),
    ]);
    cancelWait();
    const mem = await os;

    if (!this.heap) return null; // never answered yet: nothing meaningful to report
    if (this.heapAt < started && !reuse) stale.push('heap');
    if (this.memoryUsageFailed) stale.push('external');
    const sample: MemorySample = {
      t: started,
      pid: this.pidValue ?? null,
      ...(this.threadId !== undefined && { threadId: this.threadId }),
      ...sampleFigures({
        heapUsage: this.heap,
        os: { rss: mem?.rss ?? (this.local ? null : (this.memoryUsage?.rss ?? null)), vms: mem?.vms ?? null },
        evaluated: this.memoryUsage?.figures ?? null,
      }),
    };
    if (this.dom) sample.dom = { ...this.dom };
    if (stale.length) sample.stale = stale;
    return sample;
  }

  /** True when the main thread has (almost) not run since the last heap reading, which is recent enough. */
  private canReuseHeap(now: number): boolean {
    if (!this.idleReuse || !this.heap || this.heapCpuNs === null || !this.pidValue || this.heapInFlight) return false;
    if (now - this.heapAt >= this.idleReuse.maxAgeMs) return false;
    const cpu = readMainThreadCpuNs(this.pidValue);
    return cpu !== null && cpu - this.heapCpuNs <= this.idleReuse.maxCpuNs;
  }

  /** Evaluates `process.memoryUsage()` for the figures `Runtime.getHeapUsage` lacks (external, arrayBuffers, rss). */
  private async readMemoryUsage(): Promise<void> {
    try {
      const value = await evaluateValue(this.conn, MEMORY_USAGE_EXPRESSION, { timeoutMs: 30_000 });
      if (!Array.isArray(value)) {
        // Not a Node.js target (e.g. a browser): these figures do not exist there.
        this.memoryUsageAvailable = false;
        this.memoryUsage = null;
        return;
      }
      this.memoryUsage = parseMemoryUsage(value as unknown[]);
      const { heapUsed, heapTotal } = this.memoryUsage;
      // The same V8 figures getHeapUsage gives: a free refresh of the heap reading.
      if (!this.heapInFlight && heapUsed !== null && heapTotal !== null) {
        this.heap = { usedSize: heapUsed, totalSize: heapTotal };
        this.heapAt = this.clock.now();
        this.heapCpuNs = this.pidValue && this.local ? readMainThreadCpuNs(this.pidValue) : null;
      }
      this.memoryUsageFailed = false;
    } catch {
      // Busy or paused: the last figures are carried over and samples say so (`stale: ['external']`).
      this.memoryUsageFailed = this.memoryUsage !== null;
    }
  }

  private scheduleTick(ms: number): void {
    this.cancelTimer = this.clock.setTimer(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    this.cancelTimer = null;
    if (!this.running) return;
    const started = this.clock.now();
    this.lastTickAt = started;
    try {
      const sample = await this.sampleOnce();
      if (sample && this.running) this.emit('sample', sample);
    } catch (err) {
      this.emit('error', err);
    }
    if (!this.running) return;
    this.scheduleTick(Math.max(0, this.intervalMs - (this.clock.now() - started)));
  }
}

/**
 * Learns a Node.js debuggee's pid with one evaluation: null for targets without `process`,
 * undefined when the debuggee did not answer (busy), so the caller can ask again later.
 */
export async function learnPid(conn: InspectorConnection, timeoutMs = 3000): Promise<number | null | undefined> {
  try {
    const v = await evaluateValue(conn, "typeof process === 'object' && process ? process.pid : null", { timeoutMs });
    return typeof v === 'number' ? v : null;
  } catch {
    return undefined; // busy or paused: the caller asks again later
  }
}

/**
 * The `worker_threads` threadId when the target is a Node.js Worker, else null (a main thread, a browser, no answer).
 * `require` exists only in the inspector's command-line API scope, hence includeCommandLineAPI.
 */
export async function learnThreadId(conn: InspectorConnection, timeoutMs = 3000): Promise<number | null> {
  const expression =
    "(() => { try { const w = require('node:worker_threads'); return w.isMainThread ? null : w.threadId; } catch { return null; } })()";
  try {
    const v = await evaluateValue(conn, expression, { timeoutMs, includeCommandLineAPI: true });
    return typeof v === 'number' ? v : null;
  } catch {
    return null; // busy or paused: treated as a main thread (the idle shortcut stays on)
  }
}

/** Intervals below 50 ms would make the debuggee do little else. */
function clampInterval(ms: number): number {
  return Number.isFinite(ms) ? Math.max(50, ms) : 1000;
}
