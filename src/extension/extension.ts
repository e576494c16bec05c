import path from 'node:path';
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { DisposableStore } from '../core/disposableStore';
import { setCoreLogger } from '../core/log';
import { registerAlertNotifications } from './alerts/alertNotifier';
import { ContextKeys, registerCommands } from './commands/commands';
import { registerMonitorCommands } from './commands/monitorCommands';
import { registerSnapshotCommands } from './commands/snapshotCommands';
import { registerRecordingComparison } from './compare/compareRecordingsCommand';
import { ConfigService } from './config';
import type { FeatureContext } from './feature';
import { registerLeakDetection } from './leaks';
import { registerLanguageModelTools } from './lmTools/languageModelTools';
import { MonitorRegistry } from './monitoring/monitorRegistry';
import { registerMetricsEndpoint } from './monitoring/registerMetricsEndpoint';
import { MonitorPanelHost } from './panel/monitorPanelHost';
import { DebugSessionTracker } from './sessions/debugSessionTracker';
import { MemoryStatusBar } from './statusBar/memoryStatusBar';
import { registerSnapshotViewer } from './viewer/snapshotEditorProvider';

/** Activates Memory Monitor: session tracking, status bar, alerts, Monitor panel, commands and the snapshot viewer. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Memory Monitor', { log: true });
  const store = new DisposableStore();
  // The output channel is disposed last: monitors, workers and endpoints may still log while they shut down.
  context.subscriptions.push(store, log);
  // What core recovers from (failed cleanups, helper-thread fallbacks) goes to the log at debug level.
  store.add({ dispose: setCoreLogger({ debug: (message) => log.debug(message) }) });
  // The pure text modules (status bar, leak and GC texts; no vscode import) translate with @vscode/l10n: give it
  // the bundle VS Code loaded for the display language (none in English, where messages are their own text).
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  const config = store.add(new ConfigService());
  const storage = context.globalStorageUri.fsPath;
  const folders = {
    recordings: () => {
      const dir = config.current.logDirectory;
      return dir ? path.resolve(dir) : path.join(storage, 'recordings');
    },
    snapshots: () => {
      const dir = config.current.snapshotDirectory;
      return dir ? path.resolve(dir) : path.join(storage, 'snapshots');
    },
  };
  const registry = store.add(new MonitorRegistry());
  const tracker = store.add(new DebugSessionTracker(registry, () => config.current, folders.recordings, log));
  const monitorPanel = store.add(new MonitorPanelHost(context.extensionUri, registry, config));
  const ctx: FeatureContext = {
    extensionUri: context.extensionUri,
    log,
    config,
    registry,
    tracker,
    monitorPanel,
    folders,
    store,
  };

  const monitorCommands = registerMonitorCommands(ctx);
  const snapshotCommands = registerSnapshotCommands(ctx);
  const viewer = registerSnapshotViewer(ctx);
  const leaks = registerLeakDetection(ctx);
  const comparison = registerRecordingComparison(ctx);
  registerMetricsEndpoint(ctx, leaks.leakState);
  registerAlertNotifications(ctx);
  registerLanguageModelTools(ctx, { leaks: leaks.controller, snapshots: viewer.snapshots });
  store.add(new MemoryStatusBar(registry, leaks.status));
  store.add(
    registerCommands({
      ...monitorCommands.commands,
      ...snapshotCommands.commands,
      ...viewer.commands,
      ...leaks.commands,
      ...comparison.commands,
    }),
  );

  store.add(
    config.onDidChange(({ config: next, previous }) => {
      // The sampling interval, thresholds and diagnostics apply in place (history kept); a new log folder needs a new recording.
      for (const m of registry.live()) m.applyConfig(next);
      if (next.logDirectory !== previous.logDirectory) void restartMonitors(registry, tracker);
    }),
  );
  const updateContextKeys = () => {
    void vscode.commands.executeCommand('setContext', ContextKeys.monitoring, registry.live().length > 0);
    void vscode.commands.executeCommand('setContext', ContextKeys.hasRecording, registry.all().length > 0);
    void vscode.commands.executeCommand('setContext', ContextKeys.canStart, tracker.unmonitored().length > 0);
  };
  store.add(registry.onDidChange(updateContextKeys));
  store.add(tracker.onDidChange(updateContextKeys));
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
  // Everything is owned by the store in context.subscriptions.
}
