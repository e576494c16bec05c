import * as vscode from 'vscode';
import { metricsPortOf, watchedClassList } from './monitoring/diagnosticsSettings';

/** Typed view of `contributes.configuration` (keys under `memoryMonitor.`). */
export interface ExtensionConfig {
  thresholdMb: number;
  alertThresholdMb: number;
  samplingIntervalMs: number;
  diagnosticIntervalMinutes: number;
  metricsRetentionDays: number;
  logDirectory: string;
  snapshotDirectory: string;
  snapshotRetentionCount: number;
  autoStart: boolean;
  /** Classes whose live instances are counted (issue 6). */
  watchedClasses: string[];
  objectsIntervalSeconds: number;
  busyCpuPercent: number;
  /** Prometheus endpoint port: null = off, 0 = a free port. */
  metricsPort: number | null;
}

export const CONFIG_SECTION = 'memoryMonitor';

/** Reads the settings, clamping nonsense values to safe ones. */
export function readConfig(): ExtensionConfig {
  const c = vscode.workspace.getConfiguration(CONFIG_SECTION);
  const num = (key: string, def: number, min: number) => {
    const v = Number(c.get<number>(key, def));
    return Number.isFinite(v) && v >= min ? v : def;
  };
  return {
    thresholdMb: num('thresholdMb', 1000, 1),
    alertThresholdMb: num('alertThresholdMb', 2000, 1),
    samplingIntervalMs: num('samplingIntervalMs', 1000, 100),
    diagnosticIntervalMinutes: num('diagnosticIntervalMinutes', 60, 0),
    metricsRetentionDays: num('metricsRetentionDays', 7, 0),
    logDirectory: c.get<string>('logDirectory', '') ?? '',
    snapshotDirectory: c.get<string>('snapshotDirectory', '') ?? '',
    snapshotRetentionCount: num('snapshotRetentionCount', 10, 1),
    autoStart: c.get<boolean>('autoStart', true) !== false,
    watchedClasses: watchedClassList(c.get<unknown>('watchedClasses', [])),
    objectsIntervalSeconds: num('objectsIntervalSeconds', 5, 0),
    busyCpuPercent: num('busyCpuPercent', 80, 1),
    metricsPort: metricsPortOf(c.get<unknown>('metricsPort', null)),
  };
}

/** Fires `listener` with fresh settings whenever any `memoryMonitor.*` setting changes. */
export function onConfigChange(listener: (config: ExtensionConfig) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(CONFIG_SECTION)) listener(readConfig());
  });
}
