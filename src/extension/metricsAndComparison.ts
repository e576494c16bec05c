import * as vscode from 'vscode';
import { registerCompareRecordings } from './compare/compareRecordingsCommand';
import type { ExtensionConfig } from './config';
import { MetricsEndpoint } from './monitoring/metricsEndpoint';
import type { MonitorRegistry } from './monitoring/monitorRegistry';
import { MonitorPanel } from './panel/monitorPanel';

/**
 * The roadmap features that live beside the per-session monitors (issue 6): the Prometheus endpoint and
 * roadmap-named metric records, and `Memory: Compare Recordings…`. Watched counts and adaptive diagnostics are per
 * session (SessionMonitor → SessionDiagnostics).
 */
export function registerRoadmapFeatures(
  extensionUri: vscode.Uri,
  registry: MonitorRegistry,
  getConfig: () => ExtensionConfig,
  getLogDirectory: () => string | null,
  log: vscode.LogOutputChannel,
): { disposables: vscode.Disposable[]; applyConfig(config: ExtensionConfig): void } {
  const metrics = new MetricsEndpoint(registry, log);
  void metrics.setPort(getConfig().metricsPort);
  return {
    disposables: [
      metrics,
      metrics.onDidChangeUrl((url) => MonitorPanel.setMetricsUrl(url)),
      registerCompareRecordings(extensionUri, getLogDirectory, log),
    ],
    applyConfig: (config) => void metrics.setPort(config.metricsPort),
  };
}
