import * as vscode from 'vscode';
import { formatBytes } from '../../core/format';
import { HeapAnalysisClient } from '../../core/heap/worker/heapAnalysisClient';
import { HuntComparison, huntLeak } from '../../core/leak/huntLeak';
import type { CommandsOf } from '../commands/commands';
import { sessionIdArg } from '../commands/commands';
import { pickMonitor } from '../commands/monitorCommands';
import type { FeatureContext } from '../feature';
import type { LeakController } from './leakController';
import type { LeakReportPanelHost } from './leakReportPanel';
import { toHuntView } from './leakSuspects';
import { pauseText } from '../../shared/retainerText';

/** Memory: Show Leak Report, Memory: Hunt Leak and Memory: Find What Keeps the Leak. */
export function registerLeakCommands(
  ctx: FeatureContext,
  controller: LeakController,
  panel: LeakReportPanelHost,
): CommandsOf<'showLeakReport' | 'huntLeak' | 'findLeakRetainers'> {
  let hunting = false;
  let probing = false;
  return {
    findLeakRetainers: async (id?: unknown, confirmed?: unknown) => {
      if (probing) {
        void vscode.window.showInformationMessage(
          vscode.l10n.t('Memory Monitor is already looking for what keeps the leak.'),
        );
        return;
      }
      const monitor = await pickMonitor(ctx.registry, id, {
        placeHolder: vscode.l10n.t('Session to find the leak retainers in'),
      });
      if (!monitor) return;
      const report = controller.report(monitor.id);
      if (monitor.ended || !report?.retainerProbe) {
        void vscode.window.showWarningMessage(
          vscode.l10n.t(
            'Finding what keeps a leak needs a running debuggee with leak detection on ("{0}" has none).',
            monitor.target.name,
          ),
        );
        return;
      }
      const pause = pauseText(report.retainerProbe);
      if (confirmed !== true) {
        const go = vscode.l10n.t('Take Snapshots');
        const answer = await vscode.window.showWarningMessage(
          pause
            ? vscode.l10n.t(
                'Take two heap snapshots of "{0}" to find what keeps the leaked objects? Each pauses the program while V8 writes it ({1} in all, estimated from the heap size).',
                monitor.target.name,
                pause,
              )
            : vscode.l10n.t(
                'Take two heap snapshots of "{0}" to find what keeps the leaked objects? Each pauses the program while V8 writes it.',
                monitor.target.name,
              ),
          { modal: true },
          go,
        );
        if (answer !== go) return;
      }
      probing = true;
      panel.busy('retainers', true);
      try {
        const retainers = await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: pause
              ? vscode.l10n.t(
                  'Finding what keeps the leak in "{0}" (two heap snapshots, pauses {1})…',
                  monitor.target.name,
                  pause,
                )
              : vscode.l10n.t('Finding what keeps the leak in "{0}" (two heap snapshots)…', monitor.target.name),
          },
          () => controller.findRetainers(monitor.id),
        );
        const top = retainers[0];
        ctx.log.info(
          `retainers in "${monitor.target.name}": ${retainers.length ? retainers.map((r) => r.path).join('; ') : 'none'}`,
        );
        void vscode.window.showInformationMessage(
          top
            ? vscode.l10n.t(
                'Leaked objects are kept by {0}{1}.',
                top.path,
                top.file && top.line ? ` (${top.file.split(/[\\/]/).pop()}:${top.line})` : '',
              )
            : vscode.l10n.t(
                'No holder grew between the two snapshots; try again while the program is busy, or run Hunt Leak.',
              ),
        );
      } catch (err) {
        void vscode.window.showErrorMessage(
          vscode.l10n.t('Finding what keeps the leak failed: {0}', (err as Error).message),
        );
      } finally {
        probing = false;
        panel.busy('retainers', false);
      }
    },
    showLeakReport: (id?: unknown) => {
      panel.show(sessionIdArg(id));
    },
    huntLeak: async (id?: unknown) => {
      if (hunting) {
        void vscode.window.showInformationMessage(vscode.l10n.t('A leak hunt is already running.'));
        return;
      }
      const monitor = await pickMonitor(ctx.registry, id, { placeHolder: vscode.l10n.t('Session to hunt a leak in') });
      if (!monitor) return;
      if (monitor.ended) {
        void vscode.window.showWarningMessage(
          vscode.l10n.t('"{0}" has ended; Hunt Leak needs a running debuggee.', monitor.target.name),
        );
        return;
      }
      hunting = true;
      panel.busy('hunt', true);
      const t = Date.now();
      try {
        const result = await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: vscode.l10n.t('Hunt Leak in "{0}"', monitor.target.name),
            cancellable: true,
          },
          (progress, token) => {
            const abort = new AbortController();
            token.onCancellationRequested(() => abort.abort());
            const steps = ['baseline', 'letting', 'target', 'final', 'comparing'];
            let done = 0;
            return huntLeak(monitor.connection, {
              signal: abort.signal,
              proxy: monitor.target.session ? false : 'auto',
              compare: (files, signal) => compareInWorker(ctx.extensionUri, files, signal),
              onPhase: (message) => {
                const step = steps.findIndex((s) => message.includes(s));
                const increment = step >= done ? (step + 1 - done) * 20 - 10 : 0;
                done = Math.max(done, step + 1);
                progress.report({ message: message.replace(/…$/, '…'), increment });
              },
            });
          },
        );
        controller.setHunt(monitor.id, toHuntView(result, t));
        monitor.addMarker({
          t: Date.now(),
          kind: 'snapshot',
          label: `Hunt Leak: ${result.leakedCount} leaked objects`,
        });
        ctx.log.info(
          `hunt in "${monitor.target.name}": ${result.leakedCount} leaked objects retaining ${result.leakedRetainedSize} bytes`,
        );
        panel.show(monitor.id);
        const top = result.groups[0];
        void vscode.window.showInformationMessage(
          result.leakedCount
            ? vscode.l10n.t(
                'Hunt Leak: {0} objects leaked ({1} retained){2}.',
                result.leakedCount,
                formatBytes(result.leakedRetainedSize),
                top ? `, ${vscode.l10n.t('most as {0} × {1}', top.count, top.name)}` : '',
              )
            : vscode.l10n.t('Hunt Leak: no objects allocated after the baseline stayed alive in both later snapshots.'),
        );
      } catch (err) {
        const message = (err as Error).message;
        if (/interrupted|cancel|abort/i.test(message))
          void vscode.window.showInformationMessage(vscode.l10n.t('Hunt Leak cancelled.'));
        else void vscode.window.showErrorMessage(vscode.l10n.t('Hunt Leak failed: {0}', message));
      } finally {
        hunting = false;
        panel.busy('hunt', false);
      }
    },
  };
}

