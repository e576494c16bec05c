import path from 'node:path';
import { formatBytes, formatTarget } from '../../../core/format';
import { captureHeapSnapshot } from '../../../core/heap/capture/capture';
import type { ProcessMonitor } from '../../../core/monitor/processMonitor';
import { UsageError } from '../../command';
import type { MonitorSession, SessionPlugin } from '../monitorSession';

/** Parses `--snapshot-at 10` or `--snapshot-at 5,30` (seconds after each process is attached). */
export function parseSnapshotAt(value: string | undefined): number[] {
  if (value === undefined) return [];
  const times = value.split(',').map((s) => Number(s.trim()));
  if (!times.length || times.some((t) => !Number.isFinite(t) || t < 0)) {
    throw new UsageError(`--snapshot-at expects seconds such as 10 or 5,30, got "${value}"`);
  }
  return [...new Set(times)].sort((a, b) => a - b);
}

/**
 * `memmon run|attach --snapshot-at <s>[,<s>…]`: heap snapshots of every monitored process at fixed times after it
 * was attached, written to `--snapshot-dir` (default: the current folder), reported as `snapshot` JSON lines.
 */
export class SnapshotAtPlugin implements SessionPlugin {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly abort = new AbortController();
  private readonly taken: Array<{ pid: number | null; threadId?: number; file: string; bytes: number; atSec: number }> =
    [];

  constructor(
    private readonly atSeconds: number[],
    private readonly dir: string,
  ) {}

  attach(monitor: ProcessMonitor, session: MonitorSession): void {
    for (const at of this.atSeconds) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.take(monitor, session, at);
      }, at * 1000);
      this.timers.add(timer);
    }
  }

  private async take(monitor: ProcessMonitor, session: MonitorSession, atSec: number): Promise<void> {
    if (monitor.connection.isClosed) return;
    const pid = monitor.pid;
    const thread = monitor.threadId !== undefined ? { threadId: monitor.threadId } : {};
    const who = formatTarget(pid, monitor.threadId);
    const tag = monitor.threadId !== undefined ? `-t${monitor.threadId}` : '';
    const file = path.resolve(this.dir, `memmon-${pid ?? 'unknown'}${tag}-at-${atSec}s-${Date.now()}.heapsnapshot`);
    const t = Date.now();
    try {
      const r = await captureHeapSnapshot(monitor.connection, file, {
        signal: this.abort.signal,
        // A scheduled snapshot waits for one under way (the leak monitor's retainer probe) rather than failing the run.
        waitIfBusy: true,
        onWarning: (m) => session.note(m),
      });
      this.taken.push({ pid, ...thread, file: r.file, bytes: r.bytes, atSec });
      session.emitJson({
        type: 'snapshot',
        t,
        pid,
        ...thread,
        file: r.file,
        bytes: r.bytes,
        durationMs: Math.round(r.durationMs),
      });
      if (!session.options.json)
        session.note(`heap snapshot of ${who} at ${atSec} s: ${r.file} (${formatBytes(r.bytes)})`);
    } catch (err) {
      // A snapshot asked for and not written fails the run (exit 1); one cut short by the program's exit does not.
      if (!this.abort.signal.aborted && !monitor.connection.isClosed)
        session.fail(`heap snapshot of ${who} at ${atSec} s failed: ${(err as Error).message}`);
    }
  }

  summarize(): Record<string, unknown> {
    return { snapshots: this.taken };
  }

  finish(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.abort.abort();
  }
}
