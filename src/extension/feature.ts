import type * as vscode from 'vscode';
import type { DisposableStore } from '../core/disposableStore';
import type { CommandName, CommandsOf } from './commands/commands';
import type { ConfigService } from './config';
import type { MonitorRegistry } from './monitoring/monitorRegistry';
import type { MonitorPanelHost } from './panel/monitorPanelHost';
import type { DebugSessionTracker } from './sessions/debugSessionTracker';

/** The extension's shared services, handed to every feature's `register(ctx)`. */
export interface FeatureContext {
  readonly extensionUri: vscode.Uri;
  /** The Memory Monitor output channel. */
  readonly log: vscode.LogOutputChannel;
  readonly config: ConfigService;
  /** Every monitored session. */
  readonly registry: MonitorRegistry;
  /** The js-debug sessions that can be monitored. */
  readonly tracker: DebugSessionTracker;
  /** The one Monitor panel of the window. */
  readonly monitorPanel: MonitorPanelHost;
  /** Folders from the settings, resolved (defaults: the extension's private global storage). */
  readonly folders: { recordings(): string; snapshots(): string };
  /** Owns everything a feature creates; disposed when the extension deactivates. */
  readonly store: DisposableStore;
}

/** What a feature's `register(ctx)` returns: the handlers of the commands it contributes. */
export interface Feature<K extends CommandName = never> {
  readonly commands: CommandsOf<K>;
}
