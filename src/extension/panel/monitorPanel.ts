import * as vscode from 'vscode';
import { levelBoundaries } from '../../core/alerts/alertTracker';
import { mb } from '../../core/format';
import {
  DiagnosticsView,
  FromMonitorMessage,
  isFromMonitorMessage,
  ThresholdsView,
  ToMonitorMessage,
} from '../../shared/protocol';
import { COMMANDS, MONITOR_PANEL_VIEW_TYPE } from '../commands/commandIds';
import type { ExtensionConfig } from '../config';
import type { MonitorRegistry } from '../monitoring/monitorRegistry';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** The Monitor panel: one per window, showing the active session's timeline, table and alert history. */
export class MonitorPanel implements vscode.Disposable {
  private static current: MonitorPanel | undefined;
  private static metricsUrl: string | null = null;
  private readonly disposables: vscode.Disposable[] = [];
  /** Subscriptions to the shown session's watched counts and GC results. */
  private shownSubscriptions: vscode.Disposable[] = [];
  private revealPending = false;
  private shownId: string | null = null;
  private ready = false;

  /** Shows the panel (creating it if needed), optionally switching to a session. */
  static show(
    extensionUri: vscode.Uri,
    registry: MonitorRegistry,
    getConfig: () => ExtensionConfig,
    sessionId?: string,
  ): MonitorPanel {
    if (sessionId) registry.setActive(sessionId);
    if (MonitorPanel.current) {
      MonitorPanel.current.panel.reveal(undefined, false);
      return MonitorPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      MONITOR_PANEL_VIEW_TYPE,
      'Memory Monitor',
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      webviewOptions(extensionUri),
    );
    return (MonitorPanel.current = new MonitorPanel(panel, extensionUri, registry, getConfig));
  }

  /** Restores the panel after a window reload (webview serializer). */
  static revive(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    registry: MonitorRegistry,
    getConfig: () => ExtensionConfig,
  ): void {
    MonitorPanel.current?.dispose();
    panel.webview.options = webviewOptions(extensionUri);
    MonitorPanel.current = new MonitorPanel(panel, extensionUri, registry, getConfig);
  }

  /** Pushes new thresholds (and watched classes) to the open panel after a settings change. */
  static configChanged(): void {
    MonitorPanel.current?.post({ type: 'thresholds', thresholds: MonitorPanel.current.thresholds() });
    MonitorPanel.current?.postDiagnostics();
  }

  /** The Prometheus endpoint's URL changed (null: off). */
  static setMetricsUrl(url: string | null): void {
    MonitorPanel.metricsUrl = url;
    MonitorPanel.current?.postDiagnostics();
  }

