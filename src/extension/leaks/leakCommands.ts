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

/** Memory: Show Leak Report and Memory: Hunt Leak. */
export function registerLeakCommands(
  ctx: FeatureContext,
  controller: LeakController,
  panel: LeakReportPanelHost,
): CommandsOf<'showLeakReport' | 'huntLeak'> {
  let hunting = false;
  return {
    showLeakReport: (id?: unknown) => {
      panel.show(sessionIdArg(id));
    },
    huntLeak: async (id?: unknown) => {
      if (hunting) {
        void vscode.window.showInformationMessage('A leak hunt is already running.');
        return;
      }
      const monitor = await pickMonitor(ctx.registry, id, { placeHolder: 'Session to hunt a leak in' });
      if (!monitor) return;
      if (monitor.ended) {
        void vscode.window.showWarningMessage(
          `"${monitor.target.name}" has ended; Hunt Leak needs a running debuggee.`,
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
            title: `Hunt Leak in "${monitor.target.name}"`,
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
            ? `Hunt Leak: ${result.leakedCount} objects leaked (${formatBytes(result.leakedRetainedSize)} retained)${top ? `, most as ${top.count} × ${top.name}` : ''}.`
            : 'Hunt Leak: no objects allocated after the baseline stayed alive in both later snapshots.',
        );
      } catch (err) {
        const message = (err as Error).message;
        if (/interrupted|cancel|abort/i.test(message))
          void vscode.window.showInformationMessage('Hunt Leak cancelled.');
        else void vscode.window.showErrorMessage(`Hunt Leak failed: ${message}`);
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
