import { EventEmitter } from 'node:events';
import type { InspectorConnection } from '../inspector/connection';
import { evaluateValue } from '../inspector/evaluate';
import type { GcResult, MemorySample } from '../types';
import { AllocationSiteTracker } from './allocationSites';
import { LeakDetector } from './detector';
import { ForcedGc, readCpuUsage } from './forcedGc';
import { ProfilerState, SamplingProfiler } from './samplingProfiler';
import { SiteResolver } from './siteResolver';
import type { LeakMetric, LeakReportLine, LeakSensitivity, LeakSite, LeakVerdict } from './types';

export interface LeakMonitorOptions {
  sensitivity?: LeakSensitivity;
  /** Base time between forced full GCs that give clean baselines (default 3 s). */
  gcIntervalMs?: number;
  /** Share of wall time forced GCs and profile reads may take; the cycle stretches to stay within it (default 0.8 %). */
  budget?: number;
  /** Sampling heap profiler interval in bytes (default 16 KB); 0 disables allocation sites. */
  samplingIntervalBytes?: number;
  /** Debuggee pid for the `leak` lines. */
  pid?: number | null;
  /** Sample-rate budget of the sampling profiler; the interval grows to stay under it (default 1000/s ≈ 0.3 % CPU). */
  maxSamplesPerSec?: number;
  /** Sites kept in each report (default 5). */
  maxSites?: number;
}

export type { ProfilerState } from './samplingProfiler';

/** Debuggee time spent on leak detection, measured as CDP round trips (an upper bound of the debuggee's CPU). */
export interface LeakOverhead {
  wallMs: number;
  gcCount: number;
  gcMs: number;
  profileCount: number;
  /** Round-trip time of the profile reads. */
  profileMs: number;
  /** The same, by the debuggee's CPU clock. */
  profileCpuMs: number;
  evaluateMs: number;
  /**
   * (gcMs + profileCpuMs + evaluateMs) / wallMs, in percent of one core: an upper bound, as evaluateMs is round-trip
   * time. Excludes the sampling profiler's per-allocation cost (see bench:leaks for that).
   */
  percent: number;
  /** (gcMs + profileCpuMs) / wallMs: what the debuggee's CPU clock charged to forced GCs and profile reads. */
  cpuPercent: number;
  /** The debuggee's own CPU time over the same period (ms), from its process.cpuUsage(). */
  debuggeeCpuMs: number;
}

const DEFAULTS = {
  gcIntervalMs: 3000,
  budget: 0.008,
  samplingIntervalBytes: 16 * 1024,
  maxSamplesPerSec: 1000,
  maxSites: 5,
};

/**
 * Leak detection for one debuggee: forces periodic full GCs for clean baselines, reads the sampling heap
 * profile after each, feeds the LeakDetector and the AllocationSiteTracker, and emits
 * `leak` (LeakReportLine) for each new or changed verdict, `alert` once per metric, `profiler` (ProfilerState) on change.
 * Fed raw samples via `addSample` too (used when forced GCs are off or fail).
 */
export class LeakMonitor extends EventEmitter {
  readonly detector: LeakDetector;
  sites = new AllocationSiteTracker();
  private readonly profiler: SamplingProfiler;
  private readonly resolver = new SiteResolver();
  private readonly opts: Required<Omit<LeakMonitorOptions, 'pid' | 'sensitivity'>> & Pick<LeakMonitorOptions, 'pid'>;
  private timer: NodeJS.Timeout | undefined;
  private probe: NodeJS.Timeout | undefined;
  private readonly gc: ForcedGc;
  private stopped = false;
  private startedAt = 0;
  private readonly recentCosts: number[] = [];
  private debuggeeCpuAtStart: number | undefined;
  private debuggeeCpuMs = 0;
  private readonly spent = { gcCount: 0, gcMs: 0, profileCount: 0, profileMs: 0, profileCpuMs: 0, evaluateMs: 0 };
  private readonly alerted = new Set<LeakMetric>();
  private lastLine: LeakReportLine | undefined;
  private lastEmitted = new Map<LeakMetric, string>();
  private readonly emitted = new Map<LeakMetric, LeakReportLine>();
  /** The verdicts of the last evaluation that found any, kept so the final report survives a quiet end. */
  private latest: LeakReportLine[] = [];

