import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import { formatBytes } from '../../core/format';
import { isFromCompareMessage, ToCompareMessage } from '../../shared/protocol';
import { webviewHtml, webviewOptions } from '../panel/webviewHtml';
import { comparisonMessage } from './comparisonView';
import { loadAnyRecording } from './exportedRecording';

export const COMPARE_RECORDINGS_COMMAND = 'memoryMonitor.compareRecordings';
const COMPARE_VIEW_TYPE = 'memoryMonitor.compareRecordings';

interface RecordingItem extends vscode.QuickPickItem {
  file?: string;
}

/** Registers `Memory: Compare Recordings…`: pick a baseline and a later recording, see them overlaid with a summary. */
export function registerCompareRecordings(
  extensionUri: vscode.Uri,
  getLogDirectory: () => string | null,
  log: vscode.LogOutputChannel,
): vscode.Disposable {
  return vscode.commands.registerCommand(COMPARE_RECORDINGS_COMMAND, async (a?: unknown, b?: unknown) => {
    let files = a instanceof vscode.Uri && b instanceof vscode.Uri ? [a.fsPath, b.fsPath] : undefined;
    if (!files) {
      const candidates = await findRecordings(getLogDirectory());
      const first = await pickRecording(candidates, 'Compare Recordings (1/2): the baseline recording (A)');
      if (!first) return;
      const second = await pickRecording(
        candidates.filter((c) => c.file !== first),
        'Compare Recordings (2/2): the recording to compare with the baseline (B)',
      );
      if (!second) return;
      files = [first, second];
    }
    const [fa, fb] = files as [string, string];
    try {
      const message = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Loading recordings…' },
        async () => {
          const [ra, rb] = await Promise.all([loadAnyRecording(fa), loadAnyRecording(fb)]);
          return comparisonMessage(ra, rb, [path.basename(fa), path.basename(fb)]);
        },
      );
      showPanel(extensionUri, message);
      log.info(
        `compared recordings ${fa} (A) and ${fb} (B): ${message.worse ? 'B is worse' : 'B is not worse'} (tolerance ${Math.round(message.tolerance * 100)} %)`,
      );
    } catch (err) {
      void vscode.window.showErrorMessage(`Cannot compare recordings: ${(err as Error).message.split('\n')[0]}`);
    }
  });
}

/** Recordings in the log folder and the workspace (JSONL, and Export Recording's JSON/CSV), newest first. */
async function findRecordings(
  logDirectory: string | null,
): Promise<{ file: string; mtime: number; size: number; where: string }[]> {
  const found = new Map<string, { file: string; mtime: number; size: number; where: string }>();
  const add = async (file: string, where: string) => {
    if (found.has(file)) return;
    const s = await stat(file).catch(() => null);
    if (s?.isFile()) found.set(file, { file, mtime: s.mtimeMs, size: s.size, where });
  };
  if (logDirectory) {
    const names = await readdir(logDirectory).catch(() => [] as string[]);
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
    label: '$(folder-opened) Browse…',
    detail: 'Choose a .jsonl recording, a log folder file, or an exported .json/.csv',
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
      ? 'Recordings, newest first'
      : 'No recordings found in the log folder or the workspace: browse for one',
    matchOnDescription: true,
  });
  if (!pick) return undefined;
  if (pick.file) return pick.file;
  const chosen = await vscode.window.showOpenDialog({
    canSelectMany: false,
    title,
    filters: { Recordings: ['jsonl', 'json', 'csv'] },
  });
  return chosen?.[0]?.fsPath;
}

/** Opens a comparison panel (one per comparison) and sends it the data once it is ready. */
function showPanel(extensionUri: vscode.Uri, message: ToCompareMessage & { type: 'comparison' }): void {
  const panel = vscode.window.createWebviewPanel(
    COMPARE_VIEW_TYPE,
    `Compare: ${message.a.label} ↔ ${message.b.label}`,
    vscode.ViewColumn.Active,
    webviewOptions(extensionUri),
  );
  panel.webview.html = webviewHtml(panel.webview, extensionUri, 'compare', 'Compare Recordings');
  const sub = panel.webview.onDidReceiveMessage((m: unknown) => {
    if (isFromCompareMessage(m) && m.type === 'ready') void panel.webview.postMessage(message);
  });
  panel.onDidDispose(() => sub.dispose());
}
