import { freemem } from 'node:os';
import * as vscode from 'vscode';
import { formatBytes } from '../../core/format';
import { captureHeapSnapshot, HeapSnapshotCaptureError } from '../../core/heap/capture/capture';
import type { Feature, FeatureContext } from '../feature';
import { ensureSnapshotDir, pruneSnapshots, restrictToOwner, snapshotPath } from '../snapshots/snapshotStore';
import { InternalCommands, runCommand, ViewTypes } from './commands';
import { pickMonitor } from './monitorCommands';
import type { SessionMonitor } from '../monitoring/sessionMonitor';

/** Heaps above this get a confirmation first: the snapshot costs about as much memory and disk as the heap. */
const LARGE_HEAP = 1e9;

/**
 * Captures a heap snapshot of a monitored session into the snapshot folder (owner-only), marks it on the timeline and
 * prunes old snapshots. Shared by the Take Heap Snapshot command and the language-model tool.
 */
export async function captureSnapshotOf(
  ctx: FeatureContext,
  monitor: SessionMonitor,
  signal?: AbortSignal,
  onProgress?: (done: number, total: number) => void,
): Promise<{ file: string; bytes: number }> {
  const dir = ctx.folders.snapshots();
  const t = Date.now();
  await ensureSnapshotDir(dir);
  const result = await captureHeapSnapshot(monitor.connection, snapshotPath(dir, monitor.target.name, t), {
    signal,
    // The monitor already subscribed to HeapProfiler events through js-debug's proxy; a second subscription duplicates chunks.
    proxy: monitor.target.session ? false : 'auto',
    onProgress,
  });
  await restrictToOwner(result.file);
  monitor.addMarker({ t, kind: 'snapshot', label: `Snapshot ${formatBytes(result.bytes)}` });
  await pruneSnapshots(dir, ctx.config.current.snapshotRetentionCount, [result.file]);
  return result;
}

/** Take Heap Snapshot, Open Heap Snapshot… and Compare Heap Snapshots…. */
export function registerSnapshotCommands(
  ctx: FeatureContext,
): Feature<'takeHeapSnapshot' | 'openHeapSnapshot' | 'compareHeapSnapshots'> {
  const openInViewer = (file: vscode.Uri) =>
    vscode.commands.executeCommand('vscode.openWith', file, ViewTypes.heapSnapshot);
  return {
    commands: {
      takeHeapSnapshot: async (id?: unknown) => {
        const monitor = await pickMonitor(ctx.registry, id, {
          placeHolder: vscode.l10n.t('Session to take a heap snapshot of'),
        });
        if (!monitor) return;
        const heapUsed = monitor.lastSample?.heapUsed ?? 0;
        if (heapUsed > LARGE_HEAP || heapUsed * 2 > freemem()) {
          const take = vscode.l10n.t('Take Snapshot');
          const go = await vscode.window.showWarningMessage(
            vscode.l10n.t(
              'The heap of "{0}" holds {1}. A snapshot needs about as much disk space, and the debuggee may need as much extra memory while it is written ({2} free). Continue?',
              monitor.target.name,
              formatBytes(heapUsed),
              formatBytes(freemem()),
            ),
            { modal: true },
            take,
          );
          if (go !== take) return;
        }
        try {
          const result = await vscode.window.withProgress(
            {
              location: vscode.ProgressLocation.Notification,
              title: vscode.l10n.t('Heap snapshot of "{0}"', monitor.target.name),
              cancellable: true,
            },
            (progress, token) => {
              const abort = new AbortController();
              token.onCancellationRequested(() => abort.abort());
              let last = 0;
              return captureSnapshotOf(ctx, monitor, abort.signal, (done, total) => {
                const pct = total > 0 ? Math.floor((done / total) * 100) : 0;
                if (pct > last) progress.report({ increment: pct - last, message: `${pct} %` });
                last = Math.max(last, pct);
              });
            },
          );
          await openInViewer(vscode.Uri.file(result.file));
        } catch (err) {
          if (err instanceof HeapSnapshotCaptureError && err.code === 'cancelled') {
            // The program stays busy after a cancel (V8 cannot stop a snapshot): say so rather than let it look hung.
            if (err.debuggeeStillBusy)
              void vscode.window.showWarningMessage(
                vscode.l10n.t('Heap snapshot cancelled: {0}.', err.debuggeeStillBusy),
              );
            return;
          }
          void vscode.window.showErrorMessage(vscode.l10n.t('Heap snapshot failed: {0}', (err as Error).message));
        }
      },
      openHeapSnapshot: async (uri?: unknown) => {
        const target =
          uri instanceof vscode.Uri
            ? uri
            : (
                await vscode.window.showOpenDialog({
                  canSelectMany: false,
                  filters: { [vscode.l10n.t('Heap snapshots')]: ['heapsnapshot'] },
                  defaultUri: vscode.Uri.file(ctx.folders.snapshots()),
                  title: vscode.l10n.t('Open Heap Snapshot'),
                })
              )?.[0];
        if (target) await openInViewer(target);
      },
      compareHeapSnapshots: async (a?: unknown, b?: unknown, ...more: unknown[]) => {
        const given = [a, b, ...more].filter((u): u is vscode.Uri => u instanceof vscode.Uri);
        let files = given.length >= 2 ? given : undefined;
        if (!files) {
          const picked = await vscode.window.showOpenDialog({
            canSelectMany: true,
            filters: { [vscode.l10n.t('Heap snapshots')]: ['heapsnapshot'] },
            defaultUri: vscode.Uri.file(ctx.folders.snapshots()),
            title: vscode.l10n.t(
              'Compare Heap Snapshots: choose a baseline and a later snapshot, or 3 or more of one process for growth',
            ),
          });
          if (!picked) return;
          if (picked.length < 2) {
            void vscode.window.showErrorMessage(
              vscode.l10n.t('Choose two heap snapshots (a baseline and a later one) or more of one process.'),
            );
            return;
          }
          files = [...picked].sort((x, y) => x.fsPath.localeCompare(y.fsPath));
        }
        // The latest opens; two compare, three or more also show what grew in every step.
        const last = files[files.length - 1];
        await openInViewer(last);
        await runCommand(InternalCommands.compareSnapshotWith, last, files[files.length - 2]);
        if (files.length >= 3) await runCommand(InternalCommands.showSnapshotGrowth, last, files.slice(0, -1));
      },
    },
  };
}
