import { EventEmitter } from 'node:events';
import { InspectorError, type InspectorConnection } from '../inspector/connection';
import type { SamplingProfile } from './allocationSites';
import { SamplingIntervalController } from './samplingInterval';
import { describeError, logDebug, logFailure } from '../log';

/** Where the sampling profiler stands: ours, shared with another tool that started it, unavailable, or off. */
export type ProfilerState =
  | { state: 'running' }
  | { state: 'shared'; reason: string }
  | { state: 'unavailable'; reason: string }
  | { state: 'off' };

const SHARED_REASON =
  "another tool (DevTools or a js-debug heap profile) is running the sampling heap profiler; memmon reads it without changing it, at that tool's sampling interval, and loses allocation sites if that tool stops it";

/** The inspector's answer when the sampling heap profiler is not running. */
function isNotStarted(err: unknown): boolean {
  return err instanceof InspectorError && err.code === 'protocol' && /not started/i.test(err.message);
}

/**
 * memmon's use of V8's sampling heap profiler (one per isolate): starts it at a budgeted interval, shares a foreign
 * one read-only, restarts it when the interval must change, and notices when another tool stops it.
 * Events: `state` (ProfilerState), `reset` (sampled history was lost: site tracking must start over),
 * `interval` (bytes, samples/s) after an adaptation.
 */
export class SamplingProfiler extends EventEmitter {
  private current: ProfilerState = { state: 'off' };
  private readonly interval: SamplingIntervalController;
  /** Our own stop-and-start for a new interval, while it runs: reads wait for it (the profiler is briefly off). */
  private restarting: Promise<void> | null = null;
  /** Restarts begun so far: a read that a restart overlapped at any point was answered by our own stopped profiler. */
  private restarts = 0;
  /** Coarser restarts made because reads grew too dear (see coarsen). */
  private coarsened = 0;
  private refined = false;
  /** The inspector has no HeapProfiler domain at all (Bun's WebKit Inspector Protocol): never ask again. */
  private absent = false;

  constructor(
    private readonly connection: InspectorConnection,
    preferredIntervalBytes: number,
    maxSamplesPerSec: number,
  ) {
    super();
    this.interval = new SamplingIntervalController(preferredIntervalBytes, maxSamplesPerSec);
  }

  get state(): ProfilerState {
    return this.current;
  }

  /** True when profiles can be read (ours or shared). */
  get readable(): boolean {
    return this.current.state === 'running' || this.current.state === 'shared';
  }

  /** The sampling interval in use (bytes) and the last measured sample rate (per second). */
  get sampling(): { intervalBytes: number; samplesPerSec: number } {
    return { intervalBytes: this.interval.interval, samplesPerSec: Math.round(this.interval.rate) };
  }

  async start(): Promise<void> {
    if (this.absent) return;
    try {
      await this.connection.send('HeapProfiler.enable', {}, 5000);
      // A second startSampling silently joins a running profiler. A profile that can be read before we start
      // means another tool holds it: share it read-only and never stop it.
      const foreign = await this.connection.send('HeapProfiler.getSamplingProfile', {}, 5000).then(
        () => true,
        () => false,
      );
      if (foreign) return this.setState({ state: 'shared', reason: SHARED_REASON });
      await this.connection.send(
        'HeapProfiler.startSampling',
        {
          samplingInterval: this.interval.interval,
          includeObjectsCollectedByMajorGC: false,
          includeObjectsCollectedByMinorGC: false,
        },
        5000,
      );
      this.setState({ state: 'running' });
    } catch (err) {
      if (this.connection.isClosed) return;
      this.absent = /'HeapProfiler' domain was not found/.test((err as Error).message);
      this.setState({
        state: 'unavailable',
        reason: this.absent
          ? "this runtime's inspector has no sampling heap profiler (no HeapProfiler domain), so no allocation sites"
          : `the sampling heap profiler could not start: ${(err as Error).message}`,
      });
    }
  }

  /**
   * Reads the live profile and adapts the interval to the measured sample rate; null when unreadable. Only a profiler
   * that reports "not started" outside our own restart was stopped by another tool: a read that timed out (a big
   * heap lists many live samples, on a busy machine) or overlapped our restart says nothing about other tools.
   */
  async read(t: number): Promise<SamplingProfile | null> {
    if (this.absent) return null;
    // No await before the request unless a restart runs: callers pipeline requests around the read.
    if (this.restarting) await this.restarting;
    if (!this.readable) return null;
    const restartsBefore = this.restarts;
    try {
      const { profile } = await this.connection.send('HeapProfiler.getSamplingProfile', {}, 30_000);
      let maxOrdinal = 0;
      for (const s of profile.samples ?? []) if (s.ordinal > maxOrdinal) maxOrdinal = s.ordinal;
      if (this.current.state === 'running' && !this.restarting && this.interval.observe(t, maxOrdinal) !== null) {
        this.emit('interval', this.interval.interval, this.interval.rate);
        await this.restart();
      }
      return profile;
    } catch (err) {
      if (this.connection.isClosed) return null;
      if (this.restarting || this.restarts !== restartsBefore || !isNotStarted(err)) {
        logDebug(`sampling heap profile not read (${describeError(err)}); the profiler is still ours`);
        return null;
      }
      this.setState({
        state: 'unavailable',
        reason: `the sampling heap profiler was stopped by another tool (${(err as Error).message.split(': ').pop()}); allocation sites restart from scratch`,
      });
      this.emit('reset');
      return null;
    }
  }

  /**
   * A verdict without sites usually means few, small JS objects hold the memory (Buffers keep their bytes
   * off-heap), too few to be sampled at the normal interval: restart once at the finest affordable interval.
   */
  async refine(): Promise<void> {
    if (this.refined || this.current.state !== 'running') return;
    this.refined = true;
    if (this.interval.finer() !== null) await this.restart();
  }

  /**
   * Reads have grown too dear to afford (a fast leak keeps every sample live): restart at a 4× coarser interval, at
   * most twice per run, so that a few cheap reads can still name the sites. False when nothing changed.
   */
  async coarsen(): Promise<boolean> {
    if (this.coarsened >= 2 || this.current.state !== 'running' || this.restarting) return false;
    this.coarsened++;
    if (this.interval.coarser() === null) return false;
    this.emit('interval', this.interval.interval, this.interval.rate);
    await this.restart();
    return true;
  }

  /** Stops the profiler if it is ours. */
  async dispose(): Promise<void> {
    if (this.current.state === 'running' && !this.connection.isClosed) {
      await this.connection
        .send('HeapProfiler.stopSampling', {}, 3000)
        .catch(logFailure('stopping the sampling heap profiler'));
    }
    this.current = { state: 'off' };
  }

  /** Restarts at the controller's interval; the sampled history is lost. Joins a restart already running. */
  private restart(): Promise<void> {
    if (!this.restarting) this.restarts++;
    this.restarting ??= this.stopAndStart().finally(() => (this.restarting = null));
    return this.restarting;
  }

  private async stopAndStart(): Promise<void> {
    const stopped = await this.connection.send('HeapProfiler.stopSampling', {}, 30_000).then(
      () => true,
      (err: unknown) => {
        logDebug(`the sampling heap profiler did not stop for a restart (${describeError(err)}); kept as it is`);
        return false;
      },
    );
    // Not stopped (e.g. a timeout on a big heap): still ours and running, at the old interval. Starting again would
    // find it readable and take it for another tool's.
    if (!stopped) return;
    this.emit('reset');
    await this.start();
  }

  private setState(state: ProfilerState): void {
    this.current = state;
    this.emit('state', state);
  }
}
