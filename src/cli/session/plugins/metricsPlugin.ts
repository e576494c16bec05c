import path from 'node:path';
import { MetricsCsvWriter } from '../../../core/metrics/metricsCsvWriter';
import { gcMetrics, MetricPoint, metricRecord, objectMetrics, usageMetrics } from '../../../core/metrics/metricNames';
import { MetricsRegistry } from '../../../core/metrics/metricsRegistry';
import type { MetricsServer } from '../../../core/metrics/metricsServer';
import type { ProcessMonitor } from '../../../core/monitor/processMonitor';
import type { ObjectCounts } from '../../../core/objects/objectCounter';
import { readProcessMemory } from '../../../core/sampling/processMemory';
import type { GcResult, MemorySample } from '../../../core/types';
import type { SessionPlugin } from '../monitorSession';

export interface MetricsPluginOptions {
  /** Write roadmap-named `metric` records into each process's recording at most this often (ms). */
  intervalMs: number;
  /** Directory for CSV files (`--metrics-csv`), null for none. */
  csvDir: string | null;
  registry: MetricsRegistry;
  /** The running `/metrics` endpoint, if `--metrics-port` was given. */
  server: MetricsServer | null;
}

/**
 * Roadmap-named metrics for `memmon run` / `attach`: `metric` records in each recording (`--log-dir`), optional CSV
 * files next to them, and the values behind the Prometheus endpoint.
 */
export class MetricsSessionPlugin implements SessionPlugin {
  private readonly csv: MetricsCsvWriter[] = [];

  constructor(private readonly options: MetricsPluginOptions) {}

  attach(monitor: ProcessMonitor): void {
    const { registry } = this.options;
    const pid = monitor.pid;
    registry.addProcess(pid);
    const csv = this.options.csvDir ? new MetricsCsvWriter(path.join(this.options.csvDir, `memmon-metrics-${pid ?? 'unknown'}-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`)) : null;
    if (csv) this.csv.push(csv);
    const write = (t: number, source: 'usage' | 'gc' | 'objects', points: MetricPoint[]) => {
      if (!points.length) return;
      monitor.record(metricRecord(t, pid, source, points));
      csv?.write(t, pid, points);
    };
    let lastUsage = -Infinity;
    const onSample = async (s: MemorySample) => {
      const vms = pid && s.rss !== null ? (await readProcessMemory(pid))?.vms ?? null : null;
      registry.onSample(s, vms);
      registry.onAlertLevel(pid, monitor.alerts.overall);
      if (s.t - lastUsage >= this.options.intervalMs) {
        lastUsage = s.t;
        write(s.t, 'usage', usageMetrics(s, vms));
      }
    };
    for (const s of monitor.history.toArray().slice(-1)) void onSample(s);
    monitor.on('sample', (s: MemorySample) => void onSample(s));
    monitor.on('alert', () => registry.onAlertLevel(pid, monitor.alerts.overall));
    monitor.on('gc', (g: GcResult) => {
      registry.onGc(g);
      write(g.t, 'gc', gcMetrics(g));
    });
    monitor.on('objects', (o: ObjectCounts) => {
      registry.onObjects(o);
      write(o.t, 'objects', objectMetrics(o));
    });
    monitor.once('closed', () => {
      registry.removeProcess(pid);
      csv?.close();
    });
  }

  summarize(): Record<string, unknown> {
    return { metrics: { url: this.options.server?.url ?? null, csv: this.csv.map((c) => c.file) } };
  }

  async finish(): Promise<void> {
    for (const c of this.csv) c.close();
    await this.options.server?.close();
  }
}
