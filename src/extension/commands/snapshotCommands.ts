import { freemem } from 'node:os';
import * as vscode from 'vscode';
import { formatBytes } from '../../core/format';
import { captureHeapSnapshot, HeapSnapshotCaptureError } from '../../core/heap/capture/capture';
import type { Feature, FeatureContext } from '../feature';
import { ensureSnapshotDir, pruneSnapshots, restrictToOwner, snapshotPath } from '../snapshots/snapshotStore';
import { InternalCommands, runCommand, ViewTypes } from './commands';
import { pickMonitor } from './monitorCommands';

/** Heaps above this get a confirmation first: the snapshot costs about as much memory and disk as the heap. */
const LARGE_HEAP = 1e9;

/** Take Heap Snapshot, Open Heap Snapshot… and Compare Heap Snapshots…. */
export function registerSnapshotCommands(
  ctx: FeatureContext,
): Feature<'takeHeapSnapshot' | 'openHeapSnapshot' | 'compareHeapSnapshots'> {
  const openInViewer = (file: vscode.Uri) =>
    vscode.commands.executeCommand('vscode.openWith', file, ViewTypes.heapSnapshot);
  return {
    commands: {
      takeHeapSnapshot: async (id?: unknown) => {
        const monitor = await pickMonitor(ctx.registry, id, { placeHolder: 'Session to take a heap snapshot of' });
        if (!monitor) return;
        const heapUsed = monitor.lastSample?.heapUsed ?? 0;
        if (heapUsed > LARGE_HEAP || heapUsed * 2 > freemem()) {
          const go = await vscode.window.showWarningMessage(
            `The heap of "${monitor.target.name}" holds ${formatBytes(heapUsed)}. A snapshot needs about as much disk space, and the debuggee may need as much extra memory while it is written (${formatBytes(freemem())} free). Continue?`,
            { modal: true },
            'Take Snapshot',
          );
          if (go !== 'Take Snapshot') return;
        }
        const dir = ctx.folders.snapshots();
        const t = Date.now();
        const file = snapshotPath(dir, monitor.target.name, t);
        try {
          await ensureSnapshotDir(dir);
          const result = await vscode.window.withProgress(
            {
              location: vscode.ProgressLocation.Notification,
              title: `Heap snapshot of "${monitor.target.name}"`,
              cancellable: true,
            },
            (progress, token) => {
              const abort = new AbortController();
              token.onCancellationRequested(() => abort.abort());
              let last = 0;
              return captureHeapSnapshot(monitor.connection, file, {
                signal: abort.signal,
                // The monitor already subscribed to HeapProfiler events through js-debug's proxy; a second subscription duplicates chunks.
                proxy: monitor.target.session ? false : 'auto',
                onProgress: (done, total) => {
                  const pct = total > 0 ? Math.floor((done / total) * 100) : 0;
                  if (pct > last) progress.report({ increment: pct - last, message: `${pct} %` });
                  last = Math.max(last, pct);
                },
              });
            },
          );
          await restrictToOwner(result.file);
          monitor.addMarker({ t, kind: 'snapshot', label: `Snapshot ${formatBytes(result.bytes)}` });
          await pruneSnapshots(dir, ctx.config.current.snapshotRetentionCount, [result.file]);
          await openInViewer(vscode.Uri.file(result.file));
        } catch (err) {
          if (err instanceof HeapSnapshotCaptureError && err.code === 'cancelled') return;
          void vscode.window.showErrorMessage(`Heap snapshot failed: ${(err as Error).message}`);
        }
      },
      openHeapSnapshot: async (uri?: unknown) => {
        const target =
          uri instanceof vscode.Uri
            ? uri
            : (
                await vscode.window.showOpenDialog({
                  canSelectMany: false,
                  filters: { 'Heap snapshots': ['heapsnapshot'] },
                  defaultUri: vscode.Uri.file(ctx.folders.snapshots()),
                  title: 'Open Heap Snapshot',
                })
              )?.[0];
        if (target) await openInViewer(target);
      },
      compareHeapSnapshots: async (a?: unknown, b?: unknown) => {
        let files = a instanceof vscode.Uri && b instanceof vscode.Uri ? [a, b] : undefined;
        if (!files) {
          const picked = await vscode.window.showOpenDialog({
            canSelectMany: true,
            filters: { 'Heap snapshots': ['heapsnapshot'] },
            defaultUri: vscode.Uri.file(ctx.folders.snapshots()),
            title: 'Compare Heap Snapshots: choose the baseline and the later snapshot',
          });
          if (!picked) return;
          if (picked.length !== 2) {
            void vscode.window.showErrorMessage('Choose exactly two heap snapshots: a baseline and a later one.');
            return;
          }
          files = [...picked].sort((x, y) => x.fsPath.localeCompare(y.fsPath));
        }
        await openInViewer(files[1]);
        await runCommand(InternalCommands.compareSnapshotWith, files[1], files[0]);
      },
    },
  };
}