  constructor(
    private readonly connection: InspectorConnection,
    options: LeakMonitorOptions = {},
  ) {
    super();
    this.detector = new LeakDetector(options.sensitivity ?? 'normal');
    this.opts = {
      ...DEFAULTS,
      ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    };
    this.gc = new ForcedGc(connection);
    this.profiler = new SamplingProfiler(connection, this.opts.samplingIntervalBytes, this.opts.maxSamplesPerSec);
    this.profiler.on('state', (state: ProfilerState) => this.emit('profiler', state));
    this.profiler.on('reset', () => (this.sites = new AllocationSiteTracker()));
    this.profiler.on('interval', (bytes: number, rate: number) => this.emit('samplingInterval', bytes, rate));
  }

  /** Starts the sampling profiler (when allowed) and the forced-GC cycle. */
  async start(): Promise<void> {
    this.startedAt = Date.now();
    await this.gc.init();
    if (this.opts.samplingIntervalBytes > 0) {
      await this.profiler.start();
      // Early looks at the sample rate settle the interval before the first sites matter.
      const probeAt = (ms: number) => {
        this.probe = setTimeout(() => {
          if (this.stopped) return;
          const p0 = performance.now();
          void this.profiler.read(Date.now()).then(() => {
            this.spent.profileCount++;
            this.spent.profileMs += performance.now() - p0;
          });
          if (ms < 2000) probeAt(ms * 2);
        }, ms);
        this.probe.unref?.();
      };
      probeAt(500);
    }
    // The first baseline right away: detection time counts from the attach.
    this.schedule(0);
  }

  get profilerState(): ProfilerState {
    return this.profiler.state;
  }

  /** How full GCs are forced: V8's gc function (one full GC) or the inspector's collectGarbage (several). */
  get gcMode(): 'gc-function' | 'inspector' {
    return this.gc.mode;
  }

  /** The sampling interval in use (bytes) and the last measured sample rate (per second). */
  get sampling(): { intervalBytes: number; samplesPerSec: number } {
    return this.profiler.sampling;
  }

  /** Feeds a raw sample (e.g. from ProcessMonitor's `sample` event). */
  addSample(sample: MemorySample): void {
    this.detector.addSample(sample);
  }

  /** Feeds a diagnostic GC result (e.g. a user-requested one). */
  addGc(gc: GcResult): void {
    this.detector.addGc(gc);
  }

  /** The latest leak line per suspected metric (empty when nothing is suspected). */
  get verdicts(): LeakReportLine[] {
    return this.latest;
  }

  /** The last emitted `leak` line of each metric ever suspected. */
  emittedByMetric(): LeakReportLine[] {
    return [...this.emitted.values()];
  }

  /** The last `leak` line emitted: the final verdict. */
  get lastReport(): LeakReportLine | undefined {
    return this.lastLine;
  }

  overhead(): LeakOverhead {
    const wallMs = Math.max(1, Date.now() - this.startedAt);
    const s = this.spent;
    return {
      wallMs,
      ...s,
      percent: ((s.gcMs + s.profileCpuMs + s.evaluateMs) / wallMs) * 100,
      cpuPercent: ((s.gcMs + s.profileCpuMs) / wallMs) * 100,
      debuggeeCpuMs: this.debuggeeCpuMs,
    };
  }

