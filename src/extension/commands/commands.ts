// The one registry of the extension's command ids, the arguments our own code passes them, and the typed helpers to
// register and run them. Titles and menus live in package.json; test/extension/commands.test.ts holds the two in sync.
import * as vscode from 'vscode';
import type { Disposable } from '../../core/disposableStore';

/** Commands contributed in package.json (category "Memory"). */
export const Commands = {
  startMonitoring: 'memoryMonitor.startMonitoring',
  stopMonitoring: 'memoryMonitor.stopMonitoring',
  showMonitor: 'memoryMonitor.showMonitor',
  runDiagnosticGc: 'memoryMonitor.runDiagnosticGc',
  takeHeapSnapshot: 'memoryMonitor.takeHeapSnapshot',
  openHeapSnapshot: 'memoryMonitor.openHeapSnapshot',
  compareHeapSnapshots: 'memoryMonitor.compareHeapSnapshots',
  exportRecording: 'memoryMonitor.exportRecording',
  compareRecordings: 'memoryMonitor.compareRecordings',
  showLeakReport: 'memoryMonitor.showLeakReport',
  huntLeak: 'memoryMonitor.huntLeak',
  findLeakRetainers: 'memoryMonitor.findLeakRetainers',
} as const;

/** Commands the extension registers for its own use only (not in the command palette). */
export const InternalCommands = {
  /** Shows, in every open viewer of a snapshot, its comparison with a baseline snapshot. */
  compareSnapshotWith: 'memoryMonitor.internal.compareWith',
  /** Shows, in every open viewer of a snapshot, the objects that grew in every step from earlier snapshots. */
  showSnapshotGrowth: 'memoryMonitor.internal.growth',
} as const;

const ALL_COMMANDS = { ...Commands, ...InternalCommands };

/** A command's short name, as in `Commands.showMonitor`. */
export type CommandName = keyof typeof ALL_COMMANDS;
/** A command's id, as in `memoryMonitor.showMonitor`. */
export type CommandId = (typeof ALL_COMMANDS)[CommandName];

/**
 * The arguments our own code passes each command. The palette passes none, menus pass their context object and
 * Markdown links pass JSON, so handlers still check what they get (they take `unknown`).
 */
export interface CommandArgs {
  [Commands.startMonitoring]: [];
  [Commands.stopMonitoring]: [sessionId?: string];
  [Commands.showMonitor]: [sessionId?: string];
  [Commands.runDiagnosticGc]: [sessionId?: string | null, testCycle?: boolean, detailed?: boolean];
  [Commands.takeHeapSnapshot]: [sessionId?: string | null];
  [Commands.openHeapSnapshot]: [file?: vscode.Uri];
  /** Two snapshots: a comparison; three or more (oldest first): the growth across them too. */
  [Commands.compareHeapSnapshots]: [baseline?: vscode.Uri, later?: vscode.Uri, ...more: vscode.Uri[]];
  [Commands.exportRecording]: [sessionId?: string | null, format?: 'csv' | 'json'];
  [Commands.compareRecordings]: [baseline?: vscode.Uri, candidate?: vscode.Uri];
  [Commands.showLeakReport]: [sessionId?: string, suspectKey?: string];
  [Commands.huntLeak]: [sessionId?: string | null];
  /** `confirmed`: the caller already stated the pause (the report's button), so no confirmation is asked. */
  [Commands.findLeakRetainers]: [sessionId?: string | null, confirmed?: boolean];
  [InternalCommands.compareSnapshotWith]: [snapshot: vscode.Uri, baseline: vscode.Uri];
  [InternalCommands.showSnapshotGrowth]: [snapshot: vscode.Uri, earlier: vscode.Uri[]];
}

/** A handler for every command, by name: activation does not compile while one is missing. */
export type CommandHandlers = { readonly [K in CommandName]: (...args: unknown[]) => unknown };

/** The handlers one feature contributes. */
export type CommandsOf<K extends CommandName> = Pick<CommandHandlers, K>;

/** Registers every command's handler; disposing the result unregisters them all. */
export function registerCommands(handlers: CommandHandlers): Disposable {
  const names = Object.keys(ALL_COMMANDS) as CommandName[];
  return vscode.Disposable.from(
    ...names.map((name) => vscode.commands.registerCommand(ALL_COMMANDS[name], handlers[name])),
  );
}

/** Runs one of our commands with the arguments it expects. */
export function runCommand<K extends CommandId>(id: K, ...args: CommandArgs[K]): Thenable<unknown> {
  return vscode.commands.executeCommand(id, ...args);
}

/** Context keys set by the extension for `when` clauses in package.json. */
export const ContextKeys = {
  monitoring: 'memoryMonitor.monitoring',
  canStart: 'memoryMonitor.canStart',
  hasRecording: 'memoryMonitor.hasRecording',
} as const;

/** View types of the webview panels and the custom editor (package.json and the webview serializers). */
export const ViewTypes = {
  monitor: 'memoryMonitor.monitor',
  leakReport: 'memoryMonitor.leakReport',
  compareRecordings: 'memoryMonitor.compareRecordings',
  heapSnapshot: 'memoryMonitor.heapSnapshot',
} as const;

/** A command's optional session id argument, when it is one (menus pass other objects). */
export function sessionIdArg(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