  /** Switches the panel to its Diagnostics tab (after a detailed diagnostic GC). */
  revealDiagnostics(): void {
    if (this.ready) this.post({ type: 'reveal', view: 'diagnostics' });
    else this.revealPending = true;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly registry: MonitorRegistry,
    private readonly getConfig: () => ExtensionConfig,
  ) {
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'monitor', 'Memory Monitor');
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => {
        if (isFromMonitorMessage(m)) void this.onMessage(m);
      }),
      registry.onDidChange(() => this.syncSessions()),
      registry.onDidSample(({ monitor, sample }) => {
        if (monitor.id === this.shownId) this.post({ type: 'sample', sessionId: monitor.id, sample });
      }),
      registry.onDidAddMarker(({ monitor, marker }) => {
        if (monitor.id === this.shownId) this.post({ type: 'marker', sessionId: monitor.id, marker });
      }),
      registry.onDidAlert(({ monitor, alert }) => {
        if (monitor.id === this.shownId)
          this.post({
            type: 'alert',
            sessionId: monitor.id,
            alert: { t: alert.t, level: alert.level, metric: alert.metric, value: alert.value, limit: alert.limit },
          });
      }),
    );
  }

  private async onMessage(m: FromMonitorMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.sendState();
        break;
      case 'selectSession':
        this.registry.setActive(m.sessionId);
        break;
      case 'runGc':
        await this.busy('gc', () =>
          vscode.commands.executeCommand(COMMANDS.runDiagnosticGc, this.shownId, m.testCycle, m.detailed === true),
        );
        break;
      case 'countObjects': {
        const monitor = this.shownId ? this.registry.get(this.shownId) : undefined;
        if (!monitor || monitor.ended) break;
        if (!this.getConfig().watchedClasses.length) {
          void vscode.window
            .showInformationMessage(
              'No watched classes: add class names to the memoryMonitor.watchedClasses setting.',
              'Open Settings',
            )
            .then((a) => {
              if (a)
                void vscode.commands.executeCommand('workbench.action.openSettings', 'memoryMonitor.watchedClasses');
            });
          break;
        }
        await monitor
          .countObjects()
          .catch((err: Error) => vscode.window.showErrorMessage(`Counting watched objects failed: ${err.message}`));
        break;
      }
      case 'takeSnapshot':
        await this.busy('snapshot', () => vscode.commands.executeCommand(COMMANDS.takeHeapSnapshot, this.shownId));
        break;
      case 'export':
        await vscode.commands.executeCommand(COMMANDS.exportRecording, this.shownId, m.format);
        break;
    }
  }

  private async busy(action: 'gc' | 'snapshot', run: () => Thenable<unknown>): Promise<void> {
    this.post({ type: 'busy', action, busy: true });
    try {
      await run();
    } finally {
      this.post({ type: 'busy', action, busy: false });
    }
  }

  private thresholds(): ThresholdsView {
    const c = this.getConfig();
    const b = levelBoundaries({ threshold: mb(c.thresholdMb), alertThreshold: mb(c.alertThresholdMb) });
    return { warning: b.warning, critical: b.critical, emergency: b.emergency };
  }

  private sessionsView() {
    return this.registry.all().map((m) => m.toView());
  }

  private diagnosticsView(): DiagnosticsView {
    const monitor = this.shownId ? this.registry.get(this.shownId) : undefined;
    return {
      watchedClasses: this.getConfig().watchedClasses,
      objects: monitor?.objects ?? [],
      gcs: monitor?.gcEffects ?? [],
      metricsUrl: MonitorPanel.metricsUrl,
    };
  }

  private postDiagnostics(): void {
    this.post({ type: 'diagnostics', sessionId: this.shownId, diagnostics: this.diagnosticsView() });
  }

  private sendState(): void {
    const monitor = this.registry.active;
    this.shownId = monitor?.id ?? null;
    this.shownSubscriptions.forEach((d) => d.dispose());
    this.shownSubscriptions = monitor
      ? [
          monitor.onDidCountObjects((objects) => this.post({ type: 'objects', sessionId: monitor.id, objects })),
          monitor.onDidGc((gc) => this.post({ type: 'gcEffect', sessionId: monitor.id, gc })),
        ]
      : [];
    this.post({
      type: 'state',
      sessions: this.sessionsView(),
      activeSessionId: this.shownId,
      samples: monitor?.samples ?? [],
      markers: monitor?.markers ?? [],
      alerts: monitor?.alerts ?? [],
      thresholds: this.thresholds(),
    });
    this.postDiagnostics();
    if (this.revealPending) {
      this.revealPending = false;
      this.post({ type: 'reveal', view: 'diagnostics' });
    }
  }

  private syncSessions(): void {
    if ((this.registry.active?.id ?? null) !== this.shownId) this.sendState();
    else this.post({ type: 'sessions', sessions: this.sessionsView(), activeSessionId: this.shownId });
  }

  private post(message: ToMonitorMessage): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (MonitorPanel.current === this) MonitorPanel.current = undefined;
    this.disposables.forEach((d) => d.dispose());
    this.shownSubscriptions.forEach((d) => d.dispose());
    this.panel.dispose();
  }
}
