import { EventEmitter } from 'node:events';
import { Clock, systemClock } from '../clock';
import type { LoadState } from './debuggeeLoad';

/** One periodic diagnostic (a diagnostic GC, an object count, a heap snapshot, …). */
export interface ScheduledTask {
  /** Short name used in `skipped` records: `gc`, `objects`, `snapshot`. */
  name: string;
  intervalMs: number;
  /** Delay before the first run (default: one interval). */
  firstDelayMs?: number;
  run(): Promise<unknown>;
}

/** A run that did not happen. Field names are the `skipped` JSON-lines contract. */
export interface SkippedRun {
  t: number;
  pid: number | null;
  task: string;
  reason: 'busy' | 'paused';
  cpuPercent: number | null;
  detail?: string;
  /** When the scheduler will try again. */
  retryInMs: number;
}

export interface AdaptiveSchedulerOptions {
  pid: number | null;
  /** First retry after a skip (default 5 s, at most the task's interval); doubles on each further skip. */
  retryMs?: number;
  /** Time source and timers (default: the system clock). */
  clock?: Clock;
}

/**
 * Runs periodic diagnostics for one debuggee, one at a time, and backs off while the debuggee is busy or
 * paused: a due run is skipped (event `skipped`, never silently), retried after a delay that doubles up to the
 * task's interval, and the normal period resumes after the next successful run.
 * Events: `skipped` (SkippedRun), `ran` ({task, t, durationMs}), `error` ({task, error}).
 */
export class AdaptiveScheduler extends EventEmitter {
  /** Cancels each task's pending run. */
  private readonly timers = new Map<string, () => void>();
  private readonly skips = new Map<string, number>();
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly clock: Clock;

  constructor(
    private readonly load: () => LoadState | Promise<LoadState>,
    private readonly tasks: ScheduledTask[],
    private readonly options: AdaptiveSchedulerOptions,
  ) {
    super();
    this.clock = options.clock ?? systemClock;
  }

  start(): void {
    for (const task of this.tasks) if (task.intervalMs > 0) this.schedule(task, task.firstDelayMs ?? task.intervalMs);
  }

  /** Runs a task now regardless of load (on demand), serialized with scheduled runs. */
  runNow(name: string): Promise<void> {
    const task = this.tasks.find((t) => t.name === name);
    if (!task) return Promise.reject(new Error(`no task ${name}`));
    return this.enqueue(task, true);
  }

  private schedule(task: ScheduledTask, delayMs: number): void {
    if (this.stopped) return;
    const cancel = this.clock.setTimer(() => void this.enqueue(task, false), delayMs, { unref: true });
    this.timers.set(task.name, cancel);
  }

  private enqueue(task: ScheduledTask, forced: boolean): Promise<void> {
    const run = this.queue.then(() => this.attempt(task, forced));
    // The caller of runNow gets the failure; the queue only orders runs.
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async attempt(task: ScheduledTask, forced: boolean): Promise<void> {
    if (this.stopped) return;
    if (!forced) {
      const state = await this.load();
      if (this.stopped) return;
      if (state.reason) {
        const n = (this.skips.get(task.name) ?? 0) + 1;
        this.skips.set(task.name, n);
        const first = Math.min(this.options.retryMs ?? 5000, task.intervalMs);
        const retryInMs = Math.min(task.intervalMs, first * 2 ** (n - 1));
        const skipped: SkippedRun = {
          t: this.clock.now(),
          pid: this.options.pid,
          task: task.name,
          reason: state.reason,
          cpuPercent: state.cpuPercent,
          retryInMs,
        };
        if (state.detail) skipped.detail = state.detail;
        this.emit('skipped', skipped);
        this.schedule(task, retryInMs);
        return;
      }
    }
    this.skips.delete(task.name);
    const started = this.clock.now();
    try {
      await task.run();
      this.emit('ran', { task: task.name, t: started, durationMs: this.clock.now() - started });
    } catch (error) {
      if (!this.stopped) this.emit('error', { task: task.name, error });
    }
    if (!forced) this.schedule(task, task.intervalMs);
  }

  /** Cancels every pending run; a run in progress finishes. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    await this.queue;
  }
}
