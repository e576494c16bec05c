import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import * as vscode from 'vscode';
import type { Feature, FeatureContext } from '../feature';
import { toCsv, toJson, safeFileStem } from '../monitoring/recordingExport';
import type { MonitorRegistry } from '../monitoring/monitorRegistry';
import { SessionMonitor } from '../monitoring/sessionMonitor';
import { sessionIdArg } from './commands';
import { describeGc } from './gcMessage';

/** Picks the monitor a command acts on: the one given, the only live one, or one the user chooses. */
export async function pickMonitor(
  registry: MonitorRegistry,
  id: unknown,
  options: { includeEnded?: boolean; placeHolder: string },
): Promise<SessionMonitor | undefined> {
  if (typeof id === 'string' && registry.get(id)) return registry.get(id);
  const candidates = options.includeEnded ? registry.all() : registry.live();
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(
      options.includeEnded
        ? vscode.l10n.t('Memory Monitor has no recording yet. Start debugging a Node.js program first.')
        : vscode.l10n.t(
            'No debug session is being monitored. Start debugging a Node.js program (F5) or run "Memory: Start Monitoring".',
          ),
    );
    return undefined;
  }
  if (candidates.length === 1) return candidates[0];
  const active = registry.active;
  const pick = await vscode.window.showQuickPick(
    candidates.map((m) => ({
      label: m.target.name,
      description: `${m.pid ? vscode.l10n.t('pid {0}', m.pid) : ''}${m.ended ? ` · ${vscode.l10n.t('ended')}` : ''}`,
      picked: m === active,
      monitor: m,
    })),
    { placeHolder: options.placeHolder },
  );
  return pick?.monitor;
}

/** Start/Stop Monitoring, Show Monitor, Run Diagnostic GC and Export Recording. */
export function registerMonitorCommands(
  ctx: FeatureContext,
): Feature<'startMonitoring' | 'stopMonitoring' | 'showMonitor' | 'runDiagnosticGc' | 'exportRecording'> {
  const { registry, tracker } = ctx;
  return {
    commands: {
      startMonitoring: async () => {
        const sessions = tracker.unmonitored();
        if (sessions.length > 0) {
          const chosen =
            sessions.length === 1
              ? sessions
              : (
                  await vscode.window.showQuickPick(
                    sessions.map((s) => ({ label: s.name, description: s.type, session: s })),
                    { canPickMany: true, placeHolder: vscode.l10n.t('Debug sessions to monitor') },
                  )
                )?.map((p) => p.session);
          for (const s of chosen ?? []) await tracker.start(s, true);
          return;
        }
        // No debug session: offer to attach to a Node.js inspector directly.
        const address = await vscode.window.showInputBox({
          title: vscode.l10n.t('Memory: Start Monitoring'),
          prompt: vscode.l10n.t(
            'No JavaScript debug session to monitor. Enter the inspector address of a running Node.js process (started with --inspect)',
          ),
          placeHolder: '9229, 127.0.0.1:9229 or ws://127.0.0.1:9229/…',
          ignoreFocusOut: true,
        });
        if (!address) return;
        await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Connecting to {0}…', address) },
          async () => {
            try {
              const monitor = await SessionMonitor.start(
                { id: `inspector:${address}:${Date.now()}`, name: `inspector ${address}`, local: true },
                address.trim(),
                ctx.config.current,
                ctx.folders.recordings(),
                ctx.log,
              );
              registry.add(monitor, true);
            } catch (err) {
              void vscode.window.showErrorMessage(vscode.l10n.t('Memory Monitor: {0}', (err as Error).message));
            }
          },
        );
      },
      stopMonitoring: async (id?: unknown) => {
        const monitor = await pickMonitor(registry, id, { placeHolder: vscode.l10n.t('Session to stop monitoring') });
        if (monitor) await monitor.stop();
      },
      showMonitor: (id?: unknown) => {
        ctx.monitorPanel.show(sessionIdArg(id));
      },
      runDiagnosticGc: async (id?: unknown, testCycleArg?: unknown, detailedArg?: unknown) => {
        const monitor = await pickMonitor(registry, id, {
          placeHolder: vscode.l10n.t('Session to collect garbage in'),
        });
        if (!monitor) return;
        let testCycle = typeof testCycleArg === 'boolean' ? testCycleArg : undefined;
        let detailed = detailedArg === true;
        if (testCycle === undefined) {
          const pick = await vscode.window.showQuickPick(
            [
              {
                label: vscode.l10n.t('Diagnostic GC'),
                detail: vscode.l10n.t('Force a full garbage collection and report what it freed'),
                testCycle: false,
                detailed: false,
              },
              {
                label: vscode.l10n.t('Diagnostic GC with test cycle'),
                detail: vscode.l10n.t(
                  'Also create an unreachable reference cycle and verify that the collector reclaims it',
                ),
                testCycle: true,
                detailed: false,
              },
              {
                label: vscode.l10n.t('Detailed (per heap space)'),
                detail: vscode.l10n.t(
                  'Also report each V8 heap space (new, old, code, large object, …) before and after, in the Monitor panel',
                ),
                testCycle: false,
                detailed: true,
              },
            ],
            { placeHolder: vscode.l10n.t('Run a diagnostic GC in "{0}"', monitor.target.name) },
          );
          if (!pick) return;
          testCycle = pick.testCycle;
          detailed = pick.detailed;
        }
        try {
          const result = await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Diagnostic GC…') },
            () => monitor.runDiagnosticGc(testCycle, detailed),
          );
          if (detailed) {
            ctx.monitorPanel.show(monitor.id).revealDiagnostics();
            const spaces = result.spaces
              ? ` ${vscode.l10n.t("Per-space figures for {0} heap spaces are in the Monitor panel's Diagnostics tab.", result.spaces.length)}`
              : ` ${vscode.l10n.t('This target cannot report heap spaces (not Node.js).')}`;
            void vscode.window.showInformationMessage(describeGc(monitor.target.name, result) + spaces);
          } else {
            void vscode.window.showInformationMessage(describeGc(monitor.target.name, result));
          }
        } catch (err) {
          void vscode.window.showErrorMessage(vscode.l10n.t('Diagnostic GC failed: {0}', (err as Error).message));
        }
      },
      exportRecording: async (id?: unknown, formatArg?: unknown) => {
        const monitor = await pickMonitor(registry, id, {
          includeEnded: true,
          placeHolder: vscode.l10n.t('Recording to export'),
        });
        if (!monitor) return;
        const format =
          formatArg === 'csv' || formatArg === 'json'
            ? formatArg
            : (
                await vscode.window.showQuickPick(
                  [
                    { label: 'CSV', format: 'csv' as const },
                    { label: 'JSON', format: 'json' as const },
                  ],
                  { placeHolder: vscode.l10n.t('Export format') },
                )
              )?.format;
        if (!format) return;
        const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
        const target = await vscode.window.showSaveDialog({
          defaultUri: vscode.Uri.joinPath(base, `memory-${safeFileStem(monitor.target.name, Date.now())}.${format}`),
          filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
          title: vscode.l10n.t('Export Memory Recording'),
        });
        if (!target) return;
        const data = {
          session: monitor.target.name,
          pid: monitor.pid,
          samples: monitor.history(),
          gcs: monitor.gcHistory,
          alerts: monitor.alerts,
        };
        await writeFile(target.fsPath, format === 'csv' ? toCsv(data) : toJson(data), { mode: 0o600 });
        void vscode.window.showInformationMessage(
          vscode.l10n.t('Exported {0} samples to {1}', data.samples.length, target.fsPath),
        );
      },
    },
  };
}
