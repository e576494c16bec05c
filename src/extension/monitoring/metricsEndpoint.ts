import * as vscode from 'vscode';
import { MetricsRegistry } from '../../core/metrics/metricsRegistry';
import { MetricsServer } from '../../core/metrics/metricsServer';
import { trackMonitorMetrics } from '../../core/metrics/monitorMetrics';
import type { MonitorRegistry } from './monitorRegistry';
import type { SessionMonitor } from './sessionMonitor';

/**
 * Metrics of every monitored session: `metric` records in each recording (always), and the
 * Prometheus `/metrics` endpoint on 127.0.0.1 when `memoryMonitor.metricsPort` is set (null = off, 0 = a free port).
 */
export class MetricsEndpoint implements vscode.Disposable {
  readonly metrics = new MetricsRegistry();
  private server: MetricsServer | null = null;
  private port: number | null = null;
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
  ) {
    this.subscription = registry.onDidChange(() => this.sync());
    this.sync();
  }

  /** URL of the Prometheus endpoint, or null when it is off. */
  get url(): string | null {
    return this.server?.url ?? null;
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
      this.server = await MetricsServer.listen(this.metrics, port);
      if (this.disposed) {
        await this.server.close();
        this.server = null;
        return;
      }
      this.log.info(`Prometheus metrics at ${this.server.url}`);
      this.urlEmitter.fire(this.server.url);
      if (port === 0)
        void vscode.window.showInformationMessage(`Memory Monitor: Prometheus metrics at ${this.server.url}`);
    } catch (err) {
      const message = `Memory Monitor: cannot serve Prometheus metrics: ${(err as Error).message}`;
      this.log.error(message);
      void vscode.window.showErrorMessage(message);
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
      const untrack = trackMonitorMetrics(monitor.processMonitor, this.metrics);
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
