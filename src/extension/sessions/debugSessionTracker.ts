import * as vscode from 'vscode';
import { DisposableStore } from '../../core/disposableStore';
import type { ExtensionConfig } from '../config';
import { MonitorRegistry } from '../monitoring/monitorRegistry';
import { SessionMonitor } from '../monitoring/sessionMonitor';
import { isBrowserSession, isMonitorableSession, requestCdpProxy } from './jsDebugSessions';

/**
 * Watches js-debug sessions and starts a monitor for each concrete child session (when `autoStart` is on,
 * or on request), and stops it when the session ends.
 */
export class DebugSessionTracker implements vscode.Disposable {
  /** Monitorable sessions that are running, monitored or not. */
  private readonly sessions = new Map<string, vscode.DebugSession>();
  private readonly starting = new Map<string, Promise<SessionMonitor | undefined>>();
  private readonly store = new DisposableStore();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** The set of monitorable sessions changed. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    private readonly registry: MonitorRegistry,
    private readonly getConfig: () => ExtensionConfig,
    private readonly getLogDirectory: () => string | null,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.store.add(vscode.debug.onDidStartDebugSession((s) => this.onStarted(s)));
    this.store.add(vscode.debug.onDidTerminateDebugSession((s) => this.onTerminated(s)));
    this.store.add(vscode.debug.onDidChangeActiveDebugSession((s) => registry.followDebugSession(s)));
    this.store.add(this.changeEmitter);
    const active = vscode.debug.activeDebugSession;
    if (active) this.onStarted(active);
  }

  /** Running sessions that could be monitored but are not. */
  unmonitored(): vscode.DebugSession[] {
    return [...this.sessions.values()].filter((s) => !this.registry.get(s.id) || this.registry.get(s.id)!.ended);
  }

  /** Starts monitoring a session; resolves to undefined (after telling the user) when it cannot. */
  start(session: vscode.DebugSession, interactive: boolean): Promise<SessionMonitor | undefined> {
    const existing = this.registry.get(session.id);
    if (existing && !existing.ended) return Promise.resolve(existing);
    let pending = this.starting.get(session.id);
    if (!pending) {
      pending = this.connect(session, interactive).finally(() => this.starting.delete(session.id));
      this.starting.set(session.id, pending);
    }
    return pending;
  }

  private async connect(session: vscode.DebugSession, interactive: boolean): Promise<SessionMonitor | undefined> {
    const t0 = Date.now();
    try {
      const address = await requestCdpProxy(session, 5000);
      if (!this.sessions.has(session.id)) return undefined; // ended meanwhile
      const monitor = await SessionMonitor.start(
        {
          id: session.id,
          name: session.name,
          session,
          local: !isBrowserSession(session),
          browser: isBrowserSession(session),
        },
        address,
        this.getConfig(),
        this.getLogDirectory(),
        this.log,
      );
      if (!this.sessions.has(session.id)) {
        monitor.dispose();
        return undefined;
      }
      const active = vscode.debug.activeDebugSession;
      this.registry.add(monitor, !active || active.id === session.id || active.id === session.parentSession?.id);
      this.log.info(`monitoring "${session.name}" (pid ${monitor.pid ?? 'unknown'}) after ${Date.now() - t0} ms`);
      return monitor;
    } catch (err) {
      this.log.warn(`Memory Monitor could not attach to "${session.name}": ${(err as Error).message}`);
      if (interactive)
        void vscode.window.showErrorMessage(
          vscode.l10n.t('Memory Monitor could not attach to "{0}": {1}', session.name, (err as Error).message),
        );
      return undefined;
    }
  }

  private onStarted(session: vscode.DebugSession): void {
    if (!isMonitorableSession(session) || this.sessions.has(session.id)) return;
    this.sessions.set(session.id, session);
    this.changeEmitter.fire();
    if (this.getConfig().autoStart) void this.start(session, false);
  }

  private onTerminated(session: vscode.DebugSession): void {
    if (!this.sessions.delete(session.id)) return;
    // Keep the ended monitor: its recording stays available to the panel and to export.
    void this.registry.get(session.id)?.stop();
    this.changeEmitter.fire();
  }

  dispose(): void {
    this.store.dispose();
  }
}
