import type * as vscode from 'vscode';
import { DisposableStore } from '../../core/disposableStore';
import { ViewTypes } from '../commands/commands';
import type { ConfigService } from '../config';
import type { MonitorRegistry } from '../monitoring/monitorRegistry';
import { MonitorPanel } from './monitorPanel';
import { SingletonPanel } from './singletonPanel';

/** Owns the window's Monitor panel and what it shows besides the sessions: settings and the metrics URL. */
export class MonitorPanelHost implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly slot: SingletonPanel<MonitorPanel>;
  private metricsUrl: string | null = null;

  constructor(
    extensionUri: vscode.Uri,
    private readonly registry: MonitorRegistry,
    config: ConfigService,
  ) {
    this.slot = this.store.add(
      new SingletonPanel({
        extensionUri,
        viewType: ViewTypes.monitor,
        title: 'Memory Monitor',
        create: (panel) =>
          new MonitorPanel(panel, {
            extensionUri,
            registry,
            getConfig: () => config.current,
            getMetricsUrl: () => this.metricsUrl,
          }),
      }),
    );
    this.store.add(config.onDidChange(() => this.slot.current?.configChanged()));
  }

  /** The open panel, if any. */
  get current(): MonitorPanel | undefined {
    return this.slot.current;
  }

  /** Shows the panel (creating it if needed), switching to a session first when one is given. */
  show(sessionId?: string): MonitorPanel {
    if (sessionId) this.registry.setActive(sessionId);
    return this.slot.show();
  }

  /** The Prometheus endpoint's URL changed (null: off). */
  setMetricsUrl(url: string | null): void {
    this.metricsUrl = url;
    this.slot.current?.metricsUrlChanged();
  }

  dispose(): void {
    this.store.dispose();
  }
}
