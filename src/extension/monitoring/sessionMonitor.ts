import * as vscode from 'vscode';
import type { CdpProxyAddress } from '../../core/inspector/endpoint';
import { ProcessMonitor } from '../../core/monitor/processMonitor';
import { formatBytes } from '../../core/format';
import { panelFigures } from '../../core/metrics/memoryMetrics';
import type { ObjectCounts } from '../../core/objects/objectCounter';
import type { SkippedRun } from '../../core/scheduling/adaptiveScheduler';
import { alertRank, type AlertEvent, type AlertLevel, type GcResult, type MemorySample } from '../../core/types';
import type {
  AlertView,
  GcEffectView,
  MarkerView,
  ObjectCountsView,
  SampleView,
  SessionView,
} from '../../shared/protocol';
import type { ExtensionConfig } from '../config';
import { gcEffectView } from './diagnosticsSettings';
import { SessionDiagnostics } from './sessionDiagnostics';

/** Samples kept for the panel per session (10 h at 1 Hz); the core keeps the full history and log. */
const PANEL_HISTORY = 36_000;

/** Where the debuggee is: a js-debug session, or a bare inspector address the user typed. */
export interface MonitorTarget {
  id: string;
  name: string;
  /** The debug session, when the target came from js-debug. */
  session?: vscode.DebugSession;
  /** True when the debuggee runs on this machine (RSS from the OS). */
  local: boolean;
  /** True for a browser page (js-debug `pwa-chrome` / `pwa-msedge`): DOM counters, no RSS. */
  browser?: boolean;
}

/**
 * One monitored debuggee: owns its inspector connection and core monitor, and keeps what the editor shows
 * (recent samples, markers, alert history, current level, last diagnostic GC).
 */
export class SessionMonitor implements vscode.Disposable {
  readonly samples: SampleView[] = [];
  readonly markers: MarkerView[] = [];
  readonly alerts: AlertView[] = [];
  /** Watched-class counts over time and diagnostic GC results, for the panel's Diagnostics tab. */
  readonly objects: ObjectCountsView[] = [];
  readonly gcEffects: GcEffectView[] = [];
  /** The magnitude level (a suspected leak is the leak controller's, not this). */
  level: AlertLevel = 'normal';
  lastSample: MemorySample | null = null;
  lastGc: GcResult | null = null;
  ended = false;

  private readonly sampleEmitter = new vscode.EventEmitter<SampleView>();
  private readonly markerEmitter = new vscode.EventEmitter<MarkerView>();
  private readonly alertEmitter = new vscode.EventEmitter<AlertEvent>();
  private readonly endEmitter = new vscode.EventEmitter<string>();
  private readonly objectsEmitter = new vscode.EventEmitter<ObjectCountsView>();
  private readonly gcEmitter = new vscode.EventEmitter<GcEffectView>();
  private readonly skipEmitter = new vscode.EventEmitter<SkippedRun>();
  /** Watched classes were counted. */
  readonly onDidCountObjects = this.objectsEmitter.event;
  /** A diagnostic GC finished (on demand or periodic). */
  readonly onDidGc = this.gcEmitter.event;
  /** A periodic diagnostic was skipped because the debuggee was busy or paused. */
  readonly onDidSkip = this.skipEmitter.event;
  /** Every sample (for the status bar and the panel). */
  readonly onDidSample = this.sampleEmitter.event;
  /** A GC, snapshot or alert marker was added. */
  readonly onDidAddMarker = this.markerEmitter.event;
  /** An alert level was raised. */
  readonly onDidAlert = this.alertEmitter.event;
  /** The connection closed (debuggee exited or the session stopped); carries the reason. */
  readonly onDidEnd = this.endEmitter.event;

  private readonly diagnostics: SessionDiagnostics;

