import * as vscode from 'vscode';
import { DisposableStore, toDisposable } from '../../core/disposableStore';
import { leakStateOf } from '../../core/leak/leakState';
import type { LeakState } from '../../core/metrics/metricsRegistry';
import { LeakMonitor, type LeakMonitorOptions } from '../../core/leak/leakMonitor';
import type { LeakSite, LeakVerdict } from '../../core/leak/types';
import type {
  LeakClearedView,
  LeakHuntView,
  LeakReportView,
  LeakRetainerView,
  LeakVerdictView,
} from '../../shared/leakProtocol';
import type { MonitorRegistry } from '../monitoring/monitorRegistry';
import type { SessionMonitor } from '../monitoring/sessionMonitor';
import type { LeakDetectionConfig } from '../config';
import { formatLeakRate } from '../../core/format';
import { buildSuspects, toClearedView, toRetainerViews, toVerdictView } from './leakSuspects';
import { localFileForUrl, pageSourceRoots } from './pageSources';

const MB = 1024 * 1024;

/** How often verdicts and sites are re-read (the core's forced-GC cycle is 3 s at its fastest). */
const REFRESH_MS = 3000;

/** Leak detection state of one monitored session. */
/** One session's leak detection: the core's monitor and what the report shows of it (see LeakReportView). */
interface LeakSession extends Pick<
  LeakReportView,
  'cleared' | 'suspects' | 'hunt' | 'retainers' | 'retainerProbe' | 'profilerNote' | 'overheadPercent' | 'updatedAt'
> {
  monitor: SessionMonitor;
  leak: LeakMonitor | null;
  /** The verdicts standing now (the core's VerdictTracker: suspected or confirmed, not cleared). */
  verdicts: LeakVerdict[];
  /** The same with their state and forecast, as the report shows them. */
  verdictViews: LeakVerdictView[];
  sites: LeakSite[];
}

/** The alert thresholds a forecast counts down to (bytes). */
export interface ForecastThresholds {
  criticalBytes: number;
  emergencyBytes: number;
}

export interface LeakControllerOptions {
  /** Read when detection starts in a session (the memoryMonitor.thresholdMb and alertThresholdMb settings). */
  thresholds?: () => ForecastThresholds;
  /** Makes a session's core monitor (default: a LeakMonitor on the session's connection); tests pass their own. */
  createMonitor?: (connection: SessionMonitor['connection'], options: LeakMonitorOptions) => LeakMonitor;
}

/**
 * Runs the core's LeakMonitor (forced-GC baselines, sampling heap profiler, trend test) for every live monitored
 * session while leak detection is enabled, and keeps each session's current verdicts, ranked suspects and last hunt
 * for the status bar, notifications, inline flags and the Leak Report panel.
 */