/** Runs the three-snapshot comparison in a heap analysis worker, so the extension host stays responsive. */
async function compareInWorker(
  extensionUri: vscode.Uri,
  files: { baseline: string; target: string; final: string },
  signal?: AbortSignal,
): Promise<HuntComparison> {
  const client = new HeapAnalysisClient({
    workerPath: vscode.Uri.joinPath(extensionUri, 'dist', 'heapWorker.js').fsPath,
  });
  try {
    const b = await client.openSnapshot(files.baseline, { signal });
    const t = await client.openSnapshot(files.target, { signal });
    const f = await client.openSnapshot(files.final, { signal });
    const r = await client.call(
      'leaks',
      { baselineHandle: b.handle, targetHandle: t.handle, finalHandle: f.handle, offset: 0, limit: 50 },
      { signal },
    );
    // Objects allocated per class between baseline and target: the core's survival filter tells leaks from bounded caches.
    const d = await client.call(
      'diff',
      { beforeHandle: b.handle, afterHandle: t.handle, offset: 0, limit: 10_000 },
      { signal },
    );
    const addedByClass = Object.fromEntries(d.classes.items.map((c) => [c.key, c.addedCount]));
    return { byClass: r.byClass.items, groups: r.groups.items, addedByClass };
  } finally {
    await client.dispose();
  }
}