  private constructor(
    readonly target: MonitorTarget,
    private readonly core: ProcessMonitor,
    config: ExtensionConfig,
    log?: vscode.LogOutputChannel,
  ) {
    core.on('sample', (s: MemorySample) => this.onSample(s));
    core.on('alert', (a: AlertEvent) => this.onAlert(a));
    core.on('gc', (g: GcResult) => this.onGc(g));
    core.on('objects', (o: ObjectCounts) => this.onObjects(o));
    core.on('closed', (reason: unknown) =>
      this.end(reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'connection closed'),
    );
    // A failed reading: sampling goes on at the next interval. Each new kind of failure is logged once.
    let lastError = '';
    core.on('error', (err: Error) => {
      if (err.message === lastError) return;
      lastError = err.message;
      log?.warn(`sampling "${target.name}": ${err.message}`);
    });
    // A full disk stops the recording, not the monitor: the chart and alerts go on; the user is told once.
    const recordingFailed = (err: Error) => {
      log?.warn(`"${target.name}": ${err.message}`);
      void vscode.window.showWarningMessage(vscode.l10n.t('Memory Monitor ({0}): {1}', target.name, err.message));
    };
    core.on('recordingFailed', recordingFailed);
    if (core.recordingError) recordingFailed(core.recordingError);
    this.diagnostics = new SessionDiagnostics(core, target.name, config, log, (s) => this.onSkipped(s));
  }

  /** Connects to the target's inspector (a js-debug CDP proxy or an inspector address) and starts sampling. */
  static async start(
    target: MonitorTarget,
    address: string | CdpProxyAddress,
    config: ExtensionConfig,
    logDirectory: string | null,
    log?: vscode.LogOutputChannel,
  ): Promise<SessionMonitor> {
    const core = await ProcessMonitor.attach(address, {
      connectTimeoutMs: 5000,
      requestTimeoutMs: 10_000,
      intervalMs: config.samplingIntervalMs,
      thresholdMb: config.thresholdMb,
      alertThresholdMb: config.alertThresholdMb,
      domNodesThreshold: config.domNodesThreshold,
      retentionDays: config.metricsRetentionDays,
      logDir: logDirectory,
      viaJsDebugProxy: !!target.session,
    });
    return new SessionMonitor(target, core, config, log);
  }

  /** The core monitor (for metrics export). */
  get processMonitor(): ProcessMonitor {
    return this.core;
  }

  /** The inspector connection (for heap snapshots). */
  get connection() {
    return this.core.connection;
  }

  /** The JSONL recording file, if recording. */
  get recordingFile(): string | null {
    return this.core.recordingFile;
  }

  get id(): string {
    return this.target.id;
  }

  /** The debuggee's process id, once known. */
  get pid(): number | null {
    return this.core.pid;
  }

  /** A picker entry for the panel. */
  toView(): SessionView {
    const view: SessionView = {
      id: this.id,
      name: this.target.name,
      pid: this.pid,
      level: this.level,
      ended: this.ended,
    };
    if (this.isPage) view.kind = 'page';
    else if (this.threadId !== undefined) Object.assign(view, { kind: 'worker', threadId: this.threadId });
    return view;
  }

  /** True for a browser page: the target says so, or its samples carry DOM counters. */
  get isPage(): boolean {
    return !!this.target.browser || !!this.lastSample?.dom;
  }

  /** The `worker_threads` Worker's threadId; undefined for a process's main thread and for pages. */
  get threadId(): number | undefined {
    return this.core.threadId;
  }

  /** Runs a diagnostic GC (optionally with a verified test cycle); the result also becomes a marker. */
  runDiagnosticGc(testCycle: boolean, detailed = false): Promise<GcResult> {
    return this.core.runDiagnosticGc({ testCycle, detailed });
  }

  /** Counts the watched classes now; null when none are configured. */
  countObjects(): Promise<ObjectCounts | null> {
    return this.diagnostics.countNow();
  }

  /** Applies changed settings (thresholds, sampling interval, diagnostics) without reconnecting; history is kept. */
  applyConfig(config: ExtensionConfig): void {
    this.core.setThresholds(config.thresholdMb, config.alertThresholdMb, config.domNodesThreshold);
    this.core.setIntervalMs(config.samplingIntervalMs);
    if (!this.ended) this.diagnostics.apply(config);
  }

