import path from 'node:path';
import * as vscode from 'vscode';
import { AlertNotifier } from './alerts/alertNotifier';
import { CONTEXT_KEYS, MONITOR_PANEL_VIEW_TYPE } from './commands/commandIds';
import { registerMonitorCommands } from './commands/monitorCommands';
import { registerSnapshotCommands } from './commands/snapshotCommands';
import { ExtensionConfig, onConfigChange, readConfig } from './config';
import { registerLeakDetection } from './leaks';
import { MonitorRegistry } from './monitoring/monitorRegistry';
import { MonitorPanel } from './panel/monitorPanel';
import { registerRoadmapFeatures } from './metricsAndComparison';
import { DebugSessionTracker } from './sessions/debugSessionTracker';
import { MemoryStatusBar } from './statusBar/memoryStatusBar';
import { registerSnapshotViewer } from './viewer/snapshotEditorProvider';

/** Activates Memory Monitor: session tracking, status bar, alerts, Monitor panel, commands and the snapshot viewer. */
export function activate(context: vscode.ExtensionContext): void {
  let config: ExtensionConfig = readConfig();
  const getConfig = () => config;
  const log = vscode.window.createOutputChannel('Memory Monitor', { log: true });
  const storage = context.globalStorageUri.fsPath;
  const getLogDirectory = () =>
    config.logDirectory ? path.resolve(config.logDirectory) : path.join(storage, 'recordings');
  const defaultSnapshotDir = () => path.join(storage, 'snapshots');

  const registry = new MonitorRegistry();
  const tracker = new DebugSessionTracker(registry, getConfig, getLogDirectory, log);
  const commandContext = {
    extensionUri: context.extensionUri,
    registry,
    tracker,
    getConfig,
    getLogDirectory,
    defaultSnapshotDir,
    log,
  };
  const roadmap = registerRoadmapFeatures(context.extensionUri, registry, getConfig, getLogDirectory, log);

  const updateContextKeys = () => {
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.monitoring, registry.live().length > 0);
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasRecording, registry.all().length > 0);
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.canStart, tracker.unmonitored().length > 0);
  };

  const leaks = registerLeakDetection(context, registry, log);

  context.subscriptions.push(
    log,
    registry,
    tracker,
    ...leaks.disposables,
    new MemoryStatusBar(registry, leaks.status),
    new AlertNotifier(registry),
    registry.onDidChange(updateContextKeys),
    tracker.onDidChange(updateContextKeys),
    ...registerMonitorCommands(commandContext),
    ...registerSnapshotCommands(commandContext),
    registerSnapshotViewer(context, log),
    ...roadmap.disposables,
    vscode.window.registerWebviewPanelSerializer(MONITOR_PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => MonitorPanel.revive(panel, context.extensionUri, registry, getConfig),
    }),
    onConfigChange((next) => {
      // The sampling interval, thresholds and diagnostics apply in place (history kept); a new log folder needs a new recording.
      const restart = next.logDirectory !== config.logDirectory;
      config = next;
      for (const m of registry.live()) m.applyConfig(next);
      roadmap.applyConfig(next);
      MonitorPanel.configChanged();
      if (restart) void restartMonitors(registry, tracker);
    }),
  );
  updateContextKeys();
}

/** Reconnects every live js-debug monitor so a new log folder takes effect without a reload. */
async function restartMonitors(registry: MonitorRegistry, tracker: DebugSessionTracker): Promise<void> {
  for (const monitor of registry.live()) {
    const session = monitor.target.session;
    if (!session) continue;
    registry.remove(monitor.id);
    await tracker.start(session, false);
  }
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
