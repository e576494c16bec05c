import { EventEmitter } from 'node:events';
import type { InspectorConnection } from '../inspector/connection';
import type { GcResult, MemorySample } from '../types';
import { AllocationSiteTracker, SamplingProfile } from './allocationSites';
import { LeakDetector } from './detector';
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
  /** Sites kept in each report (default 5). */
  maxSites?: number;
}

/** Where the sampling profiler stands: ours, shared with another tool that started it, unavailable, or off. */
export type ProfilerState = { state: 'running' } | { state: 'shared'; reason: string } | { state: 'unavailable'; reason: string } | { state: 'off' };

/** Debuggee time spent on leak detection, measured as CDP round trips (an upper bound of the debuggee's CPU). */
export interface LeakOverhead {
  wallMs: number;
  gcCount: number;
  gcMs: number;
  profileCount: number;
  profileMs: number;
  evaluateMs: number;
  /** (gcMs + profileMs + evaluateMs) / wallMs, in percent of one core. Excludes the sampling profiler's per-allocation cost. */
  percent: number;
  /** The debuggee's own CPU time over the same period (ms), from its process.cpuUsage(). */
  debuggeeCpuMs: number;
}

/** Sampling interval used once a leak is suspected but no site stands out (see refineSampling). */
const FINE_SAMPLING_INTERVAL = 1024;
const DEFAULTS = { gcIntervalMs: 3000, budget: 0.008, samplingIntervalBytes: 16 * 1024, maxSites: 5 };

/**
 * Leak detection for one debuggee: forces periodic full GCs for clean baselines, reads the sampling heap
 * profile after each, feeds the LeakDetector and the AllocationSiteTracker, and emits
 * `leak` (LeakReportLine) for each new or changed verdict, `alert` once per metric, `profiler` (ProfilerState) on change.
 * Fed raw samples via `addSample` too (used when forced GCs are off or fail).
 */
