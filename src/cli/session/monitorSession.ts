import { formatBytes, formatLeakRate, formatTarget } from '../../core/format';
import { formatCount } from '../../core/metrics/domMetrics';
import { writeOutputFile } from '../../core/recording/outputFile';
import { CdpProxyAddress, isLoopbackHost } from '../../core/inspector/endpoint';
import { readProcessMemory } from '../../core/sampling/processMemory';
import { InspectorError } from '../../core/inspector/connection';
import { MonitorOptions, ProcessMonitor } from '../../core/monitor/processMonitor';
import { watchWorkers } from '../../core/monitor/workerDiscovery';
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
  /** Monitor each `worker_threads` Worker of a Node.js debuggee as its own process row (default on). */
  workers?: boolean;
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
  /** True while a leak verdict stands for this process: its level is at least `leak` (see {@link SessionLevel}). */
  leakStanding?(monitor: ProcessMonitor): boolean;
  /** The post-GC growth (bytes/s) to show on the live line instead of the raw heap trend, while a verdict stands. */
  growthOf?(monitor: ProcessMonitor): number | undefined;
  /** Called before the summary is written; release resources here. */
  finish?(): void | Promise<void>;
}

/**
 * A process's or the run's highest level: an alert level, or `leak` while a leak verdict stands at the end and no
 * critical or emergency level was reached (as the editor's status bar ranks it: above warning, below critical).
 */
export type SessionLevel = AlertLevel | 'leak';

