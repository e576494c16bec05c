import * as vscode from 'vscode';
import { DisposableStore } from '../../core/disposableStore';
import {
  DiffView,
  GrowthView,
  isFromViewerMessage,
  ToViewerMessage,
  ViewerMethod,
  ViewerRequest,
  ViewerResult,
} from '../../shared/protocol';
import { webviewHtml, webviewOptions } from '../panel/webviewHtml';
import type { SnapshotSource } from './snapshotSource';
import { isSummaryViewerMethod, type SummaryViewerMethod } from '../../shared/summaryViewProtocol';
import { SummaryViews } from './summaryViews';
import { answerTreeRequest } from './treeRequests';

/** The snapshot an editor shows: analysed once per file, shared by all editors of it. */
export interface ViewerDocument {
  readonly uri: vscode.Uri;
  readonly source: Promise<SnapshotSource>;
  readonly onProgress: vscode.Event<{ phase: string; fraction: number }>;
}

/** Opens another snapshot (a comparison's baseline) in the same analysis worker. */
export type OpenBaseline = (
  file: string,
  onProgress: (phase: string, fraction: number) => void,
) => Promise<SnapshotSource>;

/**
 * One open heap snapshot viewer: answers the webview's requests from the analysed snapshot (every request gets a
 * `reply` or a `failed` with its id) and shows comparisons with a baseline snapshot.
 */