  /** The sampling interval the core runs at. */
  get intervalMs(): number {
    return this.core.intervalMs;
  }

  /** Adds a timeline marker (e.g. after a snapshot). */
  addMarker(marker: MarkerView): void {
    this.markers.push(marker);
    this.markerEmitter.fire(marker);
  }

  /** The full recorded history for export. */
  history(): MemorySample[] {
    return this.core.history.toArray();
  }

  /** Every diagnostic GC of this session, oldest first. */
  get gcHistory(): readonly GcResult[] {
    return this.core.gcHistory;
  }

  private onSample(s: MemorySample): void {
    this.lastSample = s;
    const view: SampleView = { t: s.t, ...panelFigures(s) };
    if (s.dom) view.dom = s.dom;
    this.samples.push(view);
    if (this.samples.length > PANEL_HISTORY * 1.1) this.samples.splice(0, this.samples.length - PANEL_HISTORY);
    const level = this.core.alerts.overall;
    if (level !== this.level) {
      if (level === 'normal' || alertRank(level) < alertRank(this.level))
        this.alerts.push({
          t: s.t,
          level,
          metric: 'overall',
          value: Math.max(s.heapUsed, s.rss ?? 0),
          limit: 0,
          cleared: true,
        });
      this.level = level;
    }
    this.sampleEmitter.fire(view);
  }

  private onAlert(a: AlertEvent): void {
    this.alerts.push({ t: a.t, level: a.level, metric: a.metric, value: a.value, limit: a.limit });
    this.level = this.core.alerts.overall;
    this.alertEmitter.fire(a);
    this.addMarker({ t: a.t, kind: 'alert', level: a.level, label: `${a.level} (${a.metric})` });
  }

  private onGc(g: GcResult): void {
    this.lastGc = g;
    const verified = g.testCycle ? (g.testCycle.collected ? ', collector verified' : ', test cycle NOT collected') : '';
    this.addMarker({ t: g.t, kind: 'gc', label: `GC freed ${formatBytes(g.freed)}${verified}` });
    const effect = gcEffectView(g);
    this.gcEffects.push(effect);
    if (this.gcEffects.length > PANEL_DIAGNOSTICS) this.gcEffects.splice(0, this.gcEffects.length - PANEL_DIAGNOSTICS);
    this.gcEmitter.fire(effect);
    this.diagnostics.afterGc();
  }

  private onObjects(o: ObjectCounts): void {
    const view: ObjectCountsView = { t: o.t, counts: o.counts };
    if (o.unresolved && Object.keys(o.unresolved).length) view.unresolved = o.unresolved;
    this.objects.push(view);
    if (this.objects.length > PANEL_DIAGNOSTICS) this.objects.splice(0, this.objects.length - PANEL_DIAGNOSTICS);
    this.objectsEmitter.fire(view);
  }

  private onSkipped(s: SkippedRun): void {
    const why = s.reason === 'busy' ? `busy, CPU ${s.cpuPercent ?? '?'} %` : 'paused';
    this.addMarker({ t: s.t, kind: 'skipped', label: `Skipped ${s.task === 'gc' ? 'GC' : s.task} (${why})` });
    this.skipEmitter.fire(s);
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    void this.diagnostics.dispose();
    this.endEmitter.fire(reason);
  }

  /** Stops sampling and closes the connection. */
  async stop(): Promise<void> {
    this.end('monitoring stopped');
    await this.core.dispose();
  }

  dispose(): void {
    void this.stop();
    this.sampleEmitter.dispose();
    this.markerEmitter.dispose();
    this.alertEmitter.dispose();
    this.endEmitter.dispose();
    this.objectsEmitter.dispose();
    this.gcEmitter.dispose();
    this.skipEmitter.dispose();
  }
}

/** Watched counts and GC results kept for the panel per session. */
const PANEL_DIAGNOSTICS = 10_000;
