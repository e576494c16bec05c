import { EventEmitter } from 'node:events';
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { captureHeapSnapshot } from '../heap/capture/capture';
import type { CdpEvent } from '../inspector/connection';
import type { ProcessMonitor } from '../monitor/processMonitor';
import { ObjectCounter, ObjectCounts } from '../objects/objectCounter';
import type { GcResult, MemorySample } from '../types';
import { AdaptiveScheduler, ScheduledTask, SkippedRun } from './adaptiveScheduler';
import { DebuggeeLoad, LoadState } from './debuggeeLoad';
import { probeDebuggee } from '../inspector/debuggeeProbe';
import { logFailure } from '../log';

export interface MonitorDiagnosticsOptions {
  /** Periodic diagnostic GC every this many ms (0 = off; the editor's `diagnosticIntervalMinutes`). */
  gcIntervalMs?: number;
  /** Test cycle with each periodic GC (reports `memory.gc.cycle_collected`). */
  gcTestCycle?: boolean;
  /** Per-space detail with each periodic GC. */
  gcDetailed?: boolean;
  /** Classes whose live instances are counted (the `watchedClasses` setting / `--watch-class`). */
  watchedClasses?: readonly string[];
  /** Count them every this many ms (0 = only on demand). */
  objectsIntervalMs?: number;
  /** Delay of the first count after attaching (default 1 s: lets the program load its modules). */
  objectsFirstDelayMs?: number;
  /** Periodic heap snapshot every this many ms into `snapshotDir` (0 = off). */
  snapshotIntervalMs?: number;
  snapshotDir?: string | null;
  /** Keep at most this many of the snapshots this schedule took (default 5); older ones are deleted. */
  snapshotKeep?: number;
  /** Extra periodic tasks (e.g. heap snapshots), scheduled with the same back-off. */
  extraTasks?: ScheduledTask[];
  /** Busy above this CPU use, percent of one core (default 80). */
  busyCpuPercent?: number;
  /** First retry after a skipped run (default 5 s). */
  retryMs?: number;
}

/**
 * Adaptive diagnostics for one monitored process: periodic diagnostic GCs, watched-object counts and heap snapshots that back off
 * while the debuggee is busy or paused. Counts go through `monitor.reportObjects` (recording + `objects` event);
 * skipped runs are recorded as `skipped` records and emitted, never silent.
 * Events: `objects` (ObjectCounts), `snapshot` ({t, pid, file, bytes, durationMs}), `skipped` (SkippedRun), `unresolved` ({name, reason}) once per class,
 * `error` ({task, error}).
 */
export class MonitorDiagnostics extends EventEmitter {
  readonly load: DebuggeeLoad;
  readonly counter: ObjectCounter | null;
  private readonly scheduler: AdaptiveScheduler;
  private readonly reportedUnresolved = new Set<string>();
  private readonly onSample = (s: MemorySample) => this.load.onSample(s);
  private readonly onEvent = (e: CdpEvent) => this.load.onEvent(e.method);
  private disposed = false;

