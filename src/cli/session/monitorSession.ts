import { writeFileSync } from 'node:fs';
import { formatBytes, formatRate } from '../../core/format';
import { CdpProxyAddress } from '../../core/inspector/endpoint';
import { InspectorError } from '../../core/inspector/connection';
import { MonitorOptions, ProcessMonitor } from '../../core/monitor/processMonitor';
import { alertRank, AlertEvent, AlertLevel, GcResult, MemorySample } from '../../core/types';
import { CliIO, ExitCode, writeJsonLine } from '../command';
import { renderLiveLine } from './liveLine';
import { ProcessStats } from './processStats';

export interface SessionOptions {
  monitor: MonitorOptions;
  json: boolean;
  /** Exit 3 when the emergency level is reached. */
  failOnEmergency: boolean;
  reportFile?: string;
  /** Print a plain status line every this many ms when stderr is not a terminal (0 = never). */
  plainStatusEveryMs?: number;
}

/** A feature that rides along a monitoring session (leak detection, metrics export, …). */
export interface SessionPlugin {
  /** Called for every process that gets monitored. */
  attach?(monitor: ProcessMonitor, session: MonitorSession): void | Promise<void>;
  /** Extra top-level fields for the summary record. */
  summarize?(): Record<string, unknown>;
  /** An exit code this feature asks for (e.g. 4 for a suspected leak), or null. */
  exitCode?(): number | null;
  /** Text appended to the live status line. */
  statusText?(): string;
  /** Called before the summary is written; release resources here. */
  finish?(): void | Promise<void>;
}

/** Exit-code precedence: the first applicable code wins. */
const PRECEDENCE = [ExitCode.usage, ExitCode.runtimeError, ExitCode.leak, ExitCode.emergency];

/**
 * Monitors one or more debuggee processes for `memmon run` / `memmon attach`: owns their ProcessMonitors,
 * prints JSON lines or a live status line, and produces the summary and the exit code.
 */
