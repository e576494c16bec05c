import * as vscode from 'vscode';
import { DisposableStore } from '../../core/disposableStore';
import type { AlertEvent } from '../../core/types';
import type { MarkerView, SampleView } from '../../shared/protocol';
import type { SessionMonitor } from './sessionMonitor';

/** Ended sessions kept for the panel and export after their debuggee went away. */
const ENDED_KEPT = 5;

/**
 * All monitors of this window, keyed by debug session id (or inspector address), and which one the UI shows.
 * Re-fires each monitor's events with the monitor attached, so UI parts subscribe once.
 */
export class MonitorRegistry implements vscode.Disposable {
  private readonly monitors = new Map<string, SessionMonitor>();
  /** Each monitor's event forwarding, released when it is removed. */
  private readonly subscriptions = new Map<string, DisposableStore>();
  private activeId: string | null = null;

  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly sampleEmitter = new vscode.EventEmitter<{ monitor: SessionMonitor; sample: SampleView }>();
  private readonly markerEmitter = new vscode.EventEmitter<{ monitor: SessionMonitor; marker: MarkerView }>();
  private readonly alertEmitter = new vscode.EventEmitter<{ monitor: SessionMonitor; alert: AlertEvent }>();
  /** The set of monitors, their ended state, or the active one changed. */
  readonly onDidChange = this.changeEmitter.event;
  readonly onDidSample = this.sampleEmitter.event;
  readonly onDidAddMarker = this.markerEmitter.event;
  readonly onDidAlert = this.alertEmitter.event;

  /** Adds a started monitor; the first one (or the one for the active debug session) becomes active. */
  add(monitor: SessionMonitor, makeActive: boolean): void {
    this.remove(monitor.id);
    this.monitors.set(monitor.id, monitor);
    const forwarding = new DisposableStore();
    forwarding.add(monitor.onDidSample((sample) => this.sampleEmitter.fire({ monitor, sample })));
    forwarding.add(monitor.onDidAddMarker((marker) => this.markerEmitter.fire({ monitor, marker })));
    forwarding.add(monitor.onDidAlert((alert) => this.alertEmitter.fire({ monitor, alert })));
    forwarding.add(monitor.onDidEnd(() => this.onEnded(monitor)));
    this.subscriptions.set(monitor.id, forwarding);
    if (makeActive || !this.active || this.active.ended) this.activeId = monitor.id;
    this.changeEmitter.fire();
  }

  get(id: string): SessionMonitor | undefined {
    return this.monitors.get(id);
  }

  /** Every monitor, live ones first, most recent first. */
  all(): SessionMonitor[] {
    const list = [...this.monitors.values()].reverse();
    return [...list.filter((m) => !m.ended), ...list.filter((m) => m.ended)];
  }

  /** Monitors whose debuggee is still connected. */
  live(): SessionMonitor[] {
    return this.all().filter((m) => !m.ended);
  }

  /** The monitor the status bar and panel show. */
  get active(): SessionMonitor | undefined {
    return this.activeId ? this.monitors.get(this.activeId) : undefined;
  }

  /** Makes a monitor the one the UI shows. */
  setActive(id: string): void {
    if (!this.monitors.has(id) || this.activeId === id) return;
    this.activeId = id;
    this.changeEmitter.fire();
  }

  /** Follows the editor's active debug session: its own monitor, or the monitor of one of its child sessions. */
  followDebugSession(session: vscode.DebugSession | undefined): void {
    if (!session) return;
    const own = this.monitors.get(session.id);
    const child = own ?? this.live().find((m) => m.target.session?.parentSession?.id === session.id);
    if (child && !child.ended) this.setActive(child.id);
  }

  /** Stops and forgets a monitor. */
  remove(id: string): void {
    const monitor = this.monitors.get(id);
    if (!monitor) return;
    this.subscriptions.get(id)?.dispose();
    this.subscriptions.delete(id);
    this.monitors.delete(id);
    monitor.dispose();
    if (this.activeId === id) this.activeId = this.live()[0]?.id ?? this.all()[0]?.id ?? null;
    this.changeEmitter.fire();
  }

  private onEnded(monitor: SessionMonitor): void {
    if (this.activeId === monitor.id) this.activeId = this.live()[0]?.id ?? monitor.id;
    const ended = this.all().filter((m) => m.ended);
    for (const old of ended.slice(ENDED_KEPT)) this.remove(old.id);
    this.changeEmitter.fire();
  }

  dispose(): void {
    for (const id of [...this.monitors.keys()]) this.remove(id);
    this.changeEmitter.dispose();
    this.sampleEmitter.dispose();
    this.markerEmitter.dispose();
    this.alertEmitter.dispose();
  }
}
