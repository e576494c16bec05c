import path from 'node:path';
import { MetricsCsvWriter } from '../../../core/metrics/metricsCsvWriter';
import { MetricsRegistry } from '../../../core/metrics/metricsRegistry';
import type { MetricsServer } from '../../../core/metrics/metricsServer';
import { trackMonitorMetrics } from '../../../core/metrics/monitorMetrics';
import type { ProcessMonitor } from '../../../core/monitor/processMonitor';
import type { SessionPlugin } from '../monitorSession';

export interface MetricsPluginOptions {
  /** Write `metric` records (memory.usage.rss, …) into each process's recording at most this often (ms). */
  intervalMs: number;
  /** Directory for CSV files (`--metrics-csv`), null for none. */
  csvDir: string | null;
  registry: MetricsRegistry;
  /** The running `/metrics` endpoint, if `--metrics-port` was given. */
  server: MetricsServer | null;
  /** Refresh the per-space series this often (0 = the served names need none). */
  heapSpacesIntervalMs: number;
}

/**
 * Named metrics for `memmon run` / `attach`: `metric` records in each recording (`--log-dir`), optional CSV
 * files next to them, and the values behind the Prometheus endpoint.
 */
export class MetricsSessionPlugin implements SessionPlugin {
  private readonly csvFiles: string[] = [];
  private readonly disposers: Array<() => void> = [];

  constructor(private readonly options: MetricsPluginOptions) {}

  /** The values behind the endpoint, for other features (leak detection) to add to. */
  get registry(): MetricsRegistry {
    return this.options.registry;
  }

  attach(monitor: ProcessMonitor): void {
    const pid = monitor.pid;
    const csv = this.options.csvDir
      ? new MetricsCsvWriter(
          path.join(
            this.options.csvDir,
            `memmon-metrics-${pid ?? 'unknown'}-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`,
          ),
        )
      : null;
    if (csv) this.csvFiles.push(csv.file);
    this.disposers.push(
      trackMonitorMetrics(monitor, this.options.registry, {
        recordIntervalMs: this.options.intervalMs,
        csv,
        heapSpacesIntervalMs: this.options.heapSpacesIntervalMs,
      }),
    );
  }

  summarize(): Record<string, unknown> {
    return { metrics: { url: this.options.server?.url ?? null, csv: this.csvFiles } };
  }

  async finish(): Promise<void> {
    for (const d of this.disposers) d();
    await this.options.server?.close();
  }
}