  /** Stops the cycle and the sampling profiler. Safe to call more than once. */
  async dispose(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.probe);
    await this.profiler.dispose();
    await this.gc.dispose();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.cycle(), ms);
    this.timer.unref?.();
  }

  /** One forced GC, one baseline, one profile, one evaluation; the next cycle waits long enough to stay in budget. */
  private async cycle(): Promise<void> {
    let next = this.opts.gcIntervalMs;
    try {
      const e0 = performance.now();
      const reading = await this.gc.run();
      const t = Date.now();
      const wall = performance.now() - e0;
      // The debuggee's own CPU clock tells what the forced GC cost it (the round trip also counts waiting).
      const gcMs = reading ? Math.min(wall, Math.max(0, reading.cpuMs)) : wall;
      this.spent.gcCount++;
      this.spent.gcMs += gcMs;
      this.spent.evaluateMs += Math.max(0, wall - gcMs);
      if (reading) {
        this.trackDebuggeeCpu(reading.cpuClockMs);
        this.detector.addBaseline({ t, heapUsed: reading.heapUsed, external: reading.external, rss: reading.rss });
      }
      let profileMs = 0;
      if (this.profiler.readable) {
        const wallMs = await this.readProfile(t);
        // Charge the profile read by the debuggee's CPU clock too: round trips on a busy machine overstate it.
        const end = reading ? await this.readDebuggeeCpuMs() : undefined;
        profileMs = reading && end !== undefined ? Math.min(wallMs, Math.max(0, end - reading.cpuClockMs)) : wallMs;
        this.spent.profileCpuMs += profileMs;
      } else if (this.profiler.state.state === 'unavailable' && this.opts.samplingIntervalBytes > 0)
        await this.profiler.start();
      this.judge(t);
      // Stay within the budget: a big heap collects (and profiles) slowly, so do it less often.
      this.recentCosts.push(gcMs + profileMs);
      if (this.recentCosts.length > 3) this.recentCosts.shift();
      const cost = [...this.recentCosts].sort((a, b) => a - b)[this.recentCosts.length >> 1];
      next = Math.max(this.opts.gcIntervalMs, cost / this.opts.budget);
    } catch (err) {
      if (this.connection.isClosed) return;
      this.emit('error', err);
    }
    this.schedule(next);
  }

  /** The debuggee's CPU clock (ms of user + system time); the round trip counts as evaluation time. */
  private async readDebuggeeCpuMs(): Promise<number | undefined> {
    const e0 = performance.now();
    try {
      return readCpuUsage(await evaluateValue(this.connection, 'process.cpuUsage()'));
    } finally {
      this.spent.evaluateMs += performance.now() - e0;
    }
  }

  private trackDebuggeeCpu(total: number): void {
    if (this.debuggeeCpuAtStart === undefined) this.debuggeeCpuAtStart = total;
    this.debuggeeCpuMs = total - this.debuggeeCpuAtStart;
  }

  /** Reads the sampling profile after a forced GC into the site tracker; returns the milliseconds it took. */
  private async readProfile(t: number): Promise<number> {
    const p0 = performance.now();
    const profile = await this.profiler.read(t);
    if (profile) {
      this.spent.profileCount++;
      this.sites.addProfile(t, profile);
    }
    const ms = performance.now() - p0;
    this.spent.profileMs += ms;
    return ms;
  }

  /** Current ranked sites, source-mapped. */
  currentSites(): LeakSite[] {
    return this.sites.rank(this.opts.maxSites).map((s) => this.resolver.resolve(s));
  }

  private judge(t: number): void {
    const verdicts = this.detector.evaluate();
    if (!verdicts.length) return;
    const sites = this.currentSites();
    if (!sites.length) void this.profiler.refine();
    this.latest = verdicts.map((v) => this.toLine(t, v, sites));
    for (const line of this.latest) {
      if (!this.alerted.has(line.metric)) {
        this.alerted.add(line.metric);
        this.emit('alert', {
          t,
          pid: this.opts.pid ?? null,
          level: 'leak',
          metric: line.metric,
          value: line.rateBytesPerSec,
          limit: this.detector.settings.thresholds[line.metric].minRateBytesPerSec,
        });
      }
      // Re-emit when the ranking changes or the rate moves by more than a fifth: each line is the current verdict.
      const prev = this.lastEmitted.get(line.metric);
      const signature = `${line.sites.map((s) => `${s.file}:${s.line}`).join('|')}`;
      const prevRate = prev ? Number(prev.split('#')[0]) : 0;
      if (!prev || !prev.endsWith(`#${signature}`) || Math.abs(line.rateBytesPerSec - prevRate) > 0.2 * prevRate) {
        this.lastEmitted.set(line.metric, `${line.rateBytesPerSec}#${signature}`);
        this.lastLine = line;
        this.emitted.set(line.metric, line);
        this.emit(
          'leak',
          line,
          verdicts.find((v) => v.metric === line.metric),
        );
      }
    }
  }

  private toLine(t: number, v: LeakVerdict, sites: LeakSite[]): LeakReportLine {
    return {
      type: 'leak',
      t,
      pid: this.opts.pid ?? null,
      metric: v.metric,
      rateBytesPerSec: v.rateBytesPerSec,
      confidence: v.confidence,
      since: v.since,
      sites,
    };
  }
}
