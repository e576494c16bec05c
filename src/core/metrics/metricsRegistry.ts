import type { HeapSpaceReading } from '../gc/heapSpaces';
import type { LeakMetric } from '../leak/types';
import type { AlertLevel, GcResult, MemorySample } from '../types';
import type { ObjectCounts } from '../objects/objectCounter';
import { exportedFigures, type ExportedKey } from './memoryMetrics';

/** Upper bounds (seconds) of the GC-duration histogram buckets: prom-client's `nodejs_gc_duration_seconds` ones. */
export const GC_DURATION_BUCKETS = [0.001, 0.01, 0.1, 1, 2, 5] as const;

/** What a process's leak detection knows at scrape time (`--detect-leaks`). */
export interface LeakState {
  /** The metrics a leak is suspected in, with the growth rate of their post-GC baseline. */
  suspected: Array<{ metric: LeakMetric; rateBytesPerSec: number }>;
  /** The latest heap baseline taken right after a full GC, or null before the first. */
  postGcHeap: { t: number; bytes: number } | null;
  /**
   * Seconds from now until each limit is reached, the soonest over the standing verdicts (absent: no verdict stands,
   * or none is on a path to that limit); 0 once crossed.
   */
  forecast?: Partial<Record<ForecastLimit, number>>;
}

/** The `limit` label of `memmon_forecast_seconds`: the critical and emergency thresholds and V8's heap limit. */
export const FORECAST_LIMITS = ['critical', 'emergency', 'heap_limit'] as const;
export type ForecastLimit = (typeof FORECAST_LIMITS)[number];

/** The latest state of one monitored process, as exposed to Prometheus. */
export interface ProcessMetrics {
  pid: number | null;
  /** The program's name (its main script's file name, or the command), the `program` label. */
  program: string;
  /** The exported memory figures of the last sample (null before the first, or when unknown). */
  usage: Record<ExportedKey, number | null> | null;
  /** Sum of positive `freed` over diagnostic GCs (a counter never decreases). */
  gcFreedTotal: number;
  gcRuns: number;
  lastGcDurationMs: number | null;
  /** Diagnostic GC durations: count per bucket of GC_DURATION_BUCKETS (not cumulative; the last is +Inf). */
  gcDurationCounts: number[];
  gcDurationSumSeconds: number;
  /** Heap after the last diagnostic GC. */
  lastGcHeapAfter: { t: number; bytes: number } | null;
  /** The last `v8.getHeapSpaceStatistics()` reading, or null before it (or when the target cannot give it). */
  heapSpaces: HeapSpaceReading | null;
  /** Read at scrape time; null (or a source answering null) while no leak detection runs for the process. */
  leak: (() => LeakState | null) | null;
  objects: Map<string, number>;
  alertLevel: AlertLevel;
  skippedTotal: Map<string, number>;
}

/** Latest metric values per process, updated from monitor events and read by the exposition. */
export class MetricsRegistry {
  private readonly processes = new Map<string, ProcessMetrics>();
  /** Kept apart so that setting one does not expose a process before the monitor tracker added it. */
  private readonly leakSources = new Map<string, () => LeakState | null>();

  private entry(pid: number | null): ProcessMetrics {
    const key = String(pid ?? 'unknown');
    let e = this.processes.get(key);
    if (!e) {
      e = {
        pid,
        program: 'unknown',
        usage: null,
        gcFreedTotal: 0,
        gcRuns: 0,
        lastGcDurationMs: null,
        gcDurationCounts: new Array<number>(GC_DURATION_BUCKETS.length + 1).fill(0),
        gcDurationSumSeconds: 0,
        lastGcHeapAfter: null,
        heapSpaces: null,
        leak: null,
        objects: new Map(),
        alertLevel: 'normal',
        skippedTotal: new Map(),
      };
      this.processes.set(key, e);
    }
    return e;
  }

  /** Adds a process so it is exposed before its first sample; `program` becomes its `program` label. */
  addProcess(pid: number | null, program?: string): void {
    const e = this.entry(pid);
    if (program) e.program = program;
  }

  onSample(s: MemorySample, vms: number | null): void {
    this.entry(s.pid).usage = exportedFigures(s, vms);
  }

  onGc(g: GcResult): void {
    const e = this.entry(g.pid);
    e.gcRuns++;
    e.gcFreedTotal += Math.max(0, g.freed);
    e.lastGcDurationMs = g.durationMs;
    const seconds = g.durationMs / 1000;
    const bucket = GC_DURATION_BUCKETS.findIndex((le) => seconds <= le);
    e.gcDurationCounts[bucket < 0 ? GC_DURATION_BUCKETS.length : bucket]++;
    e.gcDurationSumSeconds += seconds;
    e.lastGcHeapAfter = { t: g.t, bytes: g.after.heapUsed };
  }

  onHeapSpaces(pid: number | null, spaces: HeapSpaceReading): void {
    this.entry(pid).heapSpaces = spaces;
  }

  /** Lets the exposition read a process's leak detection (null stops it). */
  setLeakSource(pid: number | null, source: (() => LeakState | null) | null): void {
    const key = String(pid ?? 'unknown');
    if (source) this.leakSources.set(key, source);
    else this.leakSources.delete(key);
  }

  onObjects(o: ObjectCounts): void {
    const e = this.entry(o.pid);
    for (const [cls, n] of Object.entries(o.counts)) e.objects.set(cls, n);
  }

  onAlertLevel(pid: number | null, level: AlertLevel): void {
    this.entry(pid).alertLevel = level;
  }

  onSkipped(pid: number | null, task: string): void {
    const e = this.entry(pid);
    e.skippedTotal.set(task, (e.skippedTotal.get(task) ?? 0) + 1);
  }

  /** Stops exposing a process that went away. */
  removeProcess(pid: number | null): void {
    this.processes.delete(String(pid ?? 'unknown'));
    this.leakSources.delete(String(pid ?? 'unknown'));
  }

  /** Every process's current values. */
  snapshot(): ProcessMetrics[] {
    return [...this.processes].map(([key, e]) => ({ ...e, leak: this.leakSources.get(key) ?? null }));
  }
}