export class SnapshotEditor implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly summaryViews: SummaryViews;

  constructor(
    private readonly document: ViewerDocument,
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly openBaseline: OpenBaseline,
  ) {
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'snapshot', 'Heap Snapshot');
    this.store.add(document.onProgress((p) => this.post({ type: 'progress', ...p })));
    this.summaryViews = this.store.add(
      new SummaryViews(document, openBaseline, (phase, fraction) => this.post({ type: 'progress', phase, fraction })),
    );
    this.store.add(
      panel.webview.onDidReceiveMessage((m: unknown) => {
        if (!isFromViewerMessage(m)) return;
        if (m.type === 'ready') this.sendInfo();
        else void this.answer(m);
      }),
    );
  }

  /** The panel closed. */
  get onDidDispose(): vscode.Event<void> {
    return this.panel.onDidDispose;
  }

  /** Shows the comparison with `baseline` (asked for by a command, not by the webview); failures show in the viewer. */
  async showComparison(baseline: vscode.Uri): Promise<void> {
    try {
      this.post({ type: 'diff', diff: await this.compare(baseline) });
    } catch (err) {
      this.post({ type: 'error', message: (err as Error).message });
    }
  }

  /** Shows the growth from `earlier` (2 or more snapshots) to this one (asked for by a command); failures show in the viewer. */
  async showGrowth(earlier: vscode.Uri[]): Promise<void> {
    try {
      this.post({ type: 'growth', growth: await this.growth(earlier) });
    } catch (err) {
      this.post({ type: 'error', message: (err as Error).message });
    }
  }

  private sendInfo(): void {
    this.document.source.then(
      (s) => this.post({ type: 'loaded', info: s.info }),
      (err: Error) => this.post({ type: 'error', message: `Cannot open ${this.document.uri.fsPath}: ${err.message}` }),
    );
  }

  /** Settles one request: its result, or the one-line reason it failed. */
  private async answer(request: ViewerRequest): Promise<void> {
    try {
      const result =
        request.method === 'compare'
          ? await this.pickAndCompare()
          : request.method === 'growth'
            ? await this.pickAndGrowth()
            : isSummaryViewerMethod(request.method)
              ? await this.summaryViews.answer(request as Extract<ViewerRequest, { method: SummaryViewerMethod }>)
              : await this.query(
                  request as Exclude<ViewerRequest, { method: 'compare' | 'growth' | SummaryViewerMethod }>,
                );
      this.post({ type: 'reply', requestId: request.requestId, result });
    } catch (err) {
      this.post({ type: 'failed', requestId: request.requestId, message: (err as Error).message });
    }
  }

  private async query(
    request: Exclude<ViewerRequest, { method: 'compare' | 'growth' | SummaryViewerMethod }>,
  ): Promise<ViewerResult<ViewerMethod>> {
    const s = await this.document.source;
    switch (request.method) {
      case 'classes': {
        const { filter, sort, descending, offset, limit } = request.params;
        return s.classes(filter, sort, descending, offset, limit);
      }
      case 'instances': {
        const { classKey, offset, limit } = request.params;
        return s.instances(classKey, offset, limit);
      }
      case 'children': {
        const { nodeId, offset, limit } = request.params;
        return s.children(nodeId, offset, limit);
      }
      case 'retainers': {
        const { nodeId, offset, limit } = request.params;
        return s.retainers(nodeId, offset, limit);
      }
      case 'dominated': {
        const { nodeId, offset, limit } = request.params;
        return s.dominated(nodeId, offset, limit);
      }
      case 'retainerPath':
        return s.retainerPath(request.params.nodeId);
      default:
        return answerTreeRequest(s, request);
    }
  }

  /** Asks for a baseline snapshot and compares with it; null when the user cancels. */
  private async pickAndCompare(): Promise<DiffView | null> {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      filters: { [vscode.l10n.t('Heap snapshots')]: ['heapsnapshot'] },
      defaultUri: vscode.Uri.joinPath(this.document.uri, '..'),
      title: vscode.l10n.t('Compare with an earlier (baseline) heap snapshot'),
    });
    return picked?.[0] ? this.compare(picked[0]) : null;
  }

  /**
   * Asks for two or more earlier snapshots of the same process and lists the objects that grew in every step up to
   * this one (ordered by file time: snapshots are usually named by time); null when the user cancels.
   */
  private async pickAndGrowth(): Promise<GrowthView | null> {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: true,
      filters: { [vscode.l10n.t('Heap snapshots')]: ['heapsnapshot'] },
      defaultUri: vscode.Uri.joinPath(this.document.uri, '..'),
      title: vscode.l10n.t('Pick 2 or more earlier heap snapshots of the same process'),
    });
    if (!picked?.length) return null;
    return this.growth(picked);
  }

  /** The objects that grew in every step from `earlierUris` (sorted by modification time) to this snapshot. */
  private async growth(picked: vscode.Uri[]): Promise<GrowthView> {
    const earlierUris = picked.filter((u) => u.fsPath !== this.document.uri.fsPath);
    if (earlierUris.length < 2)
      throw new Error(
        vscode.l10n.t('Growth needs 2 or more earlier snapshots besides this one; {0} picked.', earlierUris.length),
      );
    const stats = await Promise.all(
      earlierUris.map(async (u) => ({ u, mtime: (await vscode.workspace.fs.stat(u)).mtime })),
    );
    stats.sort((a, b) => a.mtime - b.mtime);
    const opened: SnapshotSource[] = [];
    try {
      for (const [i, { u }] of stats.entries()) {
        const name = u.fsPath.split(/[\\/]/).pop();
        this.post({ type: 'progress', phase: `loading ${name} (${i + 1}/${stats.length})`, fraction: 0 });
        opened.push(
          await this.openBaseline(u.fsPath, (phase, fraction) =>
            this.post({ type: 'progress', phase: `${name}: ${phase}`, fraction }),
          ),
        );
      }
      const current = await this.document.source;
      this.post({ type: 'progress', phase: 'growth', fraction: 0 });
      return await current.growthSince(opened);
    } catch (err) {
      throw new Error(vscode.l10n.t('Cannot list growing objects: {0}', (err as Error).message));
    } finally {
      for (const s of opened) s.dispose();
    }
  }

  /** Per-class deltas from `baselineUri` to this snapshot; rejects with a one-line message naming the baseline. */
  private async compare(baselineUri: vscode.Uri): Promise<DiffView> {
    try {
      this.post({ type: 'progress', phase: `loading ${baselineUri.fsPath.split(/[\\/]/).pop()}`, fraction: 0 });
      // Both load at once; the baseline is freed whatever happens to this snapshot.
      const [current, baseline] = await Promise.allSettled([
        this.document.source,
        this.openBaseline(baselineUri.fsPath, (phase, fraction) =>
          this.post({ type: 'progress', phase: `baseline: ${phase}`, fraction }),
        ),
      ]);
      if (baseline.status === 'rejected') throw baseline.reason;
      try {
        if (current.status === 'rejected') throw current.reason;
        return await current.value.compareWith(baseline.value, (phase, fraction) =>
          this.post({ type: 'progress', phase: `compare: ${phase}`, fraction }),
        );
      } finally {
        baseline.value.dispose();
      }
    } catch (err) {
      throw new Error(`Cannot compare with ${baselineUri.fsPath}: ${(err as Error).message}`);
    }
  }

  private post(message: ToViewerMessage): void {
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    this.store.dispose();
  }
}
