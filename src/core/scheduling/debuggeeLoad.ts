import { Clock, systemClock } from '../clock';
import { readProcessCpuMs } from '../sampling/processMemory';
import type { MemorySample } from '../types';

/** Whether the debuggee can take a diagnostic now, and why not. */
export interface LoadState {
  /** null: go ahead. */
  reason: 'busy' | 'paused' | null;
  /** CPU use of the debuggee over the recent window (100 = one core), null when the OS cannot tell. */
  cpuPercent: number | null;
  /** What made it paused: a `Debugger.paused` event, or samples the debuggee did not answer (stale). */
  detail?: 'debugger' | 'not answering';
}

export interface DebuggeeLoadOptions {
  /** Busy above this CPU use (percent of one core, default 80). */
  busyCpuPercent?: number;
  /** Window the CPU use is averaged over (default 2 s: long enough to smooth a GC, short enough to resume soon). */
  windowMs?: number;
  /** Paused when no fresh sample arrived for this long (default 3 sampling intervals, at least 3 s). */
  staleAfterMs?: number;
  /** Time source (default: the system clock); sample times must come from the same clock. */
  clock?: Clock;
}

/**
 * Tracks how loaded a debuggee is, from the outside: its CPU time from the OS (`/proc/<pid>/stat`), whether its
 * samples are fresh (a debuggee blocked or paused does not answer `Runtime.getHeapUsage`), and `Debugger.paused`/
 * `resumed` events when another client (e.g. js-debug) enabled the debugger. Costs the debuggee nothing.
 */
export class DebuggeeLoad {
  private readonly cpu: Array<{ t: number; cpuMs: number }> = [];
  private lastFreshSample: number;
  private pausedByDebugger = false;
  private readonly clock: Clock;
  private readonly busyCpuPercent: number;
  private readonly windowMs: number;
  private readonly staleAfterMs: number;

  constructor(
    private readonly pid: number | null,
    options: DebuggeeLoadOptions & { intervalMs?: number } = {},
  ) {
    this.busyCpuPercent = options.busyCpuPercent ?? 80;
    this.windowMs = options.windowMs ?? 2000;
    this.staleAfterMs = options.staleAfterMs ?? Math.max(3000, 3 * (options.intervalMs ?? 1000));
    this.clock = options.clock ?? systemClock;
    this.lastFreshSample = this.clock.now();
    this.readCpu();
  }

  /** Feed every sample of the debuggee. */
  onSample(s: MemorySample): void {
    if (!s.stale?.includes('heap')) this.lastFreshSample = s.t;
    this.readCpu(this.clock.now());
  }

  /** Feed protocol events (only Debugger.paused/resumed matter). */
  onEvent(method: string): void {
    if (method === 'Debugger.paused') this.pausedByDebugger = true;
    else if (method === 'Debugger.resumed') this.pausedByDebugger = false;
  }

  /** The current state; reads the CPU counter once more so the window ends now. */
  state(now = this.clock.now()): LoadState {
    this.readCpu(now);
    const cpuPercent = this.cpuPercent();
    if (this.pausedByDebugger) return { reason: 'paused', cpuPercent, detail: 'debugger' };
    if (now - this.lastFreshSample > this.staleAfterMs)
      return { reason: 'paused', cpuPercent, detail: 'not answering' };
    if (cpuPercent !== null && cpuPercent > this.busyCpuPercent) return { reason: 'busy', cpuPercent };
    return { reason: null, cpuPercent };
  }

  private readCpu(now = this.clock.now()): void {
    if (!this.pid) return;
    const cpuMs = readProcessCpuMs(this.pid);
    if (cpuMs === null) return;
    this.cpu.push({ t: now, cpuMs });
    // Keep one point older than the window so the average always spans it.
    while (this.cpu.length > 2 && this.cpu[1].t <= now - this.windowMs) this.cpu.shift();
  }

  /** CPU use between the oldest kept reading and now, percent of one core; null until 500 ms are covered. */
  private cpuPercent(): number | null {
    if (this.cpu.length < 2) return null;
    const first = this.cpu[0];
    const last = this.cpu[this.cpu.length - 1];
    const span = last.t - first.t;
    if (span < 500) return null;
    return Math.round((1000 * (last.cpuMs - first.cpuMs)) / span) / 10;
  }
}
