import { EventEmitter } from 'node:events';
import type { InspectorConnection } from '../inspector/connection';
import type { SamplingProfile } from './allocationSites';
import { SamplingIntervalController } from './samplingInterval';
import { logFailure } from '../log';

/** Where the sampling profiler stands: ours, shared with another tool that started it, unavailable, or off. */
export type ProfilerState =
  | { state: 'running' }
  | { state: 'shared'; reason: string }
  | { state: 'unavailable'; reason: string }
  | { state: 'off' };

const SHARED_REASON =
  "another tool (DevTools or a js-debug heap profile) is running the sampling heap profiler; memmon reads it without changing it, at that tool's sampling interval, and loses allocation sites if that tool stops it";

/**
 * memmon's use of V8's sampling heap profiler (one per isolate): starts it at a budgeted interval, shares a foreign
 * one read-only, restarts it when the interval must change, and notices when another tool stops it.
 * Events: `state` (ProfilerState), `reset` (sampled history was lost: site tracking must start over),
 * `interval` (bytes, samples/s) after an adaptation.
 */
export class SamplingProfiler extends EventEmitter {
  private current: ProfilerState = { state: 'off' };
  private readonly interval: SamplingIntervalController;
  private restarting = false;
  private refined = false;

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
      this.setState({
        state: 'unavailable',
        reason: `the sampling heap profiler could not start: ${(err as Error).message}`,
      });
    }
  }

  /** Reads the live profile and adapts the interval to the measured sample rate; null when unreadable. */
  async read(t: number): Promise<SamplingProfile | null> {
    try {
      const { profile } = await this.connection.send('HeapProfiler.getSamplingProfile', {}, 10_000);
      let maxOrdinal = 0;
      for (const s of profile.samples ?? []) if (s.ordinal > maxOrdinal) maxOrdinal = s.ordinal;
      if (this.current.state === 'running' && !this.restarting && this.interval.observe(t, maxOrdinal) !== null) {
        this.emit('interval', this.interval.interval, this.interval.rate);
        await this.restart();
      }
      return profile;
    } catch (err) {
      if (this.connection.isClosed) return null;
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

  /** Stops the profiler if it is ours. */
  async dispose(): Promise<void> {
    if (this.current.state === 'running' && !this.connection.isClosed) {
      await this.connection
        .send('HeapProfiler.stopSampling', {}, 3000)
        .catch(logFailure('stopping the sampling heap profiler'));
    }
    this.current = { state: 'off' };
  }

  /** Restarts at the controller's interval; the sampled history is lost. */
  private async restart(): Promise<void> {
    this.restarting = true;
    try {
      // Restarted right after: a profiler that would not stop shows up there.
      await this.connection
        .send('HeapProfiler.stopSampling', {}, 5000)
        .catch(logFailure('stopping the sampling heap profiler for a restart'));
      this.emit('reset');
      await this.start();
    } finally {
      this.restarting = false;
    }
  }

  private setState(state: ProfilerState): void {
    this.current = state;
    this.emit('state', state);
  }
}
