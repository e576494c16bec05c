import { EventEmitter } from 'node:events';
import path from 'node:path';
import { Clock, systemClock } from '../clock';
import { AlertTracker, DEFAULT_ALERT_THRESHOLD_MB, DEFAULT_THRESHOLD_MB } from '../alerts/alertTracker';
import { mb } from '../format';
import { DiagnosticGcOptions, runDiagnosticGc } from '../gc/diagnosticGc';
import { CdpProxyAddress, isLoopbackHost } from '../inspector/endpoint';
import { findRendererPid } from '../inspector/rendererProcess';
import { findInspectorPid } from '../inspector/inspectorPid';
import { ConnectOptions, InspectorConnection, InspectorError } from '../inspector/connection';
import type { ObjectCounts } from '../objects/objectCounter';
import { JsonlWriter } from '../recording/jsonlWriter';
import { describeWriteError } from '../recording/outputFile';
import { RingBuffer } from '../recording/ringBuffer';
import { pruneOldRecordings } from '../recording/retention';
import { learnThreadId, Sampler, SamplerOptions } from '../sampling/sampler';
import { GcResult, MemorySample } from '../types';
import { logFailure } from '../log';

export interface MonitorOptions extends ConnectOptions {
  intervalMs?: number;
  /** Time between external/arrayBuffers evaluations (default 10 s). */
  memoryUsageIntervalMs?: number;
  thresholdMb?: number;
  alertThresholdMb?: number;
  /** A browser page's DOM nodes: critical above this many, warning above 80 % of it; null or absent = off. */
  domNodesThreshold?: number | null;
  /** Directory for the JSONL recording; none when omitted. */
  logDir?: string | null;
  /** History kept in memory and recordings kept on disk are limited to this age (default 7 days). */
  retentionDays?: number;
  /** Samples kept in memory (default 7 days at the interval, capped at 1 M). */
  historyCapacity?: number;
  /** The `worker_threads` Worker's threadId when the target is a Worker (its samples, alerts and GCs carry it). */
  threadId?: number;
  /** Known pid; otherwise learned from the debuggee. */
  pid?: number | null;
  /** A browser page's renderer process, whose RSS its samples carry (found by attach on a local browser). */
  rendererPid?: number | null;
  /** The target is js-debug's CDP proxy (events need `JsDebug.subscribe`). */
  viaJsDebugProxy?: boolean;
  /** See SamplerOptions.idleReuse (default on). */
  idleReuse?: SamplerOptions['idleReuse'];
  /** Time source of the sampler and of the diagnostics scheduled for this monitor (default: the system clock). */
  clock?: Clock;
}

/**
 * Everything that watches one debuggee: the connection, the sampler, alert levels, an in-memory history and
 * the JSONL recording. Events: `sample` (MemorySample), `alert` (AlertEvent), `gc` (GcResult), `objects` (ObjectCounts),
 * `closed` (InspectorError) once the debuggee goes away, `waitingForDisconnect` when Node finished and waits for us,
 * `recordingFailed` (Error) once when the JSONL recording cannot be written any more.
 */
export class ProcessMonitor extends EventEmitter {
  readonly history: RingBuffer<MemorySample>;
  readonly alerts: AlertTracker;
  readonly gcHistory: GcResult[] = [];
  readonly startedAt = Date.now();
  readonly clock: Clock;
  private readonly sampler: Sampler;
  private recorder: JsonlWriter | null = null;
  private disposed = false;
  /** Node finished the program and only waits for debuggers to disconnect (seen as event or by probing). */
  waitingForDisconnect = false;
  /** Set once writing the recording failed (e.g. a full disk); sampling and alerts go on without it. */
  recordingError: Error | null = null;

