import { formatBytes } from '../../../core/format';
import type { ProcessMonitor } from '../../../core/monitor/processMonitor';
import type { MetricsRegistry } from '../../../core/metrics/metricsRegistry';
import type { ObjectCounts } from '../../../core/objects/objectCounter';
import type { SkippedRun } from '../../../core/scheduling/adaptiveScheduler';
import { MonitorDiagnostics, MonitorDiagnosticsOptions } from '../../../core/scheduling/monitorDiagnostics';
import type { MonitorSession, SessionPlugin } from '../monitorSession';

const TASK_TITLES: Record<string, string> = { gc: 'diagnostic GC', objects: 'object count', snapshot: 'heap snapshot' };

/**
 * `--watch-class`, `--diagnostic-interval`, `--busy-cpu` for `memmon run` / `attach`: one MonitorDiagnostics per
 * process; `objects` and `skipped` JSON lines, a log line for every skipped run, the last counts in the summary.
 */
export class DiagnosticsSessionPlugin implements SessionPlugin {
  private readonly watched: MonitorDiagnostics[] = [];
  private readonly lastCounts = new Map<number | null, ObjectCounts>();
  private skipped = 0;

  constructor(
    private readonly options: MonitorDiagnosticsOptions,
    private readonly registry: MetricsRegistry | null = null,
  ) {}

  private session: MonitorSession | null = null;

  attach(monitor: ProcessMonitor, session: MonitorSession): void {
    this.session = session;
    const d = new MonitorDiagnostics(monitor, this.options);
    this.watched.push(d);
    const pid = monitor.pid;
    d.on('objects', (o: ObjectCounts) => {
      this.lastCounts.set(pid, o);
      session.emitJson({ type: 'objects', ...o });
    });
    d.on('snapshot', (snap: { t: number; pid: number | null; file: string; bytes: number; durationMs: number }) => {
      session.emitJson({ type: 'snapshot', ...snap });
      if (!session.options.json)
        session.note(
          `heap snapshot of pid ${pid ?? '?'}: ${snap.file} (${formatBytes(snap.bytes)}, ${Math.round(snap.durationMs)} ms)`,
        );
    });
    d.on('unresolved', ({ name, reason }: { name: string; reason: string }) =>
      session.note(`--watch-class ${name} (pid ${pid ?? '?'}): ${reason}; trying again at each count`),
    );
    d.on('skipped', (s: SkippedRun) => {
      this.skipped++;
      this.registry?.onSkipped(pid, s.task);
      session.emitJson({ type: 'skipped', ...s });
      const why =
        s.reason === 'busy' ? `busy (CPU ${s.cpuPercent ?? '?'} %)` : `paused (${s.detail ?? 'not answering'})`;
      session.note(
        `skipped ${TASK_TITLES[s.task] ?? s.task} of pid ${pid ?? '?'}: debuggee ${why}; retrying in ${Math.round(s.retryInMs / 1000)} s`,
      );
    });
    d.on('error', ({ task, error }: { task: string; error: Error }) => {
      if (monitor.connection.isClosed) return;
      const message = `${TASK_TITLES[task] ?? task} of pid ${pid ?? '?'} failed: ${error.message}`;
      // A snapshot that was asked for and not written is an error of the run (exit 1), like a failed --snapshot-at.
      if (task === 'snapshot') session.fail(message);
      else session.note(message);
    });
  }

  statusText(): string {
    const counts = [...this.lastCounts.values()].flatMap((o) => Object.entries(o.counts));
    return counts.length
      ? ` · ${counts
          .slice(0, 3)
          .map(([c, n]) => `${c} ${n}`)
          .join(' ')}`
      : '';
  }

  summarize(): Record<string, unknown> {
    return {
      objects: [...this.lastCounts.values()].map((o) => ({
        pid: o.pid,
        t: o.t,
        counts: o.counts,
        unresolved: o.unresolved,
      })),
      skippedDiagnostics: this.skipped,
    };
  }

  async finish(): Promise<void> {
    await Promise.all(this.watched.map((d) => d.dispose()));
    // Without --json the counts would otherwise only flash by in the live line.
    if (this.session && !this.session.options.json) {
      for (const o of this.lastCounts.values()) {
        const counts = Object.entries(o.counts).map(([c, n]) => `${c} ${n}`);
        if (counts.length)
          this.session.note(
            `live objects of pid ${o.pid ?? '?'} at ${new Date(o.t).toLocaleTimeString()}: ${counts.join(', ')}`,
          );
      }
    }
  }
}
