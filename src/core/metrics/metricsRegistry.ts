import type { AlertLevel, GcResult, MemorySample } from '../types';
import type { ObjectCounts } from '../objects/objectCounter';
import { exportedFigures, type ExportedKey } from './memoryMetrics';

/** The latest state of one monitored process, as exposed to Prometheus. */
export interface ProcessMetrics {
  pid: number | null;
  /** The exported memory figures of the last sample (null before the first, or when unknown). */
  usage: Record<ExportedKey, number | null> | null;
  /** Sum of positive `freed` over diagnostic GCs (a counter never decreases). */
  gcFreedTotal: number;
  gcRuns: number;
  lastGcDurationMs: number | null;
  objects: Map<string, number>;
  alertLevel: AlertLevel;
  skippedTotal: Map<string, number>;
}

/** Latest metric values per process, updated from monitor events and read by the exposition. */
export class MetricsRegistry {
  private readonly processes = new Map<string, ProcessMetrics>();

  private entry(pid: number | null): ProcessMetrics {
    const key = String(pid ?? 'unknown');
    let e = this.processes.get(key);
    if (!e) {
      e = {
        pid,
        usage: null,
        gcFreedTotal: 0,
        gcRuns: 0,
        lastGcDurationMs: null,
        objects: new Map(),
        alertLevel: 'normal',
        skippedTotal: new Map(),
      };
      this.processes.set(key, e);
    }
    return e;
  }

  /** Adds a process so it is exposed before its first sample. */
  addProcess(pid: number | null): void {
    this.entry(pid);
  }

  onSample(s: MemorySample, vms: number | null): void {
    this.entry(s.pid).usage = exportedFigures(s, vms);
  }

  onGc(g: GcResult): void {
    const e = this.entry(g.pid);
    e.gcRuns++;
    e.gcFreedTotal += Math.max(0, g.freed);
    e.lastGcDurationMs = g.durationMs;
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
  }

  /** Every process's current values. */
  snapshot(): ProcessMetrics[] {
    return [...this.processes.values()];
  }
}
