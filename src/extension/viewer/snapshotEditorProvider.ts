import * as vscode from 'vscode';
import { SNAPSHOT_VIEW_TYPE } from '../commands/commandIds';
import { webviewHtml, webviewOptions } from '../panel/webviewHtml';
import { FromViewerMessage, isFromViewerMessage, ToViewerMessage } from '../../shared/protocol';
import { HeapAnalysisService } from './heapAnalysisService';
import { openSnapshot, SnapshotSource } from './snapshotSource';

/** A `.heapsnapshot` opened in the viewer: analysed once, shared by all editors of the file. */
class SnapshotDocument implements vscode.CustomDocument {
  private readonly abort = new AbortController();
  private readonly progressEmitter = new vscode.EventEmitter<{ phase: string; fraction: number }>();
  readonly onProgress = this.progressEmitter.event;
  readonly source: Promise<SnapshotSource>;

  constructor(
    readonly uri: vscode.Uri,
    analysis: HeapAnalysisService,
  ) {
    this.source = openSnapshot(
      analysis.client,
      uri.fsPath,
      (phase, fraction) => this.progressEmitter.fire({ phase, fraction }),
      this.abort.signal,
    );
    this.source.catch(() => undefined);
  }

  dispose(): void {
    this.abort.abort();
    this.progressEmitter.dispose();
    void this.source.then(
      (s) => s.dispose(),
      () => undefined,
    );
  }
}

/** Registers the custom editor for `*.heapsnapshot` files and its internal compare command. */
export function registerSnapshotViewer(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
): vscode.Disposable {
  const analysis = new HeapAnalysisService(context.extensionUri, log);
  const editors = new Map<string, Set<(baseline: vscode.Uri) => Promise<void>>>();
  const provider: vscode.CustomReadonlyEditorProvider<SnapshotDocument> = {
    openCustomDocument: (uri) => new SnapshotDocument(uri, analysis),
    resolveCustomEditor: async (document, panel) => {
      panel.webview.options = webviewOptions(context.extensionUri);
      panel.webview.html = webviewHtml(panel.webview, context.extensionUri, 'snapshot', 'Heap Snapshot');
      const post = (m: ToViewerMessage) => void panel.webview.postMessage(m);
      const disposables: vscode.Disposable[] = [];
      const compare = async (baselineUri: vscode.Uri, requestId = 0) => {
        try {
          post({ type: 'progress', phase: `loading ${baselineUri.fsPath.split(/[\\/]/).pop()}`, fraction: 0 });
          const [current, baseline] = await Promise.all([
            document.source,
            openSnapshot(analysis.client, baselineUri.fsPath, (phase, fraction) =>
              post({ type: 'progress', phase: `baseline: ${phase}`, fraction }),
            ),
          ]);
          try {
            post({
              type: 'diff',
              requestId,
              diff: await current.compareWith(baseline, (phase, fraction) =>
                post({ type: 'progress', phase: `compare: ${phase}`, fraction }),
              ),
            });
          } finally {
            baseline.dispose();
          }
        } catch (err) {
          post({ type: 'error', message: `Cannot compare with ${baselineUri.fsPath}: ${(err as Error).message}` });
        }
      };
      const key = document.uri.toString();
      if (!editors.has(key)) editors.set(key, new Set());
      editors.get(key)!.add(compare);
      disposables.push(
        document.onProgress((p) => post({ type: 'progress', ...p })),
        panel.webview.onDidReceiveMessage(async (m: unknown) => {
          if (!isFromViewerMessage(m)) return;
          if (m.type === 'ready') {
            document.source.then(
              (s) => post({ type: 'loaded', info: s.info }),
              (err: Error) => post({ type: 'error', message: `Cannot open ${document.uri.fsPath}: ${err.message}` }),
            );
            return;
          }
          if (m.type === 'compare') {
            const picked = await vscode.window.showOpenDialog({
              canSelectMany: false,
              filters: { 'Heap snapshots': ['heapsnapshot'] },
              defaultUri: vscode.Uri.joinPath(document.uri, '..'),
              title: 'Compare with an earlier (baseline) heap snapshot',
            });
            if (picked?.[0]) await compare(picked[0], m.requestId);
            else post({ type: 'diff', requestId: m.requestId, diff: null });
            return;
          }
          try {
            await answer(await document.source, m, post);
          } catch (err) {
            post({ type: 'failed', requestId: m.requestId, message: (err as Error).message });
          }
        }),
        panel.onDidDispose(() => {
          editors.get(key)?.delete(compare);
          disposables.forEach((d) => d.dispose());
        }),
      );
      log.info(`opened heap snapshot ${document.uri.fsPath}`);
    },
  };
  return vscode.Disposable.from(
    analysis,
    vscode.window.registerCustomEditorProvider(SNAPSHOT_VIEW_TYPE, provider, {
      supportsMultipleEditorsPerDocument: true,
      webviewOptions: { retainContextWhenHidden: true },
    }),
    vscode.commands.registerCommand(
      'memoryMonitor.internal.compareWith',
      async (target: vscode.Uri, baseline: vscode.Uri) => {
        for (const compare of editors.get(target.toString()) ?? []) await compare(baseline);
      },
    ),
  );
}

/** Answers one query of the viewer from the snapshot analysed in the worker. */
async function answer(
  s: SnapshotSource,
  m: Exclude<FromViewerMessage, { type: 'ready' } | { type: 'compare' }>,
  post: (m: ToViewerMessage) => void,
): Promise<void> {
  switch (m.type) {
    case 'getClasses':
      return post({
        type: 'classes',
        requestId: m.requestId,
        page: await s.classes(m.filter, m.sort, m.descending, m.offset, m.limit),
      });
    case 'getInstances':
      return post({
        type: 'instances',
        requestId: m.requestId,
        page: await s.instances(m.classKey, m.offset, m.limit),
      });
    case 'getChildren':
      return post({ type: 'edges', requestId: m.requestId, page: await s.children(m.nodeId, m.offset, m.limit) });
    case 'getRetainers':
      return post({ type: 'edges', requestId: m.requestId, page: await s.retainers(m.nodeId, m.offset, m.limit) });
    case 'getDominated':
      return post({ type: 'dominated', requestId: m.requestId, page: await s.dominated(m.nodeId, m.offset, m.limit) });
    case 'getRetainerPath':
      return post({ type: 'retainerPath', requestId: m.requestId, path: await s.retainerPath(m.nodeId) });
  }
}