  private constructor(
    readonly connection: InspectorConnection,
    private readonly options: MonitorOptions,
  ) {
    super();
    const retentionMs = (options.retentionDays ?? 7) * 86_400_000;
    const intervalMs = options.intervalMs ?? 1000;
    const capacity = options.historyCapacity ?? Math.min(1_000_000, Math.ceil(retentionMs / intervalMs));
    this.history = new RingBuffer(capacity, retentionMs);
    this.alerts = new AlertTracker({
      threshold: mb(options.thresholdMb ?? DEFAULT_THRESHOLD_MB),
      alertThreshold: mb(options.alertThresholdMb ?? DEFAULT_ALERT_THRESHOLD_MB),
      domNodes: options.domNodesThreshold ?? null,
    });
    const local = isLoopbackHost(connection.endpoint.host);
    this.clock = options.clock ?? systemClock;
    this.sampler = new Sampler(connection, {
      intervalMs,
      memoryUsageIntervalMs: options.memoryUsageIntervalMs,
      pid: options.pid,
      threadId: options.threadId,
      rssPid: options.rendererPid,
      local,
      // The CPU-time shortcut reads the main thread's clock, which says nothing about a Worker's heap.
      idleReuse: options.threadId !== undefined ? false : options.idleReuse,
      clock: this.clock,
    });
    this.sampler.on('sample', (s: MemorySample) => this.onSample(s));
    this.sampler.on('error', (e: Error) => this.emit('error', e));
    connection.on('close', (err: InspectorError) => {
      this.sampler.stop();
      this.recorder?.close();
      if (!this.disposed) this.emit('closed', err);
    });
    connection.on('event', (e: { method: string }) => {
      if (e.method === 'NodeRuntime.waitingForDisconnect') this.markWaitingForDisconnect();
    });
  }

  /** Connects to a target and starts sampling. */
  static async attach(target: string | CdpProxyAddress, options: MonitorOptions = {}): Promise<ProcessMonitor> {
    const conn = await InspectorConnection.connect(target, options);
    // Known before the first reading, so a debuggee blocked in native code still gets its RSS and CPU read.
    const pid =
      options.pid ?? (options.viaJsDebugProxy ? undefined : ((await findInspectorPid(conn.endpoint)) ?? undefined));
    // A browser page has no pid of its own: its renderer's RSS stands for it when that process can be told.
    const rendererPid = pid === undefined && !options.viaJsDebugProxy ? await findRendererPid(conn) : null;
    const opts = { ...options, ...(pid !== undefined && { pid }), ...(rendererPid !== null && { rendererPid }) };
    return ProcessMonitor.fromConnection(conn, opts);
  }

  /** Starts sampling over a connection that is already open (a Worker's tunnelled session); closes it on failure. */
  static async fromConnection(conn: InspectorConnection, options: MonitorOptions = {}): Promise<ProcessMonitor> {
    // js-debug gives each Worker its own session and proxy: only the debuggee can tell it is a Worker.
    if (options.viaJsDebugProxy && options.threadId === undefined) {
      const threadId = await learnThreadId(conn);
      if (threadId !== null) options = { ...options, threadId };
    }
    const monitor = new ProcessMonitor(conn, options);
    try {
      await monitor.start();
    } catch (err) {
      await monitor.dispose();
      throw err;
    }
    return monitor;
  }

  /** The Worker's threadId, undefined for a process's main thread. */
  get threadId(): number | undefined {
    return this.options.threadId;
  }

  /** The debuggee's pid once known. */
  get pid(): number | null {
    return this.sampler.pid ?? null;
  }

  get intervalMs(): number {
    return this.sampler.intervalMs;
  }

  private async start(): Promise<void> {
    // Node waits for attached debuggers before exiting; ask it to tell us, so a finished program can exit.
    // (A Worker's session has no NodeRuntime domain: the process's main-thread session covers the exit.)
    const notify =
      this.threadId === undefined
        ? this.connection
            .send('NodeRuntime.notifyWhenWaitingForDisconnect', { enabled: true }, 2000)
            .catch(logFailure('NodeRuntime.notifyWhenWaitingForDisconnect (a target that is not Node.js?)'))
        : undefined;
    // A program that ended while we connected waits for us without ever sending the event (the request came too
    // late): its JavaScript context is gone, so an evaluation fails at once with "Cannot find context".
    // Both at once: a debuggee that answers neither (blocked) costs the attach one timeout, not two.
    const [, first] = await Promise.all([notify, this.contextState()]);
    // Checked again once the request is in place, in case the program ended between the two.
    const context = first === 'alive' ? await this.contextState() : first;
    if (context === 'destroyed') this.markWaitingForDisconnect();
    if (this.options.viaJsDebugProxy) {
      await this.connection
        .subscribeThroughJsDebug(['NodeRuntime.*', 'HeapProfiler.*'], 3000)
        .catch(logFailure("subscribing to events through js-debug's proxy"));
    }
    await this.sampler.start();
    if (this.options.logDir) {
      pruneOldRecordings(this.options.logDir, this.options.retentionDays ?? 7);
      const thread = this.threadId !== undefined ? `-t${this.threadId}` : '';
      const name = `memmon-${this.pid ?? 'unknown'}${thread}-${new Date(this.startedAt).toISOString().replace(/[:.]/g, '-')}.jsonl`;
      const file = path.join(this.options.logDir, name);
      try {
        this.recorder = new JsonlWriter(file, (err) => this.onRecordingFailed(file, err));
        for (const s of this.history.toArray()) this.recorder.write({ type: 'sample', ...s });
      } catch (err) {
        // A folder we cannot create or write: monitoring goes on without a recording.
        this.onRecordingFailed(file, err as Error);
      }
    }
  }

