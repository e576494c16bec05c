import type * as vscode from 'vscode';
import type { ProcessMonitor } from '../../core/monitor/processMonitor';
import type { ObjectCounts } from '../../core/objects/objectCounter';
import type { SkippedRun } from '../../core/scheduling/adaptiveScheduler';
import { MonitorDiagnostics } from '../../core/scheduling/monitorDiagnostics';
import { DiagnosticsSettings, diagnosticsChanged, diagnosticsOptions } from './diagnosticsSettings';

const TASK_TITLES: Record<string, string> = { gc: 'diagnostic GC', objects: 'object count', snapshot: 'heap snapshot' };

/**
 * One session's adaptive diagnostics (the core's MonitorDiagnostics): periodic diagnostic GCs and watched-object
 * counts that back off while the debuggee is busy or paused. Rebuilt when its settings change; the monitor and its
 * history carry on. Skipped runs and unresolved class names are logged, never silent.
 */
export class SessionDiagnostics {
  private current: MonitorDiagnostics | null = null;
  private settings: DiagnosticsSettings;
  private disposed = false;

  constructor(
    private readonly monitor: ProcessMonitor,
    private readonly name: string,
    settings: DiagnosticsSettings,
    private readonly log: vscode.LogOutputChannel | undefined,
    private readonly onSkipped: (s: SkippedRun) => void,
  ) {
    this.settings = snapshotOf(settings);
    this.current = this.create();
  }

  /** Rebuilds the schedule when a relevant setting changed. */
  apply(settings: DiagnosticsSettings): void {
    const next = snapshotOf(settings);
    if (this.disposed || !diagnosticsChanged(this.settings, next)) return;
    this.settings = next;
    const old = this.current;
    this.current = null;
    void old?.dispose().then(() => {
      if (!this.disposed && !this.current) this.current = this.create();
    });
  }

  /** Counts the watched classes now (null when none are configured). */
  countNow(): Promise<ObjectCounts | null> {
    return this.current?.countObjects() ?? Promise.resolve(null);
  }

  /** With an object interval of 0, watched classes are counted after each diagnostic GC. */
  afterGc(): void {
    if (this.settings.objectsIntervalSeconds === 0 && this.settings.watchedClasses.length)
      this.countNow().catch((err: Error) =>
        this.log?.warn(`object count after the diagnostic GC of "${this.name}" failed: ${err.message}`),
      );
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const old = this.current;
    this.current = null;
    await old?.dispose();
  }

  private create(): MonitorDiagnostics {
    const d = new MonitorDiagnostics(this.monitor, diagnosticsOptions(this.settings));
    const who = `"${this.name}" (pid ${this.monitor.pid ?? '?'})`;
    d.on('skipped', (s: SkippedRun) => {
      const why =
        s.reason === 'busy' ? `busy (CPU ${s.cpuPercent ?? '?'} %)` : `paused (${s.detail ?? 'not answering'})`;
      this.log?.info(
        `skipped ${TASK_TITLES[s.task] ?? s.task} of ${who}: debuggee ${why}; retrying in ${Math.round(s.retryInMs / 1000)} s`,
      );
      this.onSkipped(s);
    });
    d.on('unresolved', ({ name, reason }: { name: string; reason: string }) =>
      this.log?.warn(`watched class ${name} in ${who}: ${reason}; trying again at each count`),
    );
    d.on('error', ({ task, error }: { task: string; error: Error }) =>
      this.log?.warn(`${TASK_TITLES[task] ?? task} of ${who} failed: ${error.message}`),
    );
    return d;
  }
}

function snapshotOf(s: DiagnosticsSettings): DiagnosticsSettings {
  return {
    diagnosticIntervalMinutes: s.diagnosticIntervalMinutes,
    watchedClasses: [...s.watchedClasses],
    objectsIntervalSeconds: s.objectsIntervalSeconds,
    busyCpuPercent: s.busyCpuPercent,
    samplingIntervalMs: s.samplingIntervalMs,
  };
}
