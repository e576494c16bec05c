import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import { formatBytes } from '../../core/format';
import { DisposableStore } from '../../core/disposableStore';
import { isFromCompareMessage, ToCompareMessage } from '../../shared/protocol';
import { ViewTypes } from '../commands/commands';
import type { Feature, FeatureContext } from '../feature';
import { webviewHtml, webviewOptions } from '../panel/webviewHtml';
import { comparisonMessage } from './comparisonView';
import { loadAnyRecording } from './exportedRecording';

interface RecordingItem extends vscode.QuickPickItem {
  file?: string;
}

/**
 * `Memory: Compare Recordings…`: pick a baseline and a later recording, see them overlaid with a summary. Each
 * comparison opens its own panel; open panels close with the extension.
 */
export function registerRecordingComparison(ctx: FeatureContext): Feature<'compareRecordings'> {
  const panels = ctx.store.add(new DisposableStore());
  return { commands: { compareRecordings: (a?: unknown, b?: unknown) => compareRecordings(ctx, panels, a, b) } };
}

/** Compares two recordings: the given files, or two the user picks. */
async function compareRecordings(ctx: FeatureContext, panels: DisposableStore, a: unknown, b: unknown): Promise<void> {
  let files = a instanceof vscode.Uri && b instanceof vscode.Uri ? [a.fsPath, b.fsPath] : undefined;
  if (!files) {
    const candidates = await findRecordings(ctx.folders.recordings(), ctx.log);
    const first = await pickRecording(
      candidates,
      vscode.l10n.t('Compare Recordings (1/2): the baseline recording (A)'),
    );
    if (!first) return;
    const second = await pickRecording(
      candidates.filter((c) => c.file !== first),
      vscode.l10n.t('Compare Recordings (2/2): the recording to compare with the baseline (B)'),
    );
    if (!second) return;
    files = [first, second];
  }
  const [fa, fb] = files as [string, string];
  try {
    const message = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Loading recordings…') },
      async () => {
        const [ra, rb] = await Promise.all([loadAnyRecording(fa), loadAnyRecording(fb)]);
        return comparisonMessage(ra, rb, [path.basename(fa), path.basename(fb)]);
      },
    );
    showPanel(ctx.extensionUri, panels, message);
    ctx.log.info(
      `compared recordings ${fa} (A) and ${fb} (B): ${message.worse ? 'B is worse' : 'B is not worse'} (tolerance ${Math.round(message.tolerance * 100)} %)`,
    );
  } catch (err) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('Cannot compare recordings: {0}', (err as Error).message.split('\n')[0]),
    );
  }
}

/** Recordings in the log folder and the workspace (JSONL, and Export Recording's JSON/CSV), newest first. */
async function findRecordings(
  logDirectory: string,
  log: vscode.LogOutputChannel,
): Promise<{ file: string; mtime: number; size: number; where: string }[]> {
  const found = new Map<string, { file: string; mtime: number; size: number; where: string }>();
  const add = async (file: string, where: string) => {
    if (found.has(file)) return;
    // Deleted or unreadable since it was listed: just not offered.
    const s = await stat(file).catch(() => null);
    if (s?.isFile()) found.set(file, { file, mtime: s.mtimeMs, size: s.size, where });
  };
  if (logDirectory) {
    const names = await readdir(logDirectory).catch((err: NodeJS.ErrnoException) => {
      // No recording yet means no folder yet; anything else is worth a line in the output.
      if (err.code !== 'ENOENT') log.warn(`cannot list recordings in ${logDirectory}: ${err.message}`);
      return [] as string[];
    });
    await Promise.all(
      names
        .filter((n) => /^memmon-(?!metrics-).*\.jsonl$/.test(n))
        .map((n) => add(path.join(logDirectory, n), 'log folder')),
    );
  }
  const inWorkspace = await vscode.workspace.findFiles(
    '**/*.{jsonl,json,csv}',
    '**/{node_modules,.git,.vscode}/**',
    500,
  );
  await Promise.all(
    inWorkspace
      .filter((u) => /\.jsonl$|memory-.*\.(json|csv)$/i.test(u.fsPath))
      .map((u) => add(u.fsPath, vscode.workspace.asRelativePath(path.dirname(u.fsPath)))),
  );
  return [...found.values()].sort((x, y) => y.mtime - x.mtime);
}

async function pickRecording(
  candidates: { file: string; mtime: number; size: number; where: string }[],
  title: string,
): Promise<string | undefined> {
  const browse: RecordingItem = {
    label: `$(folder-opened) ${vscode.l10n.t('Browse…')}`,
    detail: vscode.l10n.t('Choose a .jsonl recording, a log folder file, or an exported .json/.csv'),
  };
  const items: RecordingItem[] = [
    ...candidates.map((c) => ({
      label: path.basename(c.file),
      description: `${c.where} · ${formatBytes(c.size)} · ${new Date(c.mtime).toLocaleString()}`,
      file: c.file,
    })),
    browse,
  ];
  const pick = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: candidates.length
      ? vscode.l10n.t('Recordings, newest first')
      : vscode.l10n.t('No recordings found in the log folder or the workspace: browse for one'),
    matchOnDescription: true,
  });
  if (!pick) return undefined;
  if (pick.file) return pick.file;
  const chosen = await vscode.window.showOpenDialog({
    canSelectMany: false,
    title,
    filters: { [vscode.l10n.t('Recordings')]: ['jsonl', 'json', 'csv'] },
  });
  return chosen?.[0]?.fsPath;
}

/** Opens a comparison panel (one per comparison, owned by `panels`) and sends it the data once it is ready. */
function showPanel(
  extensionUri: vscode.Uri,
  panels: DisposableStore,
  message: ToCompareMessage & { type: 'comparison' },
): void {
  const panel = vscode.window.createWebviewPanel(
    ViewTypes.compareRecordings,
    vscode.l10n.t('Compare: {0} ↔ {1}', message.a.label, message.b.label),
    vscode.ViewColumn.Active,
    webviewOptions(extensionUri),
  );
  panel.webview.html = webviewHtml(panel.webview, extensionUri, 'compare', vscode.l10n.t('Compare Recordings'));
  const owned = panels.add(new DisposableStore());
  owned.add(panel);
  owned.add(
    panel.webview.onDidReceiveMessage((m: unknown) => {
      if (isFromCompareMessage(m) && m.type === 'ready') void panel.webview.postMessage(message);
    }),
  );
  owned.add(panel.onDidDispose(() => panels.delete(owned)));
}