  constructor(
    readonly monitor: ProcessMonitor,
    options: MonitorDiagnosticsOptions = {},
  ) {
    super();
    this.load = new DebuggeeLoad(monitor.pid, {
      busyCpuPercent: options.busyCpuPercent,
      intervalMs: monitor.intervalMs,
      clock: monitor.clock,
    });
    this.counter = options.watchedClasses?.length
      ? new ObjectCounter(monitor.connection, options.watchedClasses, { pid: monitor.pid })
      : null;
    const tasks: ScheduledTask[] = [];
    if ((options.gcIntervalMs ?? 0) > 0) {
      tasks.push({
        name: 'gc',
        intervalMs: options.gcIntervalMs!,
        run: () => monitor.runDiagnosticGc({ testCycle: options.gcTestCycle, detailed: options.gcDetailed }),
      });
    }
    if (this.counter && (options.objectsIntervalMs ?? 0) > 0) {
      tasks.push({
        name: 'objects',
        intervalMs: options.objectsIntervalMs!,
        firstDelayMs: options.objectsFirstDelayMs ?? 1000,
        run: () => this.countObjects(),
      });
    }
    if ((options.snapshotIntervalMs ?? 0) > 0 && options.snapshotDir) {
      const dir = options.snapshotDir;
      tasks.push({
        name: 'snapshot',
        intervalMs: options.snapshotIntervalMs!,
        run: () => this.takeSnapshot(dir, options.snapshotKeep ?? 5),
      });
    }
    tasks.push(...(options.extraTasks ?? []));
    this.scheduler = new AdaptiveScheduler(() => this.checkLoad(), tasks, {
      pid: monitor.pid,
      retryMs: options.retryMs,
      clock: monitor.clock,
    });
    this.scheduler.on('skipped', (s: SkippedRun) => {
      monitor.record({ type: 'skipped', ...s });
      this.emit('skipped', s);
    });
    this.scheduler.on('error', (e: { task: string; error: Error }) => this.emit('error', e));
    monitor.on('sample', this.onSample);
    monitor.connection.on('event', this.onEvent);
    monitor.once('closed', () => void this.dispose());
    this.scheduler.start();
  }

  /**
   * The load as seen from outside, confirmed by a probe before each run: a debuggee stopped at a breakpoint or at
   * --inspect-brk still answers the sampler, and a GC requested then would wait until it resumes.
   */
  private async checkLoad(): Promise<LoadState> {
    const state = this.load.state();
    if (state.reason || this.monitor.connection.isClosed) return state;
    const probe = await probeDebuggee(this.monitor.connection, { pid: this.monitor.pid });
    if (probe === 'paused') return { reason: 'paused', cpuPercent: state.cpuPercent, detail: 'debugger' };
    if (probe === 'unresponsive') return { reason: 'paused', cpuPercent: state.cpuPercent, detail: 'not answering' };
    if (probe === 'busy') return { reason: 'busy', cpuPercent: state.cpuPercent };
    return state;
  }

  /** Counts the watched classes now (on demand), reports and returns the counts. */
  async countObjects(): Promise<ObjectCounts | null> {
    if (!this.counter || this.disposed) return null;
    const counts = await this.counter.count();
    for (const [name, reason] of Object.entries(counts.unresolved ?? {})) {
      if (this.reportedUnresolved.has(name)) continue;
      this.reportedUnresolved.add(name);
      this.emit('unresolved', { name, reason });
    }
    this.monitor.reportObjects(counts);
    this.emit('objects', counts);
    return counts;
  }

  private readonly snapshots: string[] = [];

  /** Captures a heap snapshot into `dir` (0600 file), records and emits `snapshot`, prunes this schedule's old ones. */
  private async takeSnapshot(dir: string, keep: number): Promise<void> {
    const t = Date.now();
    const file = path.join(
      dir,
      `memmon-${this.monitor.pid ?? 'unknown'}-${new Date(t).toISOString().replace(/[:.]/g, '-')}.heapsnapshot`,
    );
    // Scheduled: wait for a capture under way (e.g. the leak monitor's retainer probe) instead of failing.
    const r = await captureHeapSnapshot(this.monitor.connection, file, { waitIfBusy: true });
    const record = { t, pid: this.monitor.pid, file: r.file, bytes: r.bytes, durationMs: r.durationMs };
    this.monitor.record({ type: 'snapshot', ...record });
    this.emit('snapshot', record);
    this.snapshots.push(r.file);
    while (this.snapshots.length > keep) {
      const old = this.snapshots.shift()!;
      await unlink(old).catch(logFailure(`deleting the old snapshot ${old}`));
    }
  }

  /** Runs a diagnostic GC now, queued behind any scheduled diagnostic. */
  runGcNow(): Promise<GcResult> {
    return this.monitor.runDiagnosticGc();
  }

  /** Stops the schedule and releases every handle the object counter holds. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.monitor.off('sample', this.onSample);
    this.monitor.connection.off('event', this.onEvent);
    await this.scheduler.stop();
    await this.counter?.dispose();
  }
}
