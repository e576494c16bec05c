import * as vscode from 'vscode';
import { ViewTypes } from '../commands/commands';
import type { Feature, FeatureContext } from '../feature';
import { HeapAnalysisService } from './heapAnalysisService';
import { OpenEditors } from './openEditors';
import { SnapshotEditor, ViewerDocument } from './snapshotEditor';
import { openSnapshot, type SnapshotSource } from './snapshotSource';

/** A `.heapsnapshot` opened in the viewer: analysed once, shared by all editors of the file. */
class SnapshotDocument implements vscode.CustomDocument, ViewerDocument {
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
    // Not unhandled: each editor shows the failure when its webview asks for the snapshot.
    this.source.catch(() => undefined);
  }

  dispose(): void {
    this.abort.abort();
    this.progressEmitter.dispose();
    void this.source.then(
      (s) => s.dispose(),
      // It never opened, so there is nothing to free (the editor showed why).
      () => undefined,
    );
  }
}

/** The snapshots open in viewers, for features that summarise them (the language-model tools). */
export interface OpenSnapshots {
  /** The snapshot of the focused viewer, else of the viewer opened last; undefined when none is open. */
  current(): ViewerDocument | undefined;
  /** Opens a snapshot file in the shared analysis worker; the caller disposes it. */
  open(file: string): Promise<SnapshotSource>;
}

/** The custom editor for `*.heapsnapshot` files (analysis in the heap worker) and its internal compare command. */
export function registerSnapshotViewer(
  ctx: FeatureContext,
): Feature<'compareSnapshotWith' | 'showSnapshotGrowth'> & { snapshots: OpenSnapshots } {
  const analysis = ctx.store.add(new HeapAnalysisService(ctx.extensionUri, ctx.log));
  const editors = new OpenEditors<SnapshotEditor>();
  /** Open viewers, oldest first. */
  const viewers: { document: ViewerDocument; panel: vscode.WebviewPanel }[] = [];
  const openBaseline = (file: string, onProgress: (phase: string, fraction: number) => void) =>
    openSnapshot(analysis.client, file, onProgress);
  const provider: vscode.CustomReadonlyEditorProvider<SnapshotDocument> = {
    openCustomDocument: (uri) => new SnapshotDocument(uri, analysis),
    resolveCustomEditor: (document, panel) => {
      const editor = ctx.store.add(new SnapshotEditor(document, panel, ctx.extensionUri, openBaseline));
      const forget = editors.add(document.uri.toString(), editor);
      const viewer = { document, panel };
      viewers.push(viewer);
      editor.onDidDispose(() => {
        forget.dispose();
        if (viewers.includes(viewer)) viewers.splice(viewers.indexOf(viewer), 1);
        ctx.store.delete(editor);
      });
      ctx.log.info(`opened heap snapshot ${document.uri.fsPath}`);
    },
  };
  ctx.store.add(
    vscode.window.registerCustomEditorProvider(ViewTypes.heapSnapshot, provider, {
      supportsMultipleEditorsPerDocument: true,
      webviewOptions: { retainContextWhenHidden: true },
    }),
  );
  return {
    snapshots: {
      current: () => viewers.find((v) => v.panel.active)?.document ?? viewers[viewers.length - 1]?.document,
      open: (file) => openSnapshot(analysis.client, file, () => undefined),
    },
    commands: {
      compareSnapshotWith: async (target: unknown, baseline: unknown) => {
        if (!(target instanceof vscode.Uri) || !(baseline instanceof vscode.Uri)) return;
        for (const editor of editors.of(target.toString())) await editor.showComparison(baseline);
      },
      showSnapshotGrowth: async (target: unknown, earlier: unknown) => {
        if (!(target instanceof vscode.Uri) || !Array.isArray(earlier)) return;
        const uris = earlier.filter((u): u is vscode.Uri => u instanceof vscode.Uri);
        for (const editor of editors.of(target.toString())) await editor.showGrowth(uris);
      },
    },
  };
}
