// Pure mapping from the extension's settings to the core's adaptive diagnostics. No vscode import.
import type { MonitorDiagnosticsOptions } from '../../core/scheduling/monitorDiagnostics';
import type { GcResult } from '../../core/types';
import type { GcEffectView } from '../../shared/protocol';

/** The settings that shape a session's periodic diagnostics (a subset of ExtensionConfig). */
export interface DiagnosticsSettings {
  diagnosticIntervalMinutes: number;
  watchedClasses: readonly string[];
  objectsIntervalSeconds: number;
  busyCpuPercent: number;
  samplingIntervalMs: number;
}

const CLASS_PATH = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

/** Valid, distinct class names (identifiers or dotted paths) from the setting; anything else is dropped. */
export function watchedClassList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const names = value.filter((v): v is string => typeof v === 'string').map((v) => v.trim());
  return [...new Set(names.filter((n) => CLASS_PATH.test(n)))];
}

/** A TCP port (0 = any free one), or null when the endpoint is off or the value is not a port. */
export function metricsPortOf(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535 ? value : null;
}

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
