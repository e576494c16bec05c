// Pure mapping from the extension's settings to the core's adaptive diagnostics. No vscode import (types only).
import type { MonitorDiagnosticsOptions } from '../../core/scheduling/monitorDiagnostics';
import type { GcResult } from '../../core/types';
import type { GcEffectView } from '../../shared/protocol';
import type { ExtensionConfig } from '../config';

/** The settings that shape a session's periodic diagnostics. */
export type DiagnosticsSettings = Pick<
  ExtensionConfig,
  'diagnosticIntervalMinutes' | 'watchedClasses' | 'objectsIntervalSeconds' | 'busyCpuPercent' | 'samplingIntervalMs'
>;

/**
 * Options for the core's MonitorDiagnostics. Without watched classes nothing is counted; with them and an object
 * interval of 0 they are counted at each diagnostic GC only (by the caller).
 */
export function diagnosticsOptions(s: DiagnosticsSettings): MonitorDiagnosticsOptions {
  return {
    gcIntervalMs: Math.max(0, s.diagnosticIntervalMinutes) * 60_000,
    watchedClasses: s.watchedClasses,
    objectsIntervalMs: Math.max(0, s.objectsIntervalSeconds) * 1000,
    busyCpuPercent: s.busyCpuPercent,
  };
}

/** True when a settings change needs the session's diagnostics schedule rebuilt (the monitor itself keeps running). */
export function diagnosticsChanged(a: DiagnosticsSettings, b: DiagnosticsSettings): boolean {
  return (
    a.diagnosticIntervalMinutes !== b.diagnosticIntervalMinutes ||
    a.objectsIntervalSeconds !== b.objectsIntervalSeconds ||
    a.busyCpuPercent !== b.busyCpuPercent ||
    // The busy/paused check counts "no fresh reading for 3 intervals", so it depends on the sampling interval.
    a.samplingIntervalMs !== b.samplingIntervalMs ||
    a.watchedClasses.join('\n') !== b.watchedClasses.join('\n')
  );
}

/** A diagnostic GC as the GC-effectiveness chart and the per-space table show it. */
export function gcEffectView(g: GcResult): GcEffectView {
  const percent = g.before.heapUsed > 0 ? Math.round((Math.max(0, g.freed) / g.before.heapUsed) * 1000) / 10 : 0;
  const view: GcEffectView = {
    t: g.t,
    freed: g.freed,
    percent,
    heapBefore: g.before.heapUsed,
    heapAfter: g.after.heapUsed,
  };
  if (g.spaces !== undefined)
    view.spaces =
      g.spaces?.map(({ name, usedBefore, usedAfter, availableBefore, availableAfter }) => ({
        name,
        usedBefore,
        usedAfter,
        availableBefore,
        availableAfter,
      })) ?? null;
  return view;
}