export class LeakMonitor extends EventEmitter {
  readonly detector: LeakDetector;
  sites = new AllocationSiteTracker();
  private refined = false;
  private currentInterval: number;
  private readonly resolver = new SiteResolver();
  private readonly opts: Required<Omit<LeakMonitorOptions, 'pid' | 'sensitivity'>> & Pick<LeakMonitorOptions, 'pid'>;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private startedAt = 0;
  private readonly recentCosts: number[] = [];
  private debuggeeCpuAtStart: number | undefined;
  private debuggeeCpuMs = 0;
  private readonly spent = { gcCount: 0, gcMs: 0, profileCount: 0, profileMs: 0, evaluateMs: 0 };
  private profiler: ProfilerState = { state: 'off' };
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
    this.opts = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof this.opts;
    this.currentInterval = this.opts.samplingIntervalBytes;
  }

  /** Starts the sampling profiler (when allowed) and the forced-GC cycle. */
  async start(): Promise<void> {
    this.startedAt = Date.now();
    if (this.opts.samplingIntervalBytes > 0) await this.startProfiler();
    this.schedule(this.opts.gcIntervalMs);
  }

  get profilerState(): ProfilerState {
    return this.profiler;
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
    return { wallMs, ...s, percent: ((s.gcMs + s.profileMs + s.evaluateMs) / wallMs) * 100, debuggeeCpuMs: this.debuggeeCpuMs };
  }

  /** Stops the cycle and the sampling profiler. Safe to call more than once. */
  async dispose(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.profiler.state === 'running' && !this.connection.isClosed) {
      await this.connection.send('HeapProfiler.stopSampling', {}, 3000).catch(() => undefined);
    }
  }

  private async startProfiler(): Promise<void> {
    try {
      await this.connection.send('HeapProfiler.enable', {}, 5000);
      // V8 has one sampling heap profiler per isolate, and a second startSampling silently joins the first one.
      // A profile that can be read before we start means another tool (DevTools, js-debug) holds it: share it
      // read-only and never stop it.
      const foreign = await this.connection.send('HeapProfiler.getSamplingProfile', {}, 5000).then(() => true, () => false);
      if (foreign) {
        this.setProfiler({ state: 'shared', reason: 'another tool (DevTools or a js-debug heap profile) is running the sampling heap profiler; memmon reads it without changing it, at that tool\'s sampling interval, and loses allocation sites if that tool stops it' });
        return;
      }
      await this.connection.send('HeapProfiler.startSampling', {
        samplingInterval: this.currentInterval,
        includeObjectsCollectedByMajorGC: false,
        includeObjectsCollectedByMinorGC: false,
      }, 5000);
      this.setProfiler({ state: 'running' });
    } catch (err) {
      const reason = /already|started/i.test((err as Error).message)
        ? 'the sampling heap profiler is held by another tool (DevTools or a js-debug heap profile); allocation sites are unavailable'
        : `the sampling heap profiler could not start: ${(err as Error).message}`;
      this.setProfiler({ state: 'unavailable', reason });
    }
  }

  /**
   * A verdict without sites usually means few, small JS objects hold the memory (Buffers: the bytes are off-heap),
   * too few to be sampled at the normal interval. Restart the profiler once at a fine interval to find them; this
   * costs more per allocation, but only after a leak is already suspected.
   */
  private async refineSampling(): Promise<void> {
    if (this.refined || this.profiler.state !== 'running' || this.currentInterval <= FINE_SAMPLING_INTERVAL) return;
    this.refined = true;
    await this.connection.send('HeapProfiler.stopSampling', {}, 5000).catch(() => undefined);
    this.currentInterval = FINE_SAMPLING_INTERVAL;
    this.sites = new AllocationSiteTracker();
    await this.startProfiler();
  }

  private setProfiler(state: ProfilerState): void {
    this.profiler = state;
    this.emit('profiler', state);
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
      const before = await this.evaluate('process.cpuUsage()');
      await this.connection.send('HeapProfiler.collectGarbage', {}, 30_000);
      const t = Date.now();
      const after = await this.evaluate('({ mem: process.memoryUsage(), cpu: process.cpuUsage() })');
      const wall = performance.now() - e0;
      // The debuggee's own CPU clock tells what the forced GC cost it (the round trip also counts waiting).
      const cpuMs = before && after?.cpu ? (after.cpu.user + after.cpu.system - before.user - before.system) / 1000 : wall;
      const gcMs = Math.min(wall, Math.max(0, cpuMs));
      this.spent.gcCount++;
      this.spent.gcMs += gcMs;
      this.trackDebuggeeCpu(after?.cpu);
      const v = after?.mem;
      if (v && typeof v.heapUsed === 'number') this.detector.addBaseline({ t, heapUsed: v.heapUsed, external: v.external ?? null, rss: v.rss ?? null });
      let profileMs = 0;
      if (this.profiler.state === 'running' || this.profiler.state === 'shared') profileMs = await this.readProfile(t);
      else if (this.profiler.state === 'unavailable' && this.opts.samplingIntervalBytes > 0) await this.startProfiler();
      this.judge(t);
      // Stay within the budget: a big heap collects (and profiles) slowly, so do it less often.
      this.recentCosts.push(gcMs + profileMs);
      if (this.recentCosts.length > 3) this.recentCosts.shift();
      const cost = [...this.recentCosts].sort((a, b) => a - b)[this.recentCosts.length >> 1]!;
      next = Math.max(this.opts.gcIntervalMs, cost / this.opts.budget);
    } catch (err) {
      if (this.connection.isClosed) return;
      this.emit('error', err);
    }
    this.schedule(next);
  }

  private async evaluate(expression: string): Promise<any> {
    const e0 = performance.now();
    try {
      const r = await this.connection.send('Runtime.evaluate', { expression, returnByValue: true, silent: true }, 5000);
      return r?.result?.value;
    } finally {
      this.spent.evaluateMs += performance.now() - e0;
    }
  }

  private trackDebuggeeCpu(cpu: { user: number; system: number } | undefined): void {
    if (!cpu) return;
    const total = (cpu.user + cpu.system) / 1000;
    if (this.debuggeeCpuAtStart === undefined) this.debuggeeCpuAtStart = total;
    this.debuggeeCpuMs = total - this.debuggeeCpuAtStart;
  }

  /** Reads the sampling profile; returns the milliseconds it took. */
  private async readProfile(t: number): Promise<number> {
    const p0 = performance.now();
    try {
      const { profile } = await this.connection.send<{ profile: SamplingProfile }>('HeapProfiler.getSamplingProfile', {}, 10_000);
      this.spent.profileCount++;
      this.sites.addProfile(t, profile);
    } catch (err) {
      if (this.connection.isClosed) return 0;
      // Another tool stopped the isolate's only sampling profiler; try to take it back next cycle.
      this.setProfiler({ state: 'unavailable', reason: `the sampling heap profiler was stopped by another tool (${(err as Error).message.split(': ').pop()}); allocation sites restart from scratch` });
      this.sites = new AllocationSiteTracker();
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
    if (!sites.length) void this.refineSampling();
    this.latest = verdicts.map((v) => this.toLine(t, v, sites));
    for (const line of this.latest) {
      if (!this.alerted.has(line.metric)) {
        this.alerted.add(line.metric);
        this.emit('alert', { t, pid: this.opts.pid ?? null, level: 'leak', metric: line.metric, value: line.rateBytesPerSec, limit: this.detector.settings.thresholds[line.metric].minRateBytesPerSec });
      }
      // Re-emit when the ranking changes or the rate moves by more than a fifth: each line is the current verdict.
      const prev = this.lastEmitted.get(line.metric);
      const signature = `${line.sites.map((s) => `${s.file}:${s.line}`).join('|')}`;
      const prevRate = prev ? Number(prev.split('#')[0]) : 0;
      if (!prev || !prev.endsWith(`#${signature}`) || Math.abs(line.rateBytesPerSec - prevRate) > 0.2 * prevRate) {
        this.lastEmitted.set(line.metric, `${line.rateBytesPerSec}#${signature}`);
        this.lastLine = line;
        this.emitted.set(line.metric, line);
        this.emit('leak', line, verdicts.find((v) => v.metric === line.metric));
      }
    }
  }

  private toLine(t: number, v: LeakVerdict, sites: LeakSite[]): LeakReportLine {
    return { type: 'leak', t, pid: this.opts.pid ?? null, metric: v.metric, rateBytesPerSec: v.rateBytesPerSec, confidence: v.confidence, since: v.since, sites };
  }
}
