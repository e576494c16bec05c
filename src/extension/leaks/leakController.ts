import * as vscode from 'vscode';
import { DisposableStore, toDisposable } from '../../core/disposableStore';
import { LeakMonitor } from '../../core/leak/leakMonitor';
import type { LeakSite, LeakVerdict } from '../../core/leak/types';
import type { LeakHuntView, LeakReportView, LeakSuspectView } from '../../shared/leakProtocol';
import type { MonitorRegistry } from '../monitoring/monitorRegistry';
import type { SessionMonitor } from '../monitoring/sessionMonitor';
import type { LeakDetectionConfig } from '../config';
import { formatRate } from '../../core/format';
import { buildSuspects, toVerdictView } from './leakSuspects';

/** How often verdicts and sites are re-read (the core's forced-GC cycle is 3 s at its fastest). */
const REFRESH_MS = 3000;

/** Leak detection state of one monitored session. */
interface LeakSession {
  monitor: SessionMonitor;
  leak: LeakMonitor | null;
  verdicts: LeakVerdict[];
  sites: LeakSite[];
  suspects: LeakSuspectView[];
  hunt: LeakHuntView | null;
  profilerNote: string | null;
  overheadPercent: number | null;
  updatedAt: number;
  /** When the last evaluation found a leak: a single quiet evaluation right after does not clear the verdict. */
  lastSuspectedAt: number;
}

/** A verdict survives evaluations without one for this long, so flags and the status bar do not flicker. */
const CLEAR_AFTER_MS = 10_000;

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
      verdicts: s.verdicts.map(toVerdictView),
      suspects: s.suspects,
      hunt: s.hunt,
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

  /** True while a leak is suspected in the session. */
  isSuspected(sessionId: string): boolean {
    return (this.sessions.get(sessionId)?.verdicts.length ?? 0) > 0;
  }

  /** Stores a hunt result for the session's report and flags. */
  setHunt(sessionId: string, hunt: LeakHuntView): void {
    const s = this.sessions.get(sessionId);
    if (!s) return;
    s.hunt = hunt;
    s.suspects = buildSuspects(s.verdicts, s.sites, hunt);
    s.updatedAt = Date.now();
    this.changeEmitter.fire(sessionId);
  }

  /** Applies changed settings: a new sensitivity or the on/off switch restarts detection. */
  applyConfig(next: LeakDetectionConfig): void {
    const restart = next.enabled !== this.config.enabled || next.sensitivity !== this.config.sensitivity;
    this.config = next;
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
          sites: [],
          suspects: [],
          hunt: null,
          profilerNote: null,
          overheadPercent: null,
          updatedAt: Date.now(),
          lastSuspectedAt: 0,
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
    const leak = new LeakMonitor(s.monitor.connection, { sensitivity: this.config.sensitivity, pid: s.monitor.pid });
    s.leak = leak;
    leak.on('leak', () => this.refresh(s));
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
    if (!keepEvidence) {
      s.verdicts = [];
      s.sites = [];
      s.suspects = [];
    }
  }

  private refreshAll(): void {
    for (const s of this.sessions.values()) if (s.leak) this.refresh(s);
  }

  /** Re-reads the detector's verdicts (pure evaluation) and the ranked sites; fires only on a visible change. */
  private refresh(s: LeakSession): void {
    const leak = s.leak;
    if (!leak) return;
    const wasSuspected = s.verdicts.length > 0;
    let verdicts = leak.detector.evaluate();
    const now = Date.now();
    if (verdicts.length) s.lastSuspectedAt = now;
    else if (s.verdicts.length && now - s.lastSuspectedAt < CLEAR_AFTER_MS) verdicts = s.verdicts;
    const sites = verdicts.length ? leak.currentSites() : [];
    const before = JSON.stringify([
      s.verdicts.map((v) => [v.metric, v.rateBytesPerSec, v.t]),
      s.suspects.map((x) => [x.key, x.growthBytesPerSec]),
    ]);
    s.verdicts = verdicts;
    s.sites = sites;
    s.suspects = buildSuspects(verdicts, sites, s.hunt);
    s.overheadPercent = leak.overhead().percent;
    const after = JSON.stringify([
      s.verdicts.map((v) => [v.metric, v.rateBytesPerSec, v.t]),
      s.suspects.map((x) => [x.key, x.growthBytesPerSec]),
    ]);
    if (before !== after) {
      s.updatedAt = Date.now();
      if (verdicts.length && !wasSuspected) this.markSuspicion(s);
      this.changeEmitter.fire(s.monitor.id);
    }
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
      label: `leak suspected (${v.metric} ${formatRate(v.rateBytesPerSec)})${where}`,
    });
  }

  dispose(): void {
    this.store.dispose();
    for (const s of this.sessions.values()) this.stopDetection(s, false);
  }
}
