import * as vscode from 'vscode';
import { DEFAULT_METRICS_NAMES, needsHeapSpaces, type MetricsNaming } from '../../core/metrics/metricFamilies';
import { MetricsRegistry, type LeakState } from '../../core/metrics/metricsRegistry';
import { MetricsServer } from '../../core/metrics/metricsServer';
import { trackMonitorMetrics } from '../../core/metrics/monitorMetrics';
import type { MonitorRegistry } from './monitorRegistry';
import type { SessionMonitor } from './sessionMonitor';

/** How often the per-space series are refreshed from each debuggee while the endpoint serves them. */
const HEAP_SPACES_INTERVAL_MS = 5000;

/**
 * Metrics of every monitored session: `metric` records in each recording (always), and the
 * Prometheus `/metrics` endpoint on 127.0.0.1 when `memoryMonitor.metricsPort` is set (null = off, 0 = a free port),
 * under the names `memoryMonitor.metricsNames` selects (read at every scrape, so a change applies at once).
 */
export class MetricsEndpoint implements vscode.Disposable {
  readonly metrics = new MetricsRegistry();
  private server: MetricsServer | null = null;
  private port: number | null = null;
  private names: readonly MetricsNaming[] = DEFAULT_METRICS_NAMES;
  private readonly tracked = new Map<SessionMonitor, vscode.Disposable>();
  private readonly subscription: vscode.Disposable;
  private pending: Promise<void> = Promise.resolve();
  private disposed = false;
  private readonly urlEmitter = new vscode.EventEmitter<string | null>();
  /** The endpoint started (its URL) or stopped (null). */
  readonly onDidChangeUrl = this.urlEmitter.event;

  constructor(
    private readonly registry: MonitorRegistry,
    private readonly log: vscode.LogOutputChannel,
    /** A session's leak detection (`memmon_leak_*` series); null while none runs. */
    private readonly leakState: (sessionId: string) => LeakState | null = () => null,
  ) {
    this.subscription = registry.onDidChange(() => this.sync());
    this.sync();
  }

  /** URL of the Prometheus endpoint, or null when it is off. */
  get url(): string | null {
    return this.server?.url ?? null;
  }

  /** The names served from the next scrape on. */
  setNames(names: readonly MetricsNaming[]): void {
    this.names = names;
  }

  /** Starts, moves or stops the endpoint for a (changed) `metricsPort` setting. */
  setPort(port: number | null): Promise<void> {
    if (port === this.port) return this.pending;
    this.port = port;
    this.pending = this.pending.then(() => this.restart(port));
    return this.pending;
  }

  private async restart(port: number | null): Promise<void> {
    const old = this.server;
    this.server = null;
    if (old) {
      await old.close();
      this.log.info(`Prometheus metrics endpoint ${old.url} closed`);
    }
    if (port === null || this.disposed || port !== this.port) {
      this.urlEmitter.fire(null);
      return;
    }
    try {
      this.server = await MetricsServer.listen(this.metrics, port, () => this.names);
      if (this.disposed) {
        await this.server.close();
        this.server = null;
        return;
      }
      this.log.info(`Prometheus metrics at ${this.server.url}`);
      this.urlEmitter.fire(this.server.url);
      if (port === 0)
        void vscode.window.showInformationMessage(
          vscode.l10n.t('Memory Monitor: Prometheus metrics at {0}', this.server.url),
        );
    } catch (err) {
      this.log.error(`Memory Monitor: cannot serve Prometheus metrics: ${(err as Error).message}`);
      void vscode.window.showErrorMessage(
        vscode.l10n.t('Memory Monitor: cannot serve Prometheus metrics: {0}', (err as Error).message),
      );
      this.urlEmitter.fire(null);
    }
  }

  /** Follows the set of live monitors: each is tracked while its debuggee is connected. */
  private sync(): void {
    const live = new Set(this.registry.live());
    for (const [monitor, d] of this.tracked) {
      if (!live.has(monitor)) {
        d.dispose();
        this.tracked.delete(monitor);
      }
    }
    for (const monitor of live) {
      if (this.tracked.has(monitor)) continue;
      this.metrics.setLeakSource(monitor.pid, () => this.leakState(monitor.id));
      const untrack = trackMonitorMetrics(monitor.processMonitor, this.metrics, {
        program: monitor.target.name,
        heapSpacesIntervalMs: HEAP_SPACES_INTERVAL_MS,
        heapSpacesWanted: () => this.server !== null && needsHeapSpaces(this.names),
      });
      const skips = monitor.onDidSkip((s) => this.metrics.onSkipped(monitor.pid, s.task));
      this.tracked.set(
        monitor,
        new vscode.Disposable(() => {
          skips.dispose();
          untrack();
        }),
      );
    }
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
    for (const d of this.tracked.values()) d.dispose();
    this.tracked.clear();
    this.urlEmitter.dispose();
    const server = this.server;
    this.server = null;
    void server?.close();
  }
}
