// The one typed view of the extension's settings (`contributes.configuration`, keys under `memoryMonitor.`), its one
// reader and its one change listener. test/extension/config.test.ts holds it in sync with package.json.
import * as vscode from 'vscode';
import type { LeakSensitivity } from '../core/leak/types';
import { DEFAULT_METRICS_NAMES, METRICS_NAMINGS, type MetricsNaming } from '../core/metrics/metricFamilies';

export const CONFIG_SECTION = 'memoryMonitor';

/** The settings, each under the same name as in package.json (`leakDetection.enabled` → `leakDetection.enabled`). */
export interface ExtensionConfig {
  thresholdMb: number;
  alertThresholdMb: number;
  /** Browser pages: critical above this many DOM nodes, warning above 80 % of it; null = off. */
  domNodesThreshold: number | null;
  samplingIntervalMs: number;
  diagnosticIntervalMinutes: number;
  metricsRetentionDays: number;
  logDirectory: string;
  snapshotDirectory: string;
  snapshotRetentionCount: number;
  autoStart: boolean;
  /** Classes whose live instances are counted. */
  watchedClasses: string[];
  objectsIntervalSeconds: number;
  busyCpuPercent: number;
  /** Prometheus endpoint port: null = off, 0 = a free port. */
  metricsPort: number | null;
  /** Which names the endpoint serves (`memmon`, `prom-client`, `otel`); an array or a comma-separated string. */
  metricsNames: MetricsNaming[];
  leakDetection: LeakDetectionConfig;
}

/** The `memoryMonitor.leakDetection.*` settings. */
export interface LeakDetectionConfig {
  enabled: boolean;
  sensitivity: LeakSensitivity;
  keepFlagsAfterSession: boolean;
  /** Heap size (MB) up to which retainer snapshots are taken automatically when a leak is suspected; 0 = never. */
  retainerSnapshotLimitMb: number;
}

/** What the reader needs of a configuration section (vscode.WorkspaceConfiguration, or a plain object in tests). */
export interface SettingsSection {
  get<T>(key: string): T | undefined;
}

/** Reads the settings, replacing nonsense values (not a number, below the minimum, wrong type) with the defaults. */
export function readConfig(
  section: SettingsSection = vscode.workspace.getConfiguration(CONFIG_SECTION),
): ExtensionConfig {
  const num = (key: string, def: number, min: number) => {
    const raw = section.get<unknown>(key);
    // settings.json may hold a numeric string; it has always been accepted.
    const v = raw === undefined ? def : Number(raw);
    return Number.isFinite(v) && v >= min ? v : def;
  };
  const str = (key: string) => {
    const v = section.get<unknown>(key);
    return typeof v === 'string' ? v : '';
  };
  const bool = (key: string, def: boolean) => {
    const v = section.get<unknown>(key);
    return typeof v === 'boolean' ? v : def;
  };
  const sensitivity = section.get<unknown>('leakDetection.sensitivity');
  return {
    thresholdMb: num('thresholdMb', 1000, 1),
    alertThresholdMb: num('alertThresholdMb', 2000, 1),
    domNodesThreshold: domNodesThresholdOf(section.get<unknown>('domNodesThreshold')),
    samplingIntervalMs: num('samplingIntervalMs', 1000, 100),
    diagnosticIntervalMinutes: num('diagnosticIntervalMinutes', 60, 0),
    metricsRetentionDays: num('metricsRetentionDays', 7, 0),
    logDirectory: str('logDirectory'),
    snapshotDirectory: str('snapshotDirectory'),
    snapshotRetentionCount: num('snapshotRetentionCount', 10, 1),
    autoStart: bool('autoStart', true),
    watchedClasses: watchedClassList(section.get<unknown>('watchedClasses')),
    objectsIntervalSeconds: num('objectsIntervalSeconds', 5, 0),
    busyCpuPercent: num('busyCpuPercent', 80, 1),
    metricsPort: metricsPortOf(section.get<unknown>('metricsPort')),
    metricsNames: metricsNamesOf(section.get<unknown>('metricsNames')),
    leakDetection: {
      enabled: bool('leakDetection.enabled', true),
      sensitivity: sensitivity === 'low' || sensitivity === 'high' ? sensitivity : 'normal',
      keepFlagsAfterSession: bool('leakDetection.keepFlagsAfterSession', false),
      retainerSnapshotLimitMb: num('leakDetection.retainerSnapshotLimitMb', 256, 0),
    },
  };
}

const CLASS_PATH = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

/** Valid, distinct class names (identifiers or dotted paths) from the setting; anything else is dropped. */
export function watchedClassList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const names = value.filter((v): v is string => typeof v === 'string').map((v) => v.trim());
  return [...new Set(names.filter((n) => CLASS_PATH.test(n)))];
}

/** The DOM-node alert threshold: a count of at least 1 (a numeric string too), or null (off) for anything else. */
export function domNodesThresholdOf(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 1 ? n : null;
}

/** A TCP port (0 = any free one), or null when the endpoint is off or the value is not a port. */
export function metricsPortOf(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535 ? value : null;
}

/**
 * The naming schemes of the setting (an array, or a comma-separated string as the CLI's `--metrics-names` takes), in
 * canonical order; unknown names are dropped (the settings editor flags them), and nothing valid means the default.
 */
export function metricsNamesOf(value: unknown): MetricsNaming[] {
  const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [];
  const names = items.filter((v): v is string => typeof v === 'string').map((v) => v.trim());
  const valid = METRICS_NAMINGS.filter((n) => names.includes(n));
  return valid.length ? valid : [...DEFAULT_METRICS_NAMES];
}

/** A settings change: the new settings and the ones they replace. */
export interface ConfigChange {
  config: ExtensionConfig;
  previous: ExtensionConfig;
}

/** The current settings, re-read once per change of any `memoryMonitor.*` setting and announced to every feature. */
export class ConfigService implements vscode.Disposable {
  private value: ExtensionConfig;
  private readonly emitter = new vscode.EventEmitter<ConfigChange>();
  /** Some `memoryMonitor.*` setting changed. */
  readonly onDidChange = this.emitter.event;
  private readonly listener: vscode.Disposable;

  constructor(private readonly read: () => ExtensionConfig = () => readConfig()) {
    this.value = read();
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(CONFIG_SECTION)) return;
      const previous = this.value;
      this.value = this.read();
      this.emitter.fire({ config: this.value, previous });
    });
  }

  /** The settings now. */
  get current(): ExtensionConfig {
    return this.value;
  }

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
  }
}
