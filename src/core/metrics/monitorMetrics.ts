import { readHeapSpaces } from '../gc/heapSpaces';
import type { ProcessMonitor } from '../monitor/processMonitor';
import type { ObjectCounts } from '../objects/objectCounter';
import { readProcessMemory } from '../sampling/processMemory';
import type { GcResult, MemorySample } from '../types';
import type { MetricsCsvWriter } from './metricsCsvWriter';
import { gcMetrics, MetricPoint, metricRecord, objectMetrics, usageMetrics } from './metricNames';
import type { MetricsRegistry } from './metricsRegistry';
import { readProgramName } from './programName';

export interface MonitorMetricsOptions {
  /** Write usage `metric` records into the monitor's recording at most this often (default 5 s). */
  recordIntervalMs?: number;
  /** Also append every metric point to this CSV writer (closed with the returned disposer). */
  csv?: MetricsCsvWriter | null;
  /** The `program` label when the debuggee cannot tell its main script (e.g. the command or the session's name). */
  program?: string;
  /**
   * Read `v8.getHeapSpaceStatistics()` in the debuggee this often for the per-space series (default 0 = never); each
   * read is one cheap evaluation, skipped while `heapSpacesWanted()` is false (e.g. no endpoint is serving them).
   */
  heapSpacesIntervalMs?: number;
  heapSpacesWanted?: () => boolean;
}

/**
 * Feeds one monitor's samples, GCs, object counts and alert level into a MetricsRegistry (for `/metrics`), and
 * writes dotted-name `metric` records into its recording (and CSV). The process is added to the registry once its
 * program name is known (one evaluation), so its series never change labels. Returns a disposer that detaches
 * everything.
 */
export function trackMonitorMetrics(
  monitor: ProcessMonitor,
  registry: MetricsRegistry,
  options: MonitorMetricsOptions = {},
): () => void {
  const pid = monitor.pid;
  const csv = options.csv ?? null;
  const intervalMs = options.recordIntervalMs ?? 5000;
  const write = (t: number, source: 'usage' | 'gc' | 'objects', points: MetricPoint[]) => {
    if (!points.length) return;
    monitor.record(metricRecord(t, pid, source, points));
    csv?.write(t, pid, points);
  };
  let lastUsage = -Infinity;
  const onSample = async (s: MemorySample) => {
    const vms = pid && s.rss !== null ? ((await readProcessMemory(pid))?.vms ?? null) : null;
    if (disposed) return;
    registry.onSample(s, vms);
    registry.onAlertLevel(pid, monitor.alerts.overall);
    if (s.t - lastUsage >= intervalMs) {
      lastUsage = s.t;
      write(s.t, 'usage', usageMetrics(s, vms));
    }
  };
  const listeners = {
    sample: (s: MemorySample) => void onSample(s),
    alert: () => registry.onAlertLevel(pid, monitor.alerts.overall),
    gc: (g: GcResult) => {
      registry.onGc(g);
      write(g.t, 'gc', gcMetrics(g));
    },
    objects: (o: ObjectCounts) => {
      registry.onObjects(o);
      write(o.t, 'objects', objectMetrics(o));
    },
    closed: () => dispose(),
  };
  let spacesTimer: NodeJS.Timeout | undefined;
  let readingSpaces = false;
  const readSpaces = async () => {
    if (readingSpaces || disposed || monitor.connection.isClosed || !(options.heapSpacesWanted?.() ?? true)) return;
    readingSpaces = true;
    try {
      const spaces = await readHeapSpaces(monitor.connection).catch(() => null);
      if (spaces && !disposed) registry.onHeapSpaces(pid, spaces);
    } finally {
      readingSpaces = false;
    }
  };
  let disposed = false;
  void readProgramName(monitor.connection).then((name) => {
    if (disposed) return;
    if (monitor.connection.isClosed) return dispose();
    registry.addProcess(pid, name ?? options.program ?? 'unknown');
    for (const s of monitor.history.toArray().slice(-1)) void onSample(s);
    for (const [event, fn] of Object.entries(listeners)) monitor.on(event, fn);
    const every = options.heapSpacesIntervalMs ?? 0;
    if (every > 0) {
      void readSpaces();
      spacesTimer = setInterval(() => void readSpaces(), every);
      spacesTimer.unref?.();
    }
  });
  const dispose = () => {
    if (disposed) return;
    disposed = true;
    clearInterval(spacesTimer);
    for (const [event, fn] of Object.entries(listeners)) monitor.off(event, fn);
    registry.removeProcess(pid);
    csv?.close();
  };
  return dispose;
}
