import * as vscode from 'vscode';
import type { SummaryFilter } from '../../core/heap/query/summaryFilters';
import type { ViewerRequest } from '../../shared/protocol';
import type {
  OtherSnapshotView,
  SummaryView,
  SummaryViewerMethod,
  SummaryViewerMethods,
} from '../../shared/summaryViewProtocol';
import type { OpenBaseline, ViewerDocument } from './snapshotEditor';
import type { SnapshotSource } from './snapshotSource';

type SummaryViewRequest = Extract<ViewerRequest, { method: SummaryViewerMethod }>;

/**
 * One viewer's Statistics, Summary filters, duplicated strings and global variables, answered by the analysis
 * worker. Holds the other snapshot the id-range filters compare with (opened in the same worker) until another is
 * picked or the viewer closes.
 */
export class SummaryViews implements vscode.Disposable {
  private other: { source: SnapshotSource; view: OtherSnapshotView } | undefined;

  constructor(
    private readonly document: ViewerDocument,
    private readonly openOther: OpenBaseline,
    private readonly progress: (phase: string, fraction: number) => void,
  ) {}

  /** The result of one request (rejects with a one-line message). */
  async answer(request: SummaryViewRequest): Promise<SummaryViewerMethods[SummaryViewerMethod]['result']> {
    const s = await this.document.source;
    switch (request.method) {
      case 'statistics':
        return s.statistics();
      case 'filteredClasses': {
        const { view, filter, sort, descending, offset, limit } = request.params;
        if (view === 'all') return s.classes(filter, sort, descending, offset, limit);
        return s.client.call('filteredClasses', {
          handle: s.handle,
          ...this.filterParams(view),
          filter,
          sort,
          descending,
          offset,
          limit,
        });
      }
      case 'filteredInstances': {
        const { view, classKey, offset, limit } = request.params;
        if (view === 'all') return s.instances(classKey, offset, limit);
        return s.client.call('filteredInstances', {
          handle: s.handle,
          ...this.filterParams(view),
          classKey,
          offset,
          limit,
        });
      }
      case 'sourceFiles': {
        const { view, ...rest } = request.params;
        return s.client.call('sourceFiles', { handle: s.handle, ...this.viewParams(view), ...rest });
      }
      case 'sourceFileClasses': {
        const { view, ...rest } = request.params;
        return s.client.call('sourceFileClasses', { handle: s.handle, ...this.viewParams(view), ...rest });
      }
      case 'sourceFileInstances': {
        const { view, ...rest } = request.params;
        return s.client.call('sourceFileInstances', { handle: s.handle, ...this.viewParams(view), ...rest });
      }
      case 'pickOtherSnapshot':
        return this.pickOther(s);
      case 'duplicateStrings':
        return s.client.call('duplicateStrings', { handle: s.handle, ...request.params });
      case 'globals':
        return s.client.call('globalVariables', { handle: s.handle, ...request.params });
      case 'detachedElements':
        return s.client.call('detachedElements', { handle: s.handle, ...request.params });
    }
  }

  /** The worker's params for a view of the grouped Summary: none for all objects. */
  private viewParams(view: SummaryView): { view?: SummaryFilter; otherHandle?: number } {
    return view === 'all' ? {} : this.filterParams(view);
  }

  /** The worker's filter params: the id-range filters need the other snapshot. */
  private filterParams(view: Exclude<SummaryView, 'all'>): { view: SummaryFilter; otherHandle?: number } {
    if (view !== 'allocated-before' && view !== 'allocated-between') return { view };
    if (!this.other) throw new Error('Pick the other snapshot first (Choose snapshot…)');
    return { view, otherHandle: this.other.source.handle };
  }

  /** Asks for another snapshot, opens it in the worker and checks that its ids are comparable with this one's. */
  private async pickOther(current: SnapshotSource): Promise<OtherSnapshotView | null> {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      filters: { 'Heap snapshots': ['heapsnapshot'] },
      defaultUri: vscode.Uri.joinPath(this.document.uri, '..'),
      title: 'Another heap snapshot of the same process (for "allocated before / between")',
    });
    const uri = picked?.[0];
    if (!uri) return null;
    const name = uri.fsPath.split(/[\\/]/).pop() ?? uri.fsPath;
    let source: SnapshotSource | undefined;
    try {
      source = await this.openOther(uri.fsPath, (phase, fraction) => this.progress(`${name}: ${phase}`, fraction));
      const ids = await current.client.call('sameSession', { handle: current.handle, otherHandle: source.handle });
      const view: OtherSnapshotView = {
        fileName: source.info.fileName,
        sameSession: ids.comparable,
        checked: ids.checked,
        matched: ids.matched,
      };
      this.other?.source.dispose();
      this.other = { source, view };
      return view;
    } catch (err) {
      source?.dispose();
      throw new Error(`Cannot use ${uri.fsPath}: ${(err as Error).message}`);
    }
  }

  dispose(): void {
    this.other?.source.dispose();
    this.other = undefined;
  }
}