export class LeakController implements vscode.Disposable {
  private readonly sessions = new Map<string, LeakSession>();
  private readonly store = new DisposableStore();
  private readonly changeEmitter = new vscode.EventEmitter<string>();
  /** A session's leak state changed (carries the session id). */
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    private readonly registry: MonitorRegistry,
    private config: LeakDetectionConfig,
    private readonly log: vscode.LogOutputChannel,
    private readonly options: LeakControllerOptions = {},
  ) {
    this.store.add(this.changeEmitter);
    this.store.add(registry.onDidChange(() => this.sync()));
    const timer = setInterval(() => this.refreshAll(), REFRESH_MS);
    this.store.add(toDisposable(() => clearInterval(timer)));
    this.sync();
  }

  /** The report of a session (default: the registry's active one, else the most recent with a suspicion). */
  report(sessionId?: string): LeakReportView | null {
    const s = this.pick(sessionId);
    if (!s) return null;
    const m = s.monitor;
    return {
      sessionId: m.id,
      sessionName: m.target.name,
      pid: m.pid,
      ended: m.ended,
      enabled: this.config.enabled,
      sensitivity: this.config.sensitivity,
      suspected: s.verdicts.length > 0,
      verdicts: s.verdictViews,
      cleared: s.cleared,
      suspects: s.suspects,
      hunt: s.hunt,
      retainers: s.retainers,
      retainerProbe: s.retainerProbe,
      profilerNote: s.profilerNote,
      overheadPercent: s.overheadPercent,
      updatedAt: s.updatedAt,
    };
  }

  /** Sessions known to leak detection, most recent first. */
  list(): Array<{ id: string; name: string; suspected: boolean; ended: boolean }> {
    return [...this.sessions.values()].reverse().map((s) => ({
      id: s.monitor.id,
      name: s.monitor.target.name,
      suspected: s.verdicts.length > 0,
      ended: s.monitor.ended,
    }));
  }

  /** The session's leak detection as the metrics endpoint serves it; null while detection is not running. */
  leakState(sessionId: string): LeakState | null {
    const leak = this.sessions.get(sessionId)?.leak;
    return leak ? leakStateOf(leak) : null;
  }

  /** True while a leak is suspected in the session. */
  isSuspected(sessionId: string): boolean {
    return (this.sessions.get(sessionId)?.verdicts.length ?? 0) > 0;
  }

  /** Stores a hunt result for the session's report and flags. */
  setHunt(sessionId: string, hunt: LeakHuntView): void {
    const s = this.sessions.get(sessionId);
    if (!s) return;
    s.hunt = hunt;
    s.suspects = localSuspects(s, buildSuspects(s.verdicts, s.sites, hunt));
    s.updatedAt = Date.now();
    this.changeEmitter.fire(sessionId);
  }

  /**
   * Takes the two retainer snapshots now, whatever the heap size (the user was told the pause), and returns what
   * keeps the leaked objects. Rejects when the session has no running detection.
   */
  async findRetainers(sessionId: string): Promise<LeakRetainerView[]> {
    const s = this.sessions.get(sessionId);
    if (!s?.leak) throw new Error('leak detection is not running in this session');
    const leak = s.leak;
    const pending = leak.findRetainersNow();
    this.refreshProbe(s);
    try {
      await pending;
    } finally {
      this.refreshProbe(s);
    }
    this.refresh(s, true);
    return s.retainers;
  }

  /** Applies changed settings: a new sensitivity or the on/off switch restarts detection. */
  applyConfig(next: LeakDetectionConfig): void {
    const restart = next.enabled !== this.config.enabled || next.sensitivity !== this.config.sensitivity;
    this.config = next;
    for (const s of this.sessions.values()) s.leak?.setRetainerSnapshotLimit(next.retainerSnapshotLimitMb * MB);
    if (restart) {
      for (const s of this.sessions.values()) this.stopDetection(s, false);
      this.sync();
    }
    // Flags, status bar and report re-read the settings (e.g. keepFlagsAfterSession) on a change event.
    for (const id of this.sessions.keys()) this.changeEmitter.fire(id);
  }

  get settings(): LeakDetectionConfig {
    return this.config;
  }

  private pick(sessionId?: string): LeakSession | undefined {
    if (sessionId) return this.sessions.get(sessionId);
    const active = this.registry.active && this.sessions.get(this.registry.active.id);
    if (active && (active.verdicts.length || !active.monitor.ended)) return active;
    const all = [...this.sessions.values()].reverse();
    return all.find((s) => s.verdicts.length) ?? active ?? all[0];
  }

  /** Starts detection for new live monitors, stops it for ended ones, forgets monitors the registry dropped. */
  private sync(): void {
    const known = new Set(this.registry.all().map((m) => m.id));
    for (const [id, s] of this.sessions) {
      if (!known.has(id) || this.registry.get(id) !== s.monitor) {
        this.stopDetection(s, false);
        this.sessions.delete(id);
        this.changeEmitter.fire(id);
      }
    }
    for (const monitor of this.registry.all()) {
      let s = this.sessions.get(monitor.id);
      if (!s) {
        if (monitor.ended) continue;
        s = {
          monitor,
          leak: null,
          verdicts: [],
          verdictViews: [],
          cleared: [],
          sites: [],
          suspects: [],
          hunt: null,
          retainers: [],
          retainerProbe: null,
          profilerNote: null,
          overheadPercent: null,
          updatedAt: Date.now(),
        };
        this.sessions.set(monitor.id, s);
      }
      if (monitor.ended && s.leak) {
        this.stopDetection(s, true);
        this.changeEmitter.fire(monitor.id);
      } else if (!monitor.ended && !s.leak && this.config.enabled) {
        this.startDetection(s);
      }
    }
  }

  private startDetection(s: LeakSession): void {
    const create = this.options.createMonitor ?? ((c, o) => new LeakMonitor(c, o));
    const leak = create(s.monitor.connection, {
      sensitivity: this.config.sensitivity,
      pid: s.monitor.pid,
      retainerSnapshotLimitBytes: this.config.retainerSnapshotLimitMb * MB,
      // The monitor already subscribed to HeapProfiler events through js-debug's proxy: a second subscription
      // duplicates every snapshot chunk.
      snapshotProxy: s.monitor.target.session ? false : 'auto',
      thresholds: this.options.thresholds?.(),
    });
    s.leak = leak;
    leak.on('leak', () => this.refresh(s));
    leak.on('leak-cleared', () => this.refresh(s, true));
    leak.on('retainers', () => this.refresh(s, true));
    leak.on('profiler', (p: { state: string; reason?: string }) => {
      s.profilerNote = p.reason ?? null;
      if (p.reason) this.log.info(`leak detection in "${s.monitor.target.name}": ${p.reason}`);
    });
    leak.on('error', (err: Error) => this.log.warn(`leak detection in "${s.monitor.target.name}": ${err.message}`));
    leak.start().then(
      () =>
        this.log.info(`leak detection started for "${s.monitor.target.name}" (sensitivity ${this.config.sensitivity})`),
      (err: Error) => this.log.warn(`leak detection could not start for "${s.monitor.target.name}": ${err.message}`),
    );
  }

  /** Stops the core monitor; `keepEvidence` keeps the last verdicts for the report (flags are the flag view's call). */
  private stopDetection(s: LeakSession, keepEvidence: boolean): void {
    const leak = s.leak;
    s.leak = null;
    leak
      ?.dispose()
      .catch((err: Error) =>
        this.log.warn(`leak detection in "${s.monitor.target.name}" did not stop cleanly: ${err.message}`),
      );
    s.retainerProbe = null;
    if (!keepEvidence) {
      s.verdicts = [];
      s.verdictViews = [];
      s.cleared = [];
      s.sites = [];
      s.suspects = [];
      s.retainers = [];
    }
  }

  private refreshAll(): void {
    for (const s of this.sessions.values()) if (s.leak) this.refresh(s);
  }

  /** Re-reads the retainer search's state and fires when it changed (the report shows it and offers the snapshots). */
  private refreshProbe(s: LeakSession): void {
    const next = s.leak ? s.leak.retainerStatus() : null;
    if (JSON.stringify(next) === JSON.stringify(s.retainerProbe)) return;
    s.retainerProbe = next;
    s.updatedAt = Date.now();
    this.changeEmitter.fire(s.monitor.id);
  }

  /**
   * Re-reads the verdicts the core stands by (VerdictTracker: suspected → confirmed, or cleared once growth stopped),
   * their forecasts, the ranked sites and the retainers; fires only on a visible change (or always when `force`).
   */
  private refresh(s: LeakSession, force = false): void {
    const leak = s.leak;
    if (!leak) return;
    const wasSuspected = s.verdicts.length > 0;
    const clearedBefore = s.cleared.length;
    const standing = leak.tracker.standing;
    const lines = new Map(leak.verdicts.map((l) => [l.metric, l]));
    const verdicts = standing.map((st) => st.verdict);
    const sites = verdicts.length ? leak.currentSites() : [];
    const signature = () =>
      JSON.stringify([
        s.verdictViews.map((v) => [v.metric, v.rateBytesPerSec, v.t, v.state, v.forecastText]),
        s.cleared.length,
        s.suspects.map((x) => [x.key, x.growthBytesPerSec]),
        s.retainers.map((r) => [r.key, r.countGrowthPerSec]),
        // The heap moves at every baseline: only a change of state or of the whole seconds of pause is news.
        s.retainerProbe && [s.retainerProbe.state, Math.round((s.retainerProbe.estimatedPauseMs ?? 0) / 1000)],
      ]);
    const before = signature();
    s.verdicts = verdicts;
    s.verdictViews = standing.map((st) =>
      toVerdictView(st.verdict, {
        state: st.state,
        forecast: lines.get(st.verdict.metric)?.forecast ?? null,
        thresholds: leak.thresholds,
      }),
    );
    s.cleared = leak.tracker.cleared.map(toClearedView);
    s.sites = sites;
    s.suspects = localSuspects(s, buildSuspects(verdicts, sites, s.hunt));
    s.retainers = localRetainers(s, toRetainerViews(leak.currentRetainers));
    s.retainerProbe = leak.retainerStatus();
    s.overheadPercent = leak.overhead().percent;
    if (force || before !== signature()) {
      s.updatedAt = Date.now();
      if (verdicts.length && !wasSuspected) this.markSuspicion(s);
      for (const c of s.cleared.slice(clearedBefore)) this.markCleared(s, c);
      this.changeEmitter.fire(s.monitor.id);
    }
  }

  /** Puts a "leak cleared" marker on the session's timeline when the core withdraws a verdict. */
  private markCleared(s: LeakSession, c: LeakClearedView): void {
    s.monitor.addMarker({ t: c.t, kind: 'alert', level: 'normal', label: `leak cleared (${c.metric}): ${c.reason}` });
  }

  /** Puts a "leak suspected" marker on the session's timeline (Monitor panel) when a suspicion begins. */
  private markSuspicion(s: LeakSession): void {
    const v = [...s.verdicts].sort((a, b) => b.rateBytesPerSec - a.rateBytesPerSec)[0];
    if (!v) return;
    const where = s.suspects[0] ? ` at ${s.suspects[0].file.split(/[\\/]/).pop()}:${s.suspects[0].line}` : '';
    s.monitor.addMarker({
      t: v.t,
      kind: 'alert',
      level: 'leak',
      label: `leak suspected (${v.metric} ${formatLeakRate(v.metric, v.rateBytesPerSec)})${where}`,
    });
  }

  dispose(): void {
    this.store.dispose();
    for (const s of this.sessions.values()) this.stopDetection(s, false);
  }
}

