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
import { DisposableStore } from '../../core/disposableStore';
import { Commands, runCommand } from '../commands/commands';
import type { ExtensionConfig } from '../config';
import type { MonitorRegistry } from '../monitoring/monitorRegistry';
import type { PanelView } from './singletonPanel';
import { webviewHtml } from './webviewHtml';

/** What the Monitor panel reads from the extension. */
export interface MonitorPanelDeps {
  extensionUri: vscode.Uri;
  registry: MonitorRegistry;
  getConfig(): ExtensionConfig;
  /** The Prometheus endpoint's URL, or null when it is off. */
  getMetricsUrl(): string | null;
}

/** The Monitor panel: the active session's timeline, table, alert history and diagnostics (one per window). */
export class MonitorPanel implements PanelView {
  private readonly store = new DisposableStore();
  /** Subscriptions to the shown session's watched counts and GC results. */
  private readonly shown = this.store.add(new DisposableStore());
  private revealPending = false;
  private shownId: string | null = null;
  private ready = false;
  readonly onDidDispose: vscode.Event<void>;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: MonitorPanelDeps,
  ) {
    const registry = deps.registry;
    this.onDidDispose = panel.onDidDispose;
    panel.webview.html = webviewHtml(panel.webview, deps.extensionUri, 'monitor', 'Memory Monitor');
    this.store.add(panel.onDidDispose(() => this.dispose()));
    this.store.add(
      panel.webview.onDidReceiveMessage((m: unknown) => {
        if (isFromMonitorMessage(m))
          this.onMessage(m).catch(
            (err: Error) => void vscode.window.showErrorMessage(vscode.l10n.t('Memory Monitor: {0}', err.message)),
          );
      }),
    );
    this.store.add(registry.onDidChange(() => this.syncSessions()));
    this.store.add(
      registry.onDidSample(({ monitor, sample }) => {
        if (monitor.id === this.shownId) this.post({ type: 'sample', sessionId: monitor.id, sample });
      }),
    );
    this.store.add(
      registry.onDidAddMarker(({ monitor, marker }) => {
        if (monitor.id === this.shownId) this.post({ type: 'marker', sessionId: monitor.id, marker });
      }),
    );
    this.store.add(
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

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  /** Switches the panel to its Diagnostics tab (after a detailed diagnostic GC). */
  revealDiagnostics(): void {
    if (this.ready) this.post({ type: 'reveal', view: 'diagnostics' });
    else this.revealPending = true;
  }

  /** Pushes new thresholds (and watched classes) after a settings change. */
  configChanged(): void {
    this.post({ type: 'thresholds', thresholds: this.thresholds() });
    this.postDiagnostics();
  }

  /** Re-sends the diagnostics (the Prometheus endpoint's URL changed). */
  metricsUrlChanged(): void {
    this.postDiagnostics();
  }

  private async onMessage(m: FromMonitorMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.sendState();
        break;
      case 'selectSession':
        this.deps.registry.setActive(m.sessionId);
        break;
      case 'runGc':
        await this.busy('gc', () =>
          runCommand(Commands.runDiagnosticGc, this.shownId, m.testCycle, m.detailed === true),
        );
        break;
      case 'countObjects': {
        const monitor = this.shownId ? this.deps.registry.get(this.shownId) : undefined;
        if (!monitor || monitor.ended) break;
        if (!this.deps.getConfig().watchedClasses.length) {
          void vscode.window
            .showInformationMessage(
              vscode.l10n.t('No watched classes: add class names to the memoryMonitor.watchedClasses setting.'),
              vscode.l10n.t('Open Settings'),
            )
            .then((a) => {
              if (a)
                void vscode.commands.executeCommand('workbench.action.openSettings', 'memoryMonitor.watchedClasses');
            });
          break;
        }
        await monitor
          .countObjects()
          .catch((err: Error) =>
            vscode.window.showErrorMessage(vscode.l10n.t('Counting watched objects failed: {0}', err.message)),
          );
        break;
      }
      case 'takeSnapshot':
        await this.busy('snapshot', () => runCommand(Commands.takeHeapSnapshot, this.shownId));
        break;
      case 'export':
        await runCommand(Commands.exportRecording, this.shownId, m.format);
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
    const c = this.deps.getConfig();
    const b = levelBoundaries({ threshold: mb(c.thresholdMb), alertThreshold: mb(c.alertThresholdMb) });
    return { warning: b.warning, critical: b.critical, emergency: b.emergency };
  }

  private sessionsView() {
    return this.deps.registry.all().map((m) => m.toView());
  }

  private diagnosticsView(): DiagnosticsView {
    const monitor = this.shownId ? this.deps.registry.get(this.shownId) : undefined;
    return {
      watchedClasses: this.deps.getConfig().watchedClasses,
      objects: monitor?.objects ?? [],
      gcs: monitor?.gcEffects ?? [],
      metricsUrl: this.deps.getMetricsUrl(),
    };
  }

  private postDiagnostics(): void {
    this.post({ type: 'diagnostics', sessionId: this.shownId, diagnostics: this.diagnosticsView() });
  }

  private sendState(): void {
    const monitor = this.deps.registry.active;
    this.shownId = monitor?.id ?? null;
    this.shown.clear();
    if (monitor) {
      this.shown.add(
        monitor.onDidCountObjects((objects) => this.post({ type: 'objects', sessionId: monitor.id, objects })),
      );
      this.shown.add(monitor.onDidGc((gc) => this.post({ type: 'gcEffect', sessionId: monitor.id, gc })));
    }
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
    if ((this.deps.registry.active?.id ?? null) !== this.shownId) this.sendState();
    else this.post({ type: 'sessions', sessions: this.sessionsView(), activeSessionId: this.shownId });
  }

  private post(message: ToMonitorMessage): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.store.isDisposed) return;
    this.store.dispose();
    this.panel.dispose();
  }
}
