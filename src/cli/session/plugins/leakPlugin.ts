import type { ProcessMonitor } from '../../../core/monitor/processMonitor';
import type { AlertEvent, GcResult, MemorySample } from '../../../core/types';
import { LeakMonitor, LeakMonitorOptions } from '../../../core/leak/leakMonitor';
import { formatRate } from '../../../core/format';
import { formatLeakReport, toLeakJsonLine } from '../../../core/leak/leakReport';
import type { LeakReportLine } from '../../../core/leak/types';
import { describeError, logDebug } from '../../../core/log';

/** What the plugin needs from a monitoring session (structurally matches the CLI's MonitorSession). */
export interface LeakSessionHost {
  emitJson<T extends { type: string }>(record: T): void;
  note(message: string): void;
  raiseAlert(monitor: ProcessMonitor, alert: AlertEvent): void;
  readonly io: { stderr: NodeJS.WritableStream };
}

/** Exit code for a suspected leak (the CLI's ExitCode.leak). */
const LEAK_EXIT_CODE = 4;

/**
 * `--detect-leaks` for `memmon run` / `attach`: one LeakMonitor per monitored process; `leak` and leak `alert`
 * JSON lines, a human report on stderr, a `leaks` section in the summary, and exit code 4 when a leak is suspected.
 */
export class LeakSessionPlugin {
  private readonly watched: Array<{ monitor: ProcessMonitor; leaks: LeakMonitor }> = [];
  private host: LeakSessionHost | undefined;

  constructor(private readonly options: LeakMonitorOptions = {}) {}

  async attach(monitor: ProcessMonitor, host: LeakSessionHost): Promise<void> {
    this.host = host;
    const leaks = new LeakMonitor(monitor.connection, { ...this.options, pid: monitor.pid });
    this.watched.push({ monitor, leaks });
    monitor.on('sample', (s: MemorySample) => leaks.addSample(s));
    monitor.on('gc', (g: GcResult) => leaks.addGc(g));
    monitor.on('closed', () => void leaks.dispose());
    leaks.on('alert', (a: AlertEvent) => host.raiseAlert(monitor, a));
    leaks.on('leak', (line: LeakReportLine) => {
      const record = toLeakJsonLine(line);
      monitor.record(record);
      host.emitJson(record);
    });
    leaks.on(
      'profiler',
      (p: { state: string; reason?: string }) =>
        p.reason && host.note(`leak detection (pid ${monitor.pid ?? '?'}): ${p.reason}`),
    );
    leaks.on('error', (err: Error) => logDebug(`leak detection (pid ${monitor.pid ?? '?'}): ${describeError(err)}`));
    await leaks.start();
  }

  /** True once any process had a leak suspected. */
  get suspected(): boolean {
    return this.watched.some((w) => w.leaks.lastReport !== undefined);
  }

  exitCode(): number | null {
    return this.suspected ? LEAK_EXIT_CODE : null;
  }

  statusText(): string {
    const worst = this.watched
      .map((w) => w.leaks.lastReport)
      .filter((l): l is LeakReportLine => !!l)
      .sort((a, b) => b.rateBytesPerSec - a.rateBytesPerSec)[0];
    return worst ? ` · LEAK ${worst.metric} ${formatRate(worst.rateBytesPerSec)}` : '';
  }

  summarize(): Record<string, unknown> {
    return {
      leaks: {
        suspected: this.suspected,
        sensitivity: this.options.sensitivity ?? 'normal',
        processes: this.watched.map((w) => ({
          pid: w.monitor.pid,
          verdicts: this.finalVerdicts(w.leaks),
          profiler: w.leaks.profilerState,
          overhead: w.leaks.overhead(),
        })),
      },
    };
  }

  async finish(): Promise<void> {
    await Promise.all(this.watched.map((w) => w.leaks.dispose()));
    this.host?.io.stderr.write(
      formatLeakReport(
        this.watched.map((w) => ({
          pid: w.monitor.pid,
          verdicts: this.finalVerdicts(w.leaks),
          overhead: w.leaks.overhead(),
          profiler: w.leaks.profilerState,
        })),
      ),
    );
  }

  /** The final verdict per metric: the last emitted lines (a leak once suspected stays suspected). */
  private finalVerdicts(leaks: LeakMonitor): LeakReportLine[] {
    return leaks.emittedByMetric();
  }
}