/** The page session's URL → file mapping (webRoot, pathMapping), or null for a Node.js session. */
function pageFiles(s: LeakSession): ((url: string) => string) | null {
  const session = s.monitor.target.session;
  if (!session || !/chrome|msedge/.test(session.type)) return null;
  const roots = pageSourceRoots(
    [session.configuration, session.parentSession?.configuration],
    vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
  );
  return (url) => localFileForUrl(url, roots) ?? url;
}

/** A page's suspects at the workspace files its scripts were served from (flags and links need local files). */
function localSuspects(s: LeakSession, suspects: LeakReportView['suspects']): LeakReportView['suspects'] {
  const local = pageFiles(s);
  if (!local) return suspects;
  return suspects.map((x) => ({
    ...x,
    file: local(x.file),
    stack: x.stack?.map((f) => ({ ...f, file: local(f.file) })),
  }));
}

/** A page's retainers at the workspace files their adding lines are in. */
function localRetainers(s: LeakSession, retainers: LeakRetainerView[]): LeakRetainerView[] {
  const local = pageFiles(s);
  if (!local) return retainers;
  return retainers.map((r) => ({
    ...r,
    file: r.file && local(r.file),
    keepsConstructor: r.keepsConstructor && { ...r.keepsConstructor, file: local(r.keepsConstructor.file) },
  }));
}
