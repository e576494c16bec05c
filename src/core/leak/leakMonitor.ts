import { EventEmitter } from 'node:events';
import type { InspectorConnection } from '../inspector/connection';
import { evaluateValue, numberFields } from '../inspector/evaluate';
import { mb } from '../format';
import type { GcResult, MemorySample } from '../types';
import { AllocationSiteTracker } from './allocationSites';
import { LeakDetector } from './detector';
import { CostBudget, estimateForcedGcMs } from './costBudget';
import { ForcedGc } from './forcedGc';
import { NaturalGcWatch, type NaturalGcDrain } from './naturalGc';
import { ProfilerState, SamplingProfiler } from './samplingProfiler';
import { estimateSnapshotPauseMs, probeRetainers, type RetainerProbeResult } from './retainerProbe';
import { ScriptSources } from './scriptSources';
import { SiteResolver } from './siteResolver';
import { forecastLeak } from './forecast';
import { median } from './stats';
import { VerdictChange, VerdictTracker } from './verdictState';
import type {
  LeakClearedLine,
  LeakMetric,
  LeakReportLine,
  LeakRetainer,
  LeakSensitivity,
  LeakSite,
  LeakVerdict,
  LeakVerdictState,
} from './types';

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
  /** A `worker_threads` Worker's threadId, carried by its `leak` lines and alerts (absent for the main thread). */
  threadId?: number;
  /** Sample-rate budget of the sampling profiler; the interval grows to stay under it (default 1000/s ≈ 0.3 % CPU). */
  maxSamplesPerSec?: number;
  /** Sites kept in each report (default 5). */
  maxSites?: number;
  /**
   * Retainers: two small heap snapshots are taken automatically when a leak is suspected while the heap is at most
   * this many bytes (default 256 MB); 0 turns the snapshots off.
   */
  retainerSnapshotLimitBytes?: number;
  /** Time between the two retainer snapshots (default 3 s). */
  retainerGapMs?: number;
  /**
   * js-debug proxy handling for the retainer snapshots (see captureHeapSnapshot): the editor passes false for a
   * js-debug session, whose HeapProfiler events it already subscribed to (a second subscription duplicates chunks).
   */
  snapshotProxy?: boolean | 'auto';
  /** The alert thresholds the forecast counts down to, bytes (default 1000 MB critical, 2000 MB emergency). */
  thresholds?: { criticalBytes: number; emergencyBytes: number };
}

export type { ProfilerState } from './samplingProfiler';

/**
 * Where the search for retainers stands: `over-limit` when a verdict stands but the heap is above the snapshot limit,
 * so no snapshot is taken unless asked for (findRetainersNow).
 */
export interface RetainerProbeStatus {
  state: 'idle' | 'running' | 'done' | 'over-limit' | 'failed';
  /** The heap the decision was made on (post-GC baseline), bytes. */
  heapBytes: number | null;
  limitBytes: number;
  /** The expected pause of one snapshot at that heap size (ms), from this run's measured pauses when there are any. */
  estimatedPauseMs: number | null;
  error: string | null;
}

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
  /** Capture time of each retainer snapshot (ms): an upper bound of the pause it caused. */
  snapshotPausesMs: number[];
  /**
   * The expected CPU cost (ms) of the profile read the budget last held back, null once a read was taken again: a
   * fast leak's live samples make each read dearer, so its sites may wait (the report says so).
   */
  withheldReadMs: number | null;
  /** Baselines from full GCs V8 made on its own (free: read from its GC records). */
  naturalBaselines: number;
  /** Debuggee CPU of reading those records (ms), included in both percentages. */
  drainMs: number;
}

const DEFAULTS = {
  gcIntervalMs: 3000,
  budget: 0.008,
  samplingIntervalBytes: 16 * 1024,
  maxSamplesPerSec: 1000,
  maxSites: 5,
  retainerSnapshotLimitBytes: 256 * 1024 * 1024,
  retainerGapMs: 3000,
  thresholds: { criticalBytes: mb(1000), emergencyBytes: mb(2000) },
};

/** While the site tracker warms up (its first three reads), a read expected to cost at most this (ms) may use the whole budget, not only the reads' half. */
const CHEAP_READ_MS = 60;

/**
 * What a sampling-profile read costs the debuggee (ms), as measured here by the debuggee's CPU clock around reads of
 * a leaking program (bench/leaks): about 20 µs per live sample listed, plus a fixed part; doubled to stay an upper bound.
 */
