import * as vscode from 'vscode';
import { SNAPSHOT_VIEW_TYPE } from '../commands/commandIds';
import { webviewHtml, webviewOptions } from '../panel/webviewHtml';
import { isFromViewerMessage, ToViewerMessage } from '../../shared/protocol';

class SnapshotDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
}

/** Registers the custom editor for `*.heapsnapshot` files. */
export function registerSnapshotViewer(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable {
  const provider: vscode.CustomReadonlyEditorProvider<SnapshotDocument> = {
    openCustomDocument: (uri) => new SnapshotDocument(uri),
    resolveCustomEditor: (document, panel) => {
      panel.webview.options = webviewOptions(context.extensionUri);
      panel.webview.html = webviewHtml(panel.webview, context.extensionUri, 'snapshot', 'Heap Snapshot');
      const post = (m: ToViewerMessage) => void panel.webview.postMessage(m);
      panel.webview.onDidReceiveMessage((m: unknown) => {
        if (!isFromViewerMessage(m)) return;
        if (m.type === 'ready') post({ type: 'error', message: `The heap analysis engine is not available yet (${document.uri.fsPath})` });
      });
      log.info(`opened ${document.uri.fsPath}`);
    },
  };
  return vscode.window.registerCustomEditorProvider(SNAPSHOT_VIEW_TYPE, provider, { supportsMultipleEditorsPerDocument: true, webviewOptions: { retainContextWhenHidden: true } });
}