export class MonitorSession {
  readonly startedAt = Date.now();
  readonly monitors = new Map<ProcessMonitor, ProcessStats>();
  private readonly levels = new Map<ProcessStats, AlertLevel>();
  private readonly alerts: AlertEvent[] = [];
  private readonly gcs: GcResult[] = [];
  private readonly plugins: SessionPlugin[] = [];
  private readonly errors: string[] = [];
  private liveShown = false;
  private lastPlain = 0;
  private finished = false;
  /** Resolves when every monitor has closed (after at least one was added). */
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly options: SessionOptions,
    readonly io: CliIO,
  ) {}

  use(plugin: SessionPlugin): void {
    this.plugins.push(plugin);
  }

  /** Attaches to one target; failures are reported and returned, never thrown. */
  async add(target: string | CdpProxyAddress): Promise<ProcessMonitor | null> {
    let monitor: ProcessMonitor;
    try {
      monitor = await ProcessMonitor.attach(target, this.options.monitor);
    } catch (err) {
      this.note(
        `could not attach to ${typeof target === 'string' ? target : JSON.stringify(target)}: ${(err as Error).message}`,
      );
      return null;
    }
    if (this.finished) {
      await monitor.dispose();
      return null;
    }
    const stats = new ProcessStats(monitor.pid);
    this.monitors.set(monitor, stats);
    // The first sample (and any alert it raised) arrived while attaching.
    for (const s of monitor.history.toArray()) this.onSample(stats, s);
    for (const a of monitor.alerts.history) if (!('cleared' in a)) this.onAlert(monitor, stats, a);
    monitor.on('sample', (s: MemorySample) => this.onSample(stats, s));
    monitor.on('alert', (a: AlertEvent) => this.onAlert(monitor, stats, a));
    monitor.on('gc', (g: GcResult) => this.onGc(g));
    monitor.on('waitingForDisconnect', () => void this.release(monitor));
    monitor.on('closed', (err: InspectorError) => {
      if (!this.finished && stats.samples === 0) this.note(err.message);
      void this.release(monitor);
    });
    for (const p of this.plugins) await p.attach?.(monitor, this);
    return monitor;
  }

  /** Active (not yet closed) monitors. */
  get active(): ProcessMonitor[] {
    return [...this.monitors.keys()].filter((m) => !m.connection.isClosed);
  }

  /** Resolves once no monitor is active any more. */
  whenIdle(): Promise<void> {
    if (this.monitors.size && !this.active.length) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Writes a JSON line (with --json) — for plugins. */
  emitJson<T extends { type: string }>(record: T): void {
    if (this.options.json) {
      this.clearLive();
      writeJsonLine(this.io.stdout, record);
    }
  }

  /** Tells the user something on stderr, keeping the live line intact. */
  note(message: string): void {
    this.clearLive();
    this.io.stderr.write(`memmon: ${message}\n`);
  }

  /** Records a runtime error: the session will exit 1. */
  fail(message: string): void {
    this.errors.push(message);
    this.note(message);
  }

  /** Erases the live status line before other output. */
  clearLive(): void {
    if (this.liveShown) {
      this.io.stderr.write('\r\x1b[K');
      this.liveShown = false;
    }
  }

  private onSample(stats: ProcessStats, s: MemorySample): void {
    stats.add(s);
    if (this.options.json) writeJsonLine(this.io.stdout, { type: 'sample', ...s });
    this.renderStatus();
  }

  /** Records an alert raised by a plugin (e.g. a suspected leak) as if the monitor had raised it. */
  raiseAlert(monitor: ProcessMonitor, a: AlertEvent): void {
    const stats = this.monitors.get(monitor);
    if (stats) this.onAlert(monitor, stats, a);
  }

  private onAlert(monitor: ProcessMonitor, stats: ProcessStats, a: AlertEvent): void {
    this.alerts.push(a);
    if (a.level !== 'leak' && alertRank(a.level) > alertRank(stats.maxLevel)) stats.maxLevel = a.level;
    this.levels.set(stats, monitor.alerts.overall);
    if (this.options.json) writeJsonLine(this.io.stdout, { type: 'alert', ...a });
    else if (a.level === 'leak')
      this.note(
        `LEAK SUSPECTED: ${a.metric === 'rss' ? 'RSS' : a.metric} keeps growing after garbage collections, ${formatRate(a.value)} (pid ${a.pid ?? '?'})`,
      );
    else
      this.note(
        `${a.level.toUpperCase()}: ${a.metric === 'rss' ? 'RSS' : a.metric} ${formatBytes(a.value)} is above ${formatBytes(a.limit)} (pid ${a.pid ?? '?'})`,
      );
  }

  private onGc(g: GcResult): void {
    this.gcs.push(g);
    if (this.options.json) writeJsonLine(this.io.stdout, { type: 'gc', ...g });
  }

  private renderStatus(): void {
    if (this.options.json) return;
    const stats = [...this.monitors.values()];
    for (const [m, st] of this.monitors) this.levels.set(st, m.alerts.overall);
    const extra = this.plugins.map((p) => p.statusText?.() ?? '').join('');
    if (this.io.isTTY) {
      const columns = (this.io.stderr as NodeJS.WriteStream).columns;
      const width = columns && columns > 20 ? columns - 1 : 200;
      const plain = renderLiveLine(stats, this.levels, false, extra);
      // A line wider than the terminal would wrap and break the \r redraw: fall back to the uncoloured, cut text.
      const line = plain.length > width ? plain.slice(0, width) : renderLiveLine(stats, this.levels, true, extra);
      this.io.stderr.write(`\r\x1b[K${line}`);
      this.liveShown = true;
    } else {
      const every = this.options.plainStatusEveryMs ?? 5000;
      if (every > 0 && Date.now() - this.lastPlain >= every) {
        this.lastPlain = Date.now();
        this.io.stderr.write(`${renderLiveLine(stats, this.levels, false, extra)}\n`);
      }
    }
  }

  private async release(monitor: ProcessMonitor): Promise<void> {
    await monitor.dispose();
    if (!this.active.length) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Highest alert level any process reached. */
  get maxLevel(): AlertLevel {
    let level: AlertLevel = 'normal';
    for (const st of this.monitors.values()) if (alertRank(st.maxLevel) > alertRank(level)) level = st.maxLevel;
    return level;
  }

  /** Stops all monitors, writes the summary (JSON line and/or report file) and returns the exit code. */
  async finish(outcome: {
    programExitCode: number | null;
    reason: string;
    command?: string[];
    signal?: string | null;
  }): Promise<number> {
    if (this.finished) return ExitCode.runtimeError;
    this.finished = true;
    for (const p of this.plugins) await p.finish?.();
    await Promise.all([...this.monitors.keys()].map((m) => m.dispose()));
    this.clearLive();
    const codes: number[] = [];
    if (this.errors.length) codes.push(ExitCode.runtimeError);
    for (const p of this.plugins) {
      const c = p.exitCode?.();
      if (c !== null && c !== undefined) codes.push(c);
    }
    if (this.options.failOnEmergency && this.maxLevel === 'emergency') codes.push(ExitCode.emergency);
    const exitCode = PRECEDENCE.find((c) => codes.includes(c)) ?? outcome.programExitCode ?? ExitCode.ok;
    const pluginFields: Record<string, unknown> = {};
    for (const p of this.plugins) Object.assign(pluginFields, p.summarize?.());
    const summary = {
      type: 'summary',
      t: Date.now(),
      startedAt: this.startedAt,
      durationMs: Date.now() - this.startedAt,
      reason: outcome.reason,
      command: outcome.command,
      programExitCode: outcome.programExitCode,
      programSignal: outcome.signal ?? null,
      exitCode,
      maxLevel: this.maxLevel,
      thresholds: {
        thresholdMb: this.options.monitor.thresholdMb ?? 1000,
        alertThresholdMb: this.options.monitor.alertThresholdMb ?? 2000,
      },
      processes: [...this.monitors.values()].map((s) => s.toJSON()),
      alerts: this.alerts,
      gc: this.gcs,
      recordings: [...this.monitors.keys()].map((m) => m.recordingFile).filter(Boolean),
      errors: this.errors,
      ...pluginFields,
    };
    if (this.options.json) writeJsonLine(this.io.stdout, summary);
    else this.io.stderr.write(humanSummary(summary));
    if (this.options.reportFile) {
      try {
        writeFileSync(this.options.reportFile, `${JSON.stringify(summary, null, 2)}\n`);
      } catch (err) {
        this.io.stderr.write(`memmon: could not write report ${this.options.reportFile}: ${(err as Error).message}\n`);
        return ExitCode.runtimeError;
      }
    }
    return exitCode;
  }
}

function humanSummary(s: {
  durationMs: number;
  processes: ReturnType<ProcessStats['toJSON']>[];
  maxLevel: AlertLevel;
  alerts: AlertEvent[];
  reason: string;
}): string {
  const lines = [`\nmemmon summary — ${(s.durationMs / 1000).toFixed(1)} s, ${s.reason}`];
  for (const p of s.processes) {
    const growth = p.heapUsed.first !== null && p.heapUsed.last !== null ? p.heapUsed.last - p.heapUsed.first : 0;
    lines.push(
      `  pid ${p.pid ?? '?'}: ${p.samples} samples · heap ${formatBytes(p.heapUsed.first)} → ${formatBytes(p.heapUsed.last)} (peak ${formatBytes(p.heapUsed.peak)}, ${growth >= 0 ? '+' : ''}${formatBytes(growth)}) · RSS peak ${formatBytes(p.rss.peak)} · level ${p.maxLevel}`,
    );
  }
  if (!s.processes.length) lines.push('  no Node.js process opened an inspector');
  lines.push(`  alerts: ${s.alerts.length ? s.alerts.map((a) => `${a.level}/${a.metric}`).join(', ') : 'none'}`);
  return `${lines.join('\n')}\n`;
}