function profileReadModelMs(samples: number): number {
  return 2 * (0.5 + samples * 0.02);
}

/** The heap limit and the young generation's semi-space size (MiB) of a Node.js debuggee, in one evaluation. */
const HEAP_LIMIT_EXPRESSION = `(() => {
  const opts = [...process.execArgv, ...String(process.env.NODE_OPTIONS || '').split(/\\s+/)];
  let semiSpaceMb = 16;
  for (const o of opts) { const m = /^--max-semi-space-size=(\\d+)/.exec(o); if (m) semiSpaceMb = Number(m[1]); }
  return { limit: require('v8').getHeapStatistics().heap_size_limit, semiSpaceMb };
})()`;

/**
 * Leak detection for one debuggee: forces periodic full GCs for clean baselines, reads the sampling heap
 * profile after each, feeds the LeakDetector and the AllocationSiteTracker, and emits
 * `leak` (LeakReportLine) for each new or changed verdict (state `suspected` → `confirmed`), `leak-cleared`
 * (LeakClearedLine) when a verdict is withdrawn, `alert` once per metric, `profiler` (ProfilerState) on change.
 * Fed raw samples via `addSample` too (used when forced GCs are off or fail).
 */
export class LeakMonitor extends EventEmitter {
  readonly detector: LeakDetector;
  /** Verdict states: raised, confirmed, cleared. */
  readonly tracker: VerdictTracker;
  sites = new AllocationSiteTracker();
  private readonly profiler: SamplingProfiler;
  private readonly sources = new ScriptSources();
  private readonly resolver = new SiteResolver(this.sources);
  private retainers: LeakRetainer[] = [];
  /** On a page: the JavaScript keeping detached DOM nodes, from the probe's snapshot (the `dom` verdict's retainers). */
  private domRetainers: LeakRetainer[] = [];
  private readonly snapshotPausesMs: number[] = [];
  private probing: Promise<void> | undefined;
  private probeRunning = false;
  /** Heap snapshots under way on the connection (any sender's: ours, Hunt Leak's, the user's). */
  private snapshotsRunning = 0;
  /** The raw sample before the current run of snapshots, until the first sample after it (see onHeapSnapshot). */
  private sampleBeforeSnapshot: MemorySample | null = null;
  private snapshotEndedAt = -Infinity;
  private lastSample: MemorySample | undefined;
  private readonly onHeapSnapshot = (phase: 'start' | 'end') => this.heapSnapshot(phase);
  private probeRuns = 0;
  private probeError: string | null = null;
  private overLimitHeap: number | null = null;
  /** (heap bytes, pause ms) of each snapshot taken, for pause estimates. */
  private readonly measuredPauses: Array<{ heapBytes: number; pauseMs: number }> = [];
  private lastVerdicts: LeakVerdict[] = [];
  private lastHeapUsed: number | undefined;
  /** The figure alert levels compare in the latest raw sample (max of RSS and heapUsed), for the forecast. */
  private lastLevelBytes: number | null = null;
  private lastBaselineLevelBytes: number | null = null;
  /** `heap_size_limit` of the debuggee, read once per session. */
  private heapLimitBytes: number | null = null;
  /** The part of it the old generation may fill (what the post-GC heap grows into); see readHeapLimit. */
  private oldGenerationLimitBytes: number | null = null;
  private readonly clearedLines: LeakClearedLine[] = [];
  private readonly probeAbort = new AbortController();
  private readonly opts: Required<Omit<LeakMonitorOptions, 'pid' | 'threadId' | 'sensitivity' | 'snapshotProxy'>> &
    Pick<LeakMonitorOptions, 'pid' | 'threadId' | 'snapshotProxy'>;
  private timer: NodeJS.Timeout | undefined;
  private probe: NodeJS.Timeout | undefined;
  private readonly gc: ForcedGc;
  private readonly natural: NaturalGcWatch;
  private budget = new CostBudget(DEFAULTS.budget, Date.now());
  private lastForced: { at: number; costMs: number; heapBytes: number } | null = null;
  private lastNaturalAt = -Infinity;
  private lastDrainAt: number | null = null;
  private readonly recentCosts: number[] = [];
  private lastProfileCpuMs = 0;
  /** The heap when the profile was last read: a leak's live samples grow with it, and so does the next read. */
  private lastProfileHeap: number | null = null;
  private withheldReadMs: number | null = null;
  private lastProfileAt = -Infinity;
  /** heapUsed at the last drain (garbage included): what the next forced GC marks at most. */
  private heapNow: number | null = null;
  private stopped = false;
  private startedAt = 0;
  private debuggeeCpuAtStart: number | undefined;
  private debuggeeCpuMs = 0;
  private readonly spent = {
    gcCount: 0,
    gcMs: 0,
    profileCount: 0,
    profileMs: 0,
    profileCpuMs: 0,
    evaluateMs: 0,
    naturalBaselines: 0,
    drainMs: 0,
  };
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
    this.tracker = new VerdictTracker(this.detector.settings);
    this.opts = {
      ...DEFAULTS,
      ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    };
    this.gc = new ForcedGc(connection);
    this.natural = new NaturalGcWatch(connection);
    this.profiler = new SamplingProfiler(connection, this.opts.samplingIntervalBytes, this.opts.maxSamplesPerSec);
    this.profiler.on('state', (state: ProfilerState) => this.emit('profiler', state));
    this.profiler.on('reset', () => (this.sites = new AllocationSiteTracker()));
    this.profiler.on('interval', (bytes: number, rate: number) => this.emit('samplingInterval', bytes, rate));
    connection.on('heap-snapshot', this.onHeapSnapshot);
  }

  /** Starts the sampling profiler (when allowed) and the forced-GC cycle. */
  async start(): Promise<void> {
    this.startedAt = Date.now();
    // Credit for two base intervals: a small heap gets its first baselines at once; a big one (a 1 GB heap's full GC
    // takes about a second) waits until the budget has earned its cost, and V8's own full GCs stand in meanwhile.
    this.budget = new CostBudget(this.opts.budget, this.startedAt, 2 * this.opts.budget * this.opts.gcIntervalMs);
    await this.gc.init();
    await this.natural.init();
    await this.readHeapLimit();
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
    this.discountSnapshotRss(sample);
    this.lastSample = sample;
    this.detector.addSample(sample);
    if (!sample.stale?.includes('heap')) this.lastLevelBytes = Math.max(sample.rss ?? 0, sample.heapUsed);
  }

  /** Feeds a diagnostic GC result (e.g. a user-requested one). */
  addGc(gc: GcResult): void {
    this.detector.addGc(gc);
  }

  /** The latest leak line of each verdict standing now (empty when none stands: never raised, or cleared). */
  get verdicts(): LeakReportLine[] {
    return this.latest;
  }

  /** Every `leak-cleared` line emitted so far, oldest first. */
  get cleared(): readonly LeakClearedLine[] {
    return this.clearedLines;
  }

  /** V8's heap limit in the debuggee (bytes), once read. */
  get heapLimit(): number | null {
    return this.heapLimitBytes;
  }

  /** The alert thresholds the forecasts count down to (bytes). */
  get thresholds(): { criticalBytes: number; emergencyBytes: number } {
    return this.opts.thresholds;
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
      percent: ((s.gcMs + s.profileCpuMs + s.drainMs + s.evaluateMs) / wallMs) * 100,
      cpuPercent: ((s.gcMs + s.profileCpuMs + s.drainMs) / wallMs) * 100,
      debuggeeCpuMs: this.debuggeeCpuMs,
      snapshotPausesMs: [...this.snapshotPausesMs],
      withheldReadMs: this.withheldReadMs,
    };
  }

  /** Stops the cycle and the sampling profiler. Safe to call more than once. */
  async dispose(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.connection.off('heap-snapshot', this.onHeapSnapshot);
    clearTimeout(this.timer);
    clearTimeout(this.probe);
    this.probeAbort.abort();
    await this.probing;
    await this.profiler.dispose();
    await this.natural.dispose();
    await this.gc.dispose();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.cycle(), ms);
    this.timer.unref?.();
  }

  /**
   * One cycle: the full GCs V8 made on its own since the last cycle become baselines (free), a forced GC adds one
   * when none came for a while and the cost budget allows it, then a profile read and an evaluation when any
   * baseline arrived. With V8's GC records available the cycle runs twice per `gcIntervalMs`; without them it forces
   * a GC each time and waits long enough to stay within the budget.
   */
  private async cycle(): Promise<void> {
    const interval = this.opts.gcIntervalMs;
    let next = this.natural.active ? interval / 2 : interval;
    try {
      const spentBefore = this.budget.spent;
      // The first forced GC's cost is estimated from the heap's size: know it first.
      let fresh = this.natural.active && this.heapNow === null ? await this.drainNatural() : false;
      const now = Date.now();
      const quiet = now - this.lastNaturalAt >= interval && now - (this.lastForced?.at ?? -Infinity) >= interval;
      // Without V8's GC records (Bun, Deno, old Node.js): a forced GC every cycle, the cycle stretched (below).
      const force =
        !this.natural.active || (quiet && this.budget.allows(now, estimateForcedGcMs(this.lastForced, this.heapNow)));
      if (force) fresh = (await this.forcedBaseline()) || fresh;
      else fresh = (await this.drainNatural()) || fresh;
      if (this.profiler.readable) {
        // Profile reads after each baseline and at least every gcIntervalMs between them (sites need a few reads,
        // and full GCs of a leaking heap are rare), within half the budget so that forced GCs still get their share.
        const t = Date.now();
        const due = fresh || t - this.lastProfileAt >= interval;
        // A standing verdict without sites may take the whole budget for a read (forced GCs' share included).
        const wanted = this.latest.length > 0 && !this.latest[0].sites.length;
        // Right after a (re)start the site tracker needs three reads; while they are cheap they are not held back.
        const readMs = this.estimateProfileReadMs();
        const warming = this.sites.profileCount < 3 && readMs <= CHEAP_READ_MS;
        // Warm-up reads and a site-less verdict's reads may use the whole budget, the others only the reads' half.
        const allowed = warming || wanted ? this.budget.allows(t, readMs) : this.budget.allowsRead(t, readMs, 0.5);
        if (!this.natural.active || (due && allowed)) await this.chargedProfileRead(t);
        else if (due) {
          this.withheldReadMs = readMs;
          // A suspected leak still without sites, whose reads the budget can no longer afford: start the profile
          // over, coarser, so that its next reads are cheap again (the site tracker warms up afresh).
          if (wanted && readMs > CHEAP_READ_MS && (await this.profiler.coarsen())) {
            this.lastProfileCpuMs = 0;
            this.lastProfileHeap = null;
          }
        }
      } else if (fresh && this.profiler.state.state === 'unavailable' && this.opts.samplingIntervalBytes > 0)
        await this.profiler.start();
      // A page's sites are in scripts its server serves: fetch each once (with its source map) before naming them.
      if (this.gc.isPage) await this.sources.fetchRemote(this.sites.rank(this.opts.maxSites).map((s) => s.frame.url));
      // Every cycle: raw samples (addSample) may have given baselines too, e.g. on a runtime without forced GCs.
      this.judge(Date.now());
      if (!this.natural.active) {
        // No GC records: the cycle waits long enough for its cost (median of the last three) to stay in budget.
        this.recentCosts.push(this.budget.spent - spentBefore);
        if (this.recentCosts.length > 3) this.recentCosts.shift();
        next = Math.max(interval, median(this.recentCosts) / this.opts.budget);
      }
    } catch (err) {
      if (this.connection.isClosed) return;
      this.emit('error', err);
    }
    this.schedule(next);
  }

  /** Drains the natural baselines into the detector; true when any arrived. */
  private async drainNatural(): Promise<boolean> {
    const e0 = performance.now();
    const drained = await this.natural.drain();
    if (!drained) return false;
    this.spent.evaluateMs += Math.max(0, performance.now() - e0 - drained.cpuMs);
    return this.takeDrain(drained);
  }

  private takeDrain(d: NaturalGcDrain): boolean {
    this.spent.drainMs += d.cpuMs;
    this.budget.charge(d.cpuMs);
    this.trackDebuggeeCpu(d.cpuClockMs);
    this.heapNow = d.heapUsedNow;
    // The bound's time is the previous drain's: the young-generation GC happened at or after it.
    if (d.minorAfter !== null && this.lastDrainAt !== null) {
      this.detector.addHeapUpperBound(this.lastDrainAt, d.minorAfter);
    }
    this.lastDrainAt = Date.now();
    let any = false;
    for (const b of d.baselines) {
      // Never before the latest forced baseline: the detector's series is in time order.
      if (this.lastForced && b.t <= this.lastForced.at) continue;
      this.detector.addBaseline({ t: b.t, heapUsed: b.heapUsed, external: b.external, rss: null });
      this.spent.naturalBaselines++;
      this.lastNaturalAt = b.t;
      this.lastHeapUsed = b.heapUsed;
      any = true;
    }
    return any;
  }

  /** Forces a full GC (after draining the natural ones, in the same round trip when possible); true when it gave a baseline. */
  private async forcedBaseline(): Promise<boolean> {
    const e0 = performance.now();
    let reading = null;
    const handle = this.gc.handle;
    if (handle && this.natural.active) {
      const r = await this.natural.force(handle);
      if (r) {
        this.takeDrain(r.drained);
        reading = r.reading;
      }
    }
    if (!reading) {
      await this.drainNatural();
      reading = await this.gc.run();
      // The inspector's command collects several times: none of those are natural baselines.
      if (this.natural.active) await this.natural.drain();
    }
    const t = Date.now();
    const wall = performance.now() - e0;
    // The debuggee's own CPU clock tells what the forced GC cost it (the round trip also counts waiting).
    const gcMs = reading ? Math.min(wall, Math.max(0, reading.cpuMs)) : wall;
    this.spent.gcCount++;
    this.spent.gcMs += gcMs;
    this.spent.evaluateMs += Math.max(0, wall - gcMs);
    this.budget.charge(gcMs);
    if (!reading) {
      this.lastForced = { at: t, costMs: gcMs, heapBytes: this.heapNow ?? 0 };
      return false;
    }
    this.lastForced = { at: t, costMs: gcMs, heapBytes: reading.heapUsed };
    this.heapNow = reading.heapUsed;
    this.trackDebuggeeCpu(reading.cpuClockMs);
    this.lastHeapUsed = reading.heapUsed;
    this.lastBaselineLevelBytes = Math.max(reading.rss ?? 0, reading.heapUsed);
    this.detector.addBaseline({
      t,
      heapUsed: reading.heapUsed,
      external: reading.external,
      rss: reading.rss,
      domNodes: reading.domNodes,
    });
    return true;
  }

  /**
   * The expected CPU cost of the next profile read: the last one's, scaled by how much the heap grew since. A leak's
   * sampled allocations stay live, so the profile (and its read) grows with the heap: at 20 MB/s a read that cost
   * 127 ms at 7 s cost 736 ms at 35 s, and a budget check on the last cost let it through.
   */
  private estimateProfileReadMs(): number {
    const last = this.lastProfileHeap;
    if (!last || this.heapNow === null || this.heapNow <= last) return this.lastProfileCpuMs;
    return this.lastProfileCpuMs * (this.heapNow / last);
  }

  /** Reads the sampling profile, charging its CPU (by the debuggee's clock when it can be read) to the budget. */
  private async chargedProfileRead(t: number): Promise<void> {
    // The three requests go out together, so the inspector serves them back to back and the CPU clock brackets the
    // read alone (awaiting each would also charge the program's own work during the round trips).
    const [start, read, end] = await Promise.all([
      this.readDebuggeeCpuMs(),
      this.readProfile(t),
      this.readDebuggeeCpuMs(),
    ]);
    // Round trips on a busy machine overstate the read, and so does the process CPU clock when the program's own GC
    // threads are busy (a big heap's concurrent marking): the least of the three, the model included, is the cost.
    const clockMs = start !== undefined && end !== undefined ? Math.max(0, end - start) : Infinity;
    const cpuMs = Math.min(read.wallMs, clockMs, profileReadModelMs(read.samples));
    this.spent.profileCpuMs += cpuMs;
    this.lastProfileCpuMs = cpuMs;
    this.lastProfileHeap = this.heapNow;
    this.withheldReadMs = null;
    this.lastProfileAt = t;
    this.budget.charge(cpuMs, true);
  }

  /** The debuggee's CPU clock (ms of user + system time); the round trip counts as evaluation time. */
  private async readDebuggeeCpuMs(): Promise<number | undefined> {
    const e0 = performance.now();
    try {
      return await this.gc.readCpuClockMs();
    } finally {
      this.spent.evaluateMs += performance.now() - e0;
    }
  }

  /**
   * `v8.getHeapStatistics().heap_size_limit`, once per session: where a JS-heap leak ends in an OOM crash. The limit
   * includes the young generation's reserve (3 semi-spaces, 16 MiB each unless `--max-semi-space-size` says
   * otherwise), which a post-GC heap never fills: the forecast counts down to the rest, the old generation's limit
   * (measured: with --max-old-space-size=48 the limit is 96 MiB and the program died at 42 MB of heap).
   */
  private async readHeapLimit(): Promise<void> {
    const e0 = performance.now();
    try {
      const v = numberFields(
        await evaluateValue(this.connection, HEAP_LIMIT_EXPRESSION, { includeCommandLineAPI: true }),
        'limit',
        'semiSpaceMb',
      );
      if (v && v.limit > 0) {
        this.heapLimitBytes = v.limit;
        const old = v.limit - 3 * v.semiSpaceMb * 1024 * 1024;
        this.oldGenerationLimitBytes = old > v.limit / 4 ? old : v.limit;
      }
    } catch {
      // No limit known (e.g. a runtime without node:v8): forecasts leave heapLimitInSec null.
    } finally {
      this.spent.evaluateMs += performance.now() - e0;
    }
  }

  private trackDebuggeeCpu(total: number): void {
    if (this.debuggeeCpuAtStart === undefined) this.debuggeeCpuAtStart = total;
    this.debuggeeCpuMs = total - this.debuggeeCpuAtStart;
  }

  /** Reads the sampling profile after a forced GC into the site tracker; returns the milliseconds it took. */
  private async readProfile(t: number): Promise<{ wallMs: number; samples: number }> {
    const p0 = performance.now();
    const profile = await this.profiler.read(t);
    if (profile) {
      this.spent.profileCount++;
      this.sites.addProfile(t, profile);
    }
    const ms = performance.now() - p0;
    this.spent.profileMs += ms;
    return { wallMs: ms, samples: profile?.samples?.length ?? 0 };
  }

  /** Current ranked sites, source-mapped. */
  currentSites(): LeakSite[] {
    return this.sites.rank(this.opts.maxSites).map((s) => this.resolver.resolve(s));
  }

  private judge(t: number): void {
    const verdicts = this.detector.evaluate();
    const changes = this.tracker.update(t, verdicts, (m) => this.detector.points(m));
    for (const c of changes) if (c.kind === 'cleared') this.withdraw(t, c);
    const byMetric = new Map(this.latest.map((l) => [l.metric, l]));
    for (const c of changes) if (c.kind === 'cleared') byMetric.delete(c.cleared.metric);
    if (verdicts.length) {
      const sites = this.currentSites();
      // No site after a few reads: the interval is too coarse for what leaks. Fewer reads (they are expensive on a
      // fast-growing heap) mean no verdict on the interval yet, and a restart would throw those reads away.
      if (!sites.length && this.sites.profileCount >= 5) void this.profiler.refine();
      // Standing verdicts the trend test holds now get fresh lines; one waiting to be cleared keeps its last line.
      for (const st of this.tracker.standing)
        if (verdicts.includes(st.verdict)) byMetric.set(st.verdict.metric, this.toLine(t, st.verdict, sites, st.state));
      this.lastVerdicts = verdicts;
      this.maybeProbe(verdicts, sites);
    }
    this.latest = this.tracker.standing.map((st) => byMetric.get(st.verdict.metric)).filter((l) => l !== undefined);
    if (verdicts.length) this.publish(t, verdicts);
  }

  /**
   * A verdict was withdrawn: its `leak-cleared` line. A later raise of the same metric gets a new `leak` line but no
   * second alert (alerts stay once per metric: the leak lines carry the states).
   */
  private withdraw(t: number, c: Extract<VerdictChange, { kind: 'cleared' }>): void {
    const { metric, reason } = c.cleared;
    this.lastEmitted.delete(metric);
    const line: LeakClearedLine = {
      type: 'leak-cleared',
      t,
      pid: this.opts.pid ?? null,
      ...this.thread(),
      metric,
      reason,
    };
    this.clearedLines.push(line);
    this.emit('leak-cleared', line);
  }

  /** Emits the alert (once per metric) and a `leak` line for each verdict that is new or changed. */
  /**
   * Emits the standing verdicts' lines that changed. Only verdicts the trend test holds now are re-published (the
   * others keep their last line until cleared), unless `standing`: the retainers were found and every standing line
   * carries them at once (a retainer snapshot pauses the program for seconds, and the trend test may not hold again
   * until baselines resume: a 5 MB/s leak's holder was named 20 s late).
   */
  private publish(t: number, verdicts: LeakVerdict[], standing = false): void {
    for (const line of this.latest) {
      if (!standing && !verdicts.some((v) => v.metric === line.metric)) continue;
      if (!this.alerted.has(line.metric)) {
        this.alerted.add(line.metric);
        this.emit('alert', {
          t,
          pid: this.opts.pid ?? null,
          ...this.thread(),
          level: 'leak',
          metric: line.metric,
          value: line.rateBytesPerSec,
          limit: this.detector.settings.thresholds[line.metric].minRateBytesPerSec,
        });
      }
      // Re-emit when the ranking changes or the rate moves by more than a fifth: each line is the current verdict.
      const prev = this.lastEmitted.get(line.metric);
      const signature = `${line.state}/${line.sites.map((s) => `${s.file}:${s.line}`).join('|')}/${line.retainers
        .map((r) => `${r.path}:${r.line}`)
        .join('|')}`;
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

  /** `{threadId}` for a Worker's lines, nothing for the main thread's. */
  private thread(): { threadId?: number } {
    return this.opts.threadId !== undefined ? { threadId: this.opts.threadId } : {};
  }

  private toLine(t: number, v: LeakVerdict, sites: LeakSite[], state: LeakVerdictState): LeakReportLine {
    const forecast = forecastLeak({
      metric: v.metric,
      rateBytesPerSec: v.rateBytesPerSec,
      // Alerts judge raw samples; without any (no sample feed), the post-GC reading.
      levelBytes: this.lastLevelBytes ?? this.lastBaselineLevelBytes,
      heapBytes: v.metric === 'heap' ? v.baselineBytes : (this.lastHeapUsed ?? null),
      thresholds: this.opts.thresholds,
      heapLimitBytes: this.oldGenerationLimitBytes,
    });
    return {
      type: 'leak',
      t,
      pid: this.opts.pid ?? null,
      ...this.thread(),
      metric: v.metric,
      rateBytesPerSec: v.rateBytesPerSec,
      ...(v.metric === 'dom' && { rateNodesPerSec: v.rateBytesPerSec }),
      confidence: v.confidence,
      since: v.since,
      sites,
      retainers: this.retainersFor(v.metric),
      state,
      forecast,
    };
  }

  /** A `dom` verdict is about detached DOM: the JavaScript that keeps it; the others, the growing holders. */
  private retainersFor(metric: LeakMetric): LeakRetainer[] {
    return metric === 'dom' ? this.domRetainers : this.retainers;
  }

  /** What keeps the leaked objects, most responsible first ([] until a probe found any). */
  get currentRetainers(): LeakRetainer[] {
    return this.retainers;
  }

  /** Changes the heap size up to which retainer snapshots are taken automatically (0 = never). */
  setRetainerSnapshotLimit(bytes: number): void {
    this.opts.retainerSnapshotLimitBytes = bytes;
    if (this.overLimitHeap !== null && this.overLimitHeap <= bytes) this.overLimitHeap = null;
  }

  /** Where the retainer search stands, with the expected pause of a snapshot at the current heap size. */
  retainerStatus(): RetainerProbeStatus {
    const heap = this.overLimitHeap ?? this.lastHeapUsed ?? null;
    const state = this.probeRunning
      ? 'running'
      : this.probeError && !this.probeRuns
        ? 'failed'
        : this.probeRuns
          ? 'done'
          : this.overLimitHeap !== null
            ? 'over-limit'
            : 'idle';
    return {
      state,
      heapBytes: heap,
      limitBytes: this.opts.retainerSnapshotLimitBytes,
      estimatedPauseMs: heap === null ? null : estimateSnapshotPauseMs(heap, this.measuredPauses),
      error: this.probeError,
    };
  }

  /**
   * Runs the retainer probe now, whatever the heap size (the user asked, knowing the pause): two snapshots, the
   * growing holders, and an updated `leak` line. Joins a probe already running.
   */
  async findRetainersNow(): Promise<LeakRetainer[]> {
    if (this.stopped) throw new Error('leak detection has stopped');
    if (!this.probeRunning) this.runProbe(this.latest[0]?.sites ?? this.currentSites());
    await this.probing;
    if (this.probeError && !this.probeRunning) throw new Error(this.probeError);
    return this.retainers;
  }

  /** Starts the retainer snapshots once per run when a leak is first suspected and the heap is small enough. */
  private maybeProbe(verdicts: LeakVerdict[], sites: LeakSite[]): void {
    // One automatic probe per run: the snapshots pause the debuggee, and a standing verdict's holders rarely change.
    const limit = this.opts.retainerSnapshotLimitBytes;
    if (this.probing || this.stopped || limit <= 0) return;
    const v = verdicts.find((x) => x.metric === 'heap');
    // The live heap the snapshots will hold: the verdict's baseline grown at its rate since (a 20 MB/s leak's heap
    // is hundreds of MB past a baseline taken seconds ago), or the last baseline without a heap verdict.
    const heap = v
      ? v.baselineBytes + Math.max(0, v.rateBytesPerSec) * Math.max(0, (Date.now() - v.t) / 1000)
      : this.lastHeapUsed;
    if (heap === undefined) return;
    if (heap > limit) {
      this.overLimitHeap = heap;
      return;
    }
    this.overLimitHeap = null;
    this.runProbe(sites);
  }

  /**
   * A heap snapshot starts or ends on the connection. The debuggee cannot run meanwhile (its heap looks flat: the
   * tracker must not clear a verdict on that), and V8's snapshot writer leaves its memory in the allocator: RSS jumps
   * (162 → 1,343 MB for an 87 MB heap) and stays, which the RSS trend would read as a leak. The jump — the first raw
   * sample after the snapshots against the last one before, less what heap and external grew — is discounted.
   */
  private heapSnapshot(phase: 'start' | 'end'): void {
    if (phase === 'start') {
      if (this.snapshotsRunning++ === 0 && !this.sampleBeforeSnapshot)
        this.sampleBeforeSnapshot = this.lastSample ?? null;
    } else if (this.snapshotsRunning > 0 && --this.snapshotsRunning === 0) this.snapshotEndedAt = Date.now();
    this.notePause();
  }

  private discountSnapshotRss(sample: MemorySample): void {
    const before = this.sampleBeforeSnapshot;
    if (!before || this.snapshotsRunning > 0 || sample.t < this.snapshotEndedAt) return;
    if (sample.rss == null || before.rss == null || sample.stale?.includes('heap')) return;
    this.sampleBeforeSnapshot = null;
    const grown =
      Math.max(0, sample.heapUsed - before.heapUsed) + Math.max(0, (sample.external ?? 0) - (before.external ?? 0));
    this.detector.discount('rss', sample.rss - before.rss - grown);
  }

  /** Tells the tracker whether (until when) the debuggee is paused by a snapshot, or by our probe between its two. */
  private notePause(): void {
    this.tracker.pausedByUs(this.probeRunning || this.snapshotsRunning > 0 ? Infinity : Date.now());
  }

  private runProbe(sites: LeakSite[]): void {
    this.probeRunning = true;
    this.probeError = null;
    this.notePause();
    this.probing = probeRetainers(this.connection, this.sources, {
      gapMs: this.opts.retainerGapMs,
      candidateFiles: sites.map((s) => s.generated?.url ?? s.file),
      proxy: this.opts.snapshotProxy,
      signal: this.probeAbort.signal,
      detachedDom: this.gc.isPage,
    })
      .then((r: RetainerProbeResult) => {
        this.snapshotPausesMs.push(...r.pausesMs);
        const heapBytes = r.heapUsedBytes ?? this.lastHeapUsed;
        if (heapBytes) for (const pauseMs of r.pausesMs) this.measuredPauses.push({ heapBytes, pauseMs });
        this.probeRuns++;
        this.overLimitHeap = null;
        if (this.stopped) return;
        this.retainers = r.retainers;
        this.domRetainers = r.detachedDom ?? [];
        this.emit('retainers', r);
        if (!this.latest.length) return;
        const t = Date.now();
        this.latest = this.latest.map((l) => ({ ...l, retainers: this.retainersFor(l.metric) }));
        this.publish(t, this.lastVerdicts, true);
      })
      .catch((err: unknown) => {
        this.probeError = (err as Error).message ?? String(err);
        if (!this.stopped) this.emit('error', err);
      })
      .finally(() => {
        this.probeRunning = false;
        this.notePause();
      });
  }
}
