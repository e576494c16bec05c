import type { ProcessMonitor } from '../../../core/monitor/processMonitor';
import type { AlertEvent, GcResult, MemorySample } from '../../../core/types';
import { LeakMonitor, LeakMonitorOptions, type RetainerProbeStatus } from '../../../core/leak/leakMonitor';
import { formatTarget, mb } from '../../../core/format';
import { formatLeakReport, toLeakClearedJsonLine, toLeakJsonLine } from '../../../core/leak/leakReport';
import type { LeakClearedLine, LeakReportLine } from '../../../core/leak/types';
import { describeError, logDebug } from '../../../core/log';
import { leakStateOf } from '../../../core/leak/leakState';
import type { MetricsRegistry } from '../../../core/metrics/metricsRegistry';

/** What the plugin needs from a monitoring session (structurally matches the CLI's MonitorSession). */
export interface LeakSessionHost {
  emitJson<T extends { type: string }>(record: T): void;
  note(message: string): void;
  raiseAlert(monitor: ProcessMonitor, alert: AlertEvent): void;
  readonly io: { stderr: NodeJS.WritableStream };
  /** The session's alert thresholds (MB), which the forecasts count down to. */
  readonly options?: { json?: boolean; monitor: { thresholdMb?: number; alertThresholdMb?: number } };
}

/** Exit code for a suspected leak (the CLI's ExitCode.leak). */
const LEAK_EXIT_CODE = 4;

/**
 * `--detect-leaks` for `memmon run` / `attach`: one LeakMonitor per monitored process; `leak` and leak `alert`
 * JSON lines, `leak-cleared` lines when a verdict is withdrawn, a human report on stderr, a `leaks` section in the
 * summary, and exit code 4 when a verdict still stands at the end of the run.
 */
export class LeakSessionPlugin {
  private readonly watched: Array<{ monitor: ProcessMonitor; leaks: LeakMonitor }> = [];
  private host: LeakSessionHost | undefined;
  private metrics: MetricsRegistry | null = null;
  /** Each process's retainer search as it stood when the run ended (see finish). */
  private readonly searchAtEnd = new Map<LeakMonitor, RetainerProbeStatus>();

  constructor(private readonly options: LeakMonitorOptions = {}) {}

  /** Serves each process's leak state (`memmon_leak_*`) through this registry's `/metrics`. */
  exportTo(registry: MetricsRegistry): void {
    this.metrics = registry;
  }

  async attach(monitor: ProcessMonitor, host: LeakSessionHost): Promise<void> {
    this.host = host;
    const limits = host.options?.monitor;
    const leaks = new LeakMonitor(monitor.connection, {
      thresholds: {
        criticalBytes: mb(limits?.thresholdMb ?? 1000),
        emergencyBytes: mb(limits?.alertThresholdMb ?? 2000),
      },
      ...this.options,
      pid: monitor.pid,
      threadId: monitor.threadId,
    });
    this.watched.push({ monitor, leaks });
    this.metrics?.setLeakSource(monitor.pid, () => leakStateOf(leaks));
    monitor.on('sample', (s: MemorySample) => leaks.addSample(s));
    monitor.on('gc', (g: GcResult) => leaks.addGc(g));
    monitor.on('closed', () => void leaks.dispose());
    leaks.on('alert', (a: AlertEvent) => host.raiseAlert(monitor, a));
    leaks.on('leak', (line: LeakReportLine) => {
      const record = toLeakJsonLine(line);
      monitor.record(record);
      host.emitJson(record);
    });
    leaks.on('leak-cleared', (line: LeakClearedLine) => {
      const record = toLeakClearedJsonLine(line);
      monitor.record(record);
      host.emitJson(record);
      if (!host.options?.json)
        host.note(`leak verdict withdrawn (${formatTarget(line.pid, line.threadId)}, ${line.metric}): ${line.reason}`);
    });
    // The profiler retries now and then; the same reason (e.g. a runtime without HeapProfiler) is said once.
    let lastReason: string | undefined;
    leaks.on('profiler', (p: { state: string; reason?: string }) => {
      if (!p.reason || p.reason === lastReason) return;
      lastReason = p.reason;
      host.note(`leak detection (${formatTarget(monitor.pid, monitor.threadId)}): ${p.reason}`);
    });
    leaks.on('error', (err: Error) =>
      logDebug(`leak detection (${formatTarget(monitor.pid, monitor.threadId)}): ${describeError(err)}`),
    );
    await leaks.start();
  }

  /** True while any process has a verdict standing (raised and not withdrawn). */
  get suspected(): boolean {
    return this.watched.some((w) => w.leaks.verdicts.length > 0);
  }

  /** True while a verdict stands for this process. */
  leakStanding(monitor: ProcessMonitor): boolean {
    return this.watched.some((w) => w.monitor === monitor && w.leaks.verdicts.length > 0);
  }

  /** The post-GC growth of this process's fastest standing verdict (bytes/s), the one growth figure to show. */
  growthOf(monitor: ProcessMonitor): number | undefined {
    const lines = this.watched.find((w) => w.monitor === monitor)?.leaks.verdicts ?? [];
    return lines.length ? Math.max(...lines.map((l) => l.rateBytesPerSec)) : undefined;
  }

  exitCode(): number | null {
    return this.suspected ? LEAK_EXIT_CODE : null;
  }

  /** ` · LEAK heap` while a verdict stands; its rate is the live line's growth figure (see growthOf). */
  statusText(): string {
    const worst = this.watched
      .flatMap((w) => w.leaks.verdicts)
      .sort((a, b) => b.rateBytesPerSec - a.rateBytesPerSec)[0];
    return worst ? ` · LEAK ${worst.metric}` : '';
  }

  summarize(): Record<string, unknown> {
    return {
      leaks: {
        suspected: this.suspected,
        sensitivity: this.options.sensitivity ?? 'normal',
        processes: this.watched.map((w) => ({
          pid: w.monitor.pid,
          ...(w.monitor.threadId !== undefined && { threadId: w.monitor.threadId }),
          verdicts: this.finalVerdicts(w.leaks),
          cleared: w.leaks.cleared.map(toLeakClearedJsonLine),
          baselines: w.leaks.detector.dataStatus().baselines,
          heapLimitBytes: w.leaks.heapLimit,
          profiler: w.leaks.profilerState,
          overhead: w.leaks.overhead(),
          retainerSearch: this.searchAtEnd.get(w.leaks) ?? w.leaks.retainerStatus(),
        })),
      },
    };
  }

  async finish(): Promise<void> {
    // Read before dispose: disposing aborts a probe still running, which would then read as failed.
    for (const w of this.watched) this.searchAtEnd.set(w.leaks, w.leaks.retainerStatus());
    await Promise.all(this.watched.map((w) => w.leaks.dispose()));
    this.host?.io.stderr.write(
      formatLeakReport(
        this.watched.map((w) => ({
          pid: w.monitor.pid,
          threadId: w.monitor.threadId,
          verdicts: this.finalVerdicts(w.leaks),
          cleared: w.leaks.cleared,
          data: w.leaks.detector.dataStatus(),
          thresholds: w.leaks.thresholds,
          overhead: w.leaks.overhead(),
          profiler: w.leaks.profilerState,
          retainerSearch: this.searchAtEnd.get(w.leaks) ?? w.leaks.retainerStatus(),
        })),
      ),
    );
  }

  /** The verdicts standing at the end: the last line of each (withdrawn ones are listed as `cleared`). */
  private finalVerdicts(leaks: LeakMonitor): LeakReportLine[] {
    return leaks.verdicts;
  }
}