/** The same alert is told on stderr at most this often (JSON lines keep every one). */
const ALERT_REPEAT_MS = 60_000;

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
  private readonly warnings: string[] = [];
  private liveShown = false;
  /** When each (process, level, metric) alert was last told on stderr: a level flapping at its boundary is told once a minute. */
  private readonly toldAlerts = new Map<string, number>();
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
    return this.register(monitor);
  }

  /** Takes over a monitor that is already sampling (a process, or a Worker found through its parent). */
  private async register(monitor: ProcessMonitor): Promise<ProcessMonitor | null> {
    if (this.finished) {
      await monitor.dispose();
      return null;
    }
    const stats = new ProcessStats(monitor.pid, monitor.threadId);
    this.monitors.set(monitor, stats);
    // The first sample (and any alert it raised) arrived while attaching.
    for (const s of monitor.history.toArray()) this.onSample(stats, s);
    for (const a of monitor.alerts.history) if (!('cleared' in a)) this.onAlert(monitor, stats, a);
    monitor.on('sample', (s: MemorySample) => this.onSample(stats, s));
    monitor.on('alert', (a: AlertEvent) => this.onAlert(monitor, stats, a));
    monitor.on('gc', (g: GcResult) => this.onGc(g));
    monitor.on('recordingFailed', (e: Error) => this.warn(e.message));
    // An unexpected sampler error is reported, not thrown from an EventEmitter (which would end memmon).
    monitor.on('error', (e: Error) => this.warn(`pid ${monitor.pid ?? '?'}: ${e.message}`));
    if (monitor.recordingError) this.warn(monitor.recordingError.message);
    monitor.on('waitingForDisconnect', () => void this.release(monitor));
    // It may have finished while we were attaching (before the listener above existed).
    if (monitor.waitingForDisconnect) void this.release(monitor);
    monitor.on('closed', (err: InspectorError) => {
      if (!this.finished && stats.samples === 0) this.note(err.message);
      void this.release(monitor);
    });
    for (const p of this.plugins) await p.attach?.(monitor, this);
    if (this.options.workers !== false)
      await watchWorkers(monitor, this.options.monitor, (worker) => void this.register(worker));
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

  /** Tells the user about something that went wrong without failing the run; listed in the summary. */
  warn(message: string): void {
    this.warnings.push(message);
    this.note(`warning: ${message}`);
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
    else if (this.toldRecently(a)) return;
    else if (a.level === 'leak')
      this.note(
        `LEAK SUSPECTED: ${alertMetricName(a.metric)} keeps growing after garbage collections, ${formatLeakRate(a.metric, a.value)} (${formatTarget(a.pid, a.threadId)})`,
      );
    else
      this.note(
        `${a.level.toUpperCase()}: ${alertMetricName(a.metric)} ${alertFigure(a.metric, a.value)} is above ${alertFigure(a.metric, a.limit)} (${formatTarget(a.pid, a.threadId)})`,
      );
  }

  /** True when the same alert (process, level, metric) was told on stderr less than a minute ago. */
  private toldRecently(a: AlertEvent): boolean {
    const key = `${a.pid ?? '?'}/${a.threadId ?? ''}/${a.level}/${a.metric}`;
    const last = this.toldAlerts.get(key);
    if (last !== undefined && a.t - last < ALERT_REPEAT_MS) return true;
    this.toldAlerts.set(key, a.t);
    return false;
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
    const monitorOf = new Map([...this.monitors].map(([m, st]) => [st, m]));
    const leakGrowth = (st: ProcessStats) => {
      const m = monitorOf.get(st);
      return m ? this.plugins.map((p) => p.growthOf?.(m)).find((g) => g !== undefined) : undefined;
    };
    if (this.io.isTTY) {
      const columns = (this.io.stderr as NodeJS.WriteStream).columns;
      const width = columns && columns > 20 ? columns - 1 : 200;
      const plain = renderLiveLine(stats, this.levels, false, extra, leakGrowth);
      // A line wider than the terminal would wrap and break the \r redraw: fall back to the uncoloured, cut text.
      const line =
        plain.length > width ? plain.slice(0, width) : renderLiveLine(stats, this.levels, true, extra, leakGrowth);
      this.io.stderr.write(`\r\x1b[K${line}`);
      this.liveShown = true;
    } else {
      const every = this.options.plainStatusEveryMs ?? 5000;
      if (every > 0 && Date.now() - this.lastPlain >= every) {
        this.lastPlain = Date.now();
        this.io.stderr.write(`${renderLiveLine(stats, this.levels, false, extra, leakGrowth)}\n`);
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

  /** A process's highest level, `leak` when a verdict stands and nothing above warning was reached. */
  private levelOf(monitor: ProcessMonitor, stats: ProcessStats): SessionLevel {
    const leak = this.plugins.some((p) => p.leakStanding?.(monitor));
    return leak && alertRank(stats.maxLevel) < alertRank('critical') ? 'leak' : stats.maxLevel;
  }

  /** The run's highest level for the summary: `leak` ranks above warning and below critical. */
  private get summaryLevel(): SessionLevel {
    const rank = (l: SessionLevel) => (l === 'leak' ? alertRank('warning') + 0.5 : alertRank(l));
    let level: SessionLevel = 'normal';
    for (const [m, st] of this.monitors) {
      const l = this.levelOf(m, st);
      if (rank(l) > rank(level)) level = l;
    }
    return level;
  }

  /** A debuggee still connected that never gave one reading (blocked in native code) makes the run fail, saying so. */
  private async reportSilentProcesses(): Promise<void> {
    for (const [monitor, stats] of this.monitors) {
      if (stats.samples > 0 || monitor.connection.isClosed) continue;
      const secs = ((Date.now() - monitor.startedAt) / 1000).toFixed(1);
      // The OS still tells how big it is when the pid is known (from the inspector's target list or port).
      const os =
        monitor.pid && isLoopbackHost(monitor.connection.endpoint.host) ? await readProcessMemory(monitor.pid) : null;
      this.fail(
        `pid ${monitor.pid ?? '?'} gave no memory reading in ${secs} s: it does not answer the inspector (blocked in native code, or paused?)${os?.rss ? `; RSS ${formatBytes(os.rss)}` : ''}`,
      );
    }
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
    // A debuggee that paused or blocked mid-diagnostic must not hold the summary back (--duration is a promise).
    for (const p of this.plugins) await withinMs(Promise.resolve(p.finish?.()), 2000);
    await this.reportSilentProcesses();
    await Promise.all([...this.monitors.keys()].map((m) => m.dispose()));
    this.clearLive();
    const codes: number[] = [];
    if (this.errors.length) codes.push(ExitCode.runtimeError);
    for (const p of this.plugins) {
      const c = p.exitCode?.();
      if (c !== null && c !== undefined) codes.push(c);
    }
    if (this.options.failOnEmergency && this.maxLevel === 'emergency') codes.push(ExitCode.emergency);
    const memmonCode = PRECEDENCE.find((c) => codes.includes(c));
    const exitCode = memmonCode ?? outcome.programExitCode ?? ExitCode.ok;
    // The program's own code can equal one of memmon's (2 = usage error): say whose code this is. Only a program
    // that exited by itself gives its code; --duration, a signal to memmon and attach give memmon's.
    const exitCodeSource =
      memmonCode === undefined && outcome.reason === 'program-exited' && outcome.programExitCode !== null
        ? 'program'
        : 'memmon';
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
      exitCodeSource,
      maxLevel: this.summaryLevel,
      thresholds: {
        thresholdMb: this.options.monitor.thresholdMb ?? 1000,
        alertThresholdMb: this.options.monitor.alertThresholdMb ?? 2000,
        ...(this.options.monitor.domNodesThreshold && { domNodesThreshold: this.options.monitor.domNodesThreshold }),
      },
      processes: [...this.monitors].map(([m, s]) => ({ ...s.toJSON(), maxLevel: this.levelOf(m, s) })),
      alerts: this.alerts,
      gc: this.gcs,
      recordings: [...this.monitors.keys()].map((m) => m.recordingFile).filter(Boolean),
      errors: this.errors,
      warnings: this.warnings,
      ...pluginFields,
    };
    if (this.options.json) writeJsonLine(this.io.stdout, summary);
    else this.io.stderr.write(humanSummary(summary));
    if (this.options.reportFile) {
      const report = `${JSON.stringify(summary, null, 2)}\n`;
      try {
        writeOutputFile(this.options.reportFile, report);
      } catch (err) {
        // The report is not lost: with --json it is the summary line above, otherwise it goes to stdout.
        this.io.stderr.write(
          `memmon: ${(err as Error).message}; ${this.options.json ? 'the summary line on stdout has the same content' : 'writing the report to stdout instead'}\n`,
        );
        if (!this.options.json) this.io.stdout.write(report);
        return ExitCode.runtimeError;
      }
    }
    return exitCode;
  }
}

function humanSummary(s: {
  durationMs: number;
  processes: Array<Omit<ReturnType<ProcessStats['toJSON']>, 'maxLevel'> & { maxLevel: SessionLevel }>;
  maxLevel: SessionLevel;
  alerts: AlertEvent[];
  reason: string;
  exitCode: number;
  exitCodeSource: string;
  programExitCode: number | null;
}): string {
  const lines = [`\nmemmon summary — ${(s.durationMs / 1000).toFixed(1)} s, ${s.reason}`];
  for (const p of s.processes) {
    const growth = p.heapUsed.first !== null && p.heapUsed.last !== null ? p.heapUsed.last - p.heapUsed.first : 0;
    lines.push(
      `  ${formatTarget(p.pid, p.threadId)}: ${p.samples} samples · heap ${formatBytes(p.heapUsed.first)} → ${formatBytes(p.heapUsed.last)} (peak ${formatBytes(p.heapUsed.peak)}, ${growth >= 0 ? '+' : ''}${formatBytes(growth)}) · RSS peak ${formatBytes(p.rss.peak)} · level ${p.maxLevel}`,
    );
  }
  if (!s.processes.length) lines.push('  no Node.js process opened an inspector');
  // A level flapping at its boundary raises the same alert many times: each kind is listed once, with its count.
  const kinds = new Map<string, number>();
  for (const a of s.alerts) kinds.set(`${a.level}/${a.metric}`, (kinds.get(`${a.level}/${a.metric}`) ?? 0) + 1);
  const listed = [...kinds].map(([k, n]) => (n > 1 ? `${k} ×${n}` : k));
  lines.push(`  alerts: ${listed.length ? listed.join(', ') : 'none'}`);
  lines.push(`  exit ${s.exitCode}: ${exitCodeText(s)}`);
  return `${lines.join('\n')}\n`;
}

/** Whose exit code memmon exits with, so a program's 2 is never read as memmon's usage error. */
function exitCodeText(s: { exitCode: number; exitCodeSource: string; programExitCode: number | null }): string {
  if (s.exitCodeSource === 'program') return "the program's own exit code";
  const program = s.programExitCode === null ? '' : ` (the program exited ${s.programExitCode})`;
  return `memmon's${program}`;
}

/** Waits for `p`, but at most `ms` milliseconds; its failure is the plugin's to report. */
function withinMs(p: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p.catch(() => undefined), new Promise((r) => (timer = setTimeout(r, ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

/** An alert's metric in words: `RSS`, `heap`, `external`, `DOM nodes`. */
function alertMetricName(metric: AlertEvent['metric']): string {
  return metric === 'rss' ? 'RSS' : metric === 'dom' ? 'DOM nodes' : metric;
}

/** An alert's value or limit: a node count for `dom`, bytes for the others. */
function alertFigure(metric: AlertEvent['metric'], value: number): string {
  return metric === 'dom' ? formatCount(value) : formatBytes(value);
}