  private onRecordingFailed(file: string, err: Error): void {
    this.recordingError = new Error(`recording to ${file} stopped: ${describeWriteError(err)}; monitoring continues`);
    this.emit('recordingFailed', this.recordingError);
  }

  private markWaitingForDisconnect(): void {
    if (this.waitingForDisconnect) return;
    this.waitingForDisconnect = true;
    this.emit('waitingForDisconnect');
  }

  /** `destroyed` when the debuggee's JavaScript context is gone (Node is past the end of the program). */
  private async contextState(): Promise<'alive' | 'destroyed' | 'no-answer'> {
    try {
      await this.connection.send('Runtime.evaluate', { expression: '0', silent: true }, 1000);
      return 'alive';
    } catch (err) {
      if (err instanceof InspectorError && err.code === 'protocol' && /Cannot find context/i.test(err.message))
        return 'destroyed';
      return 'no-answer';
    }
  }

  /** Path of the JSONL recording, if any. */
  get recordingFile(): string | null {
    return this.recorder?.file ?? null;
  }

  /** Changes the sampling interval without reconnecting; the history (and the recording) carry on. */
  setIntervalMs(ms: number): void {
    this.sampler.setIntervalMs(ms);
  }

  /** Changes alert thresholds without reconnecting. */
  setThresholds(thresholdMb: number, alertThresholdMb: number, domNodesThreshold: number | null = null): void {
    this.alerts.setThresholds({
      threshold: mb(thresholdMb),
      alertThreshold: mb(alertThresholdMb),
      domNodes: domNodesThreshold,
    });
  }

  /** Forces a full GC in the debuggee and reports what it freed; emits `gc`. */
  async runDiagnosticGc(
    options: Pick<DiagnosticGcOptions, 'testCycle' | 'timeoutMs' | 'detailed'> = {},
  ): Promise<GcResult> {
    const measured = await runDiagnosticGc(this.connection, {
      ...options,
      pid: this.pid,
      local: isLoopbackHost(this.connection.endpoint.host),
    });
    const { t, pid, ...rest } = measured;
    const result: GcResult = this.threadId !== undefined ? { t, pid, threadId: this.threadId, ...rest } : measured;
    this.gcHistory.push(result);
    this.recorder?.write({ type: 'gc', ...result });
    this.emit('gc', result);
    return result;
  }

  /** Records watched-object counts (from an ObjectCounter) and emits `objects`, e.g. as leak evidence. */
  reportObjects(counts: ObjectCounts): void {
    this.recorder?.write({ type: 'objects', ...counts });
    this.emit('objects', counts);
  }

  /** Records an extra event (e.g. a leak verdict) in the JSONL recording. */
  record<T extends { type: string }>(record: T): void {
    this.recorder?.write(record);
  }

  private onSample(s: MemorySample): void {
    this.history.push(s);
    this.recorder?.write({ type: 'sample', ...s });
    this.emit('sample', s);
    for (const alert of this.alerts.update(s)) {
      this.recorder?.write({ type: 'alert', ...alert });
      this.emit('alert', alert);
    }
  }

  /** Stops sampling, closes the recording and the connection. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.sampler.stop();
    this.recorder?.close();
    await this.connection.close();
  }
}
