// The snapshot viewer's access to the heap engine, which runs in the analysis worker (never on the extension host's
// main thread): small pages of plain data cross the boundary, never the graph.
import path from 'node:path';
import type { HeapStatistics } from '../../core/heap/query/statistics';
import type { HeapAnalysisClient } from '../../core/heap/worker/heapAnalysisClient';
import type {
  ClassSortKey,
  DiffView,
  GrowthView,
  HeapClassView,
  HeapEdgeView,
  HeapNodeView,
  PageView,
  RetainerStepView,
  SnapshotInfoView,
} from '../../shared/protocol';

/** Rows of a comparison sent to the viewer (the largest changes first). */
const DIFF_ROWS = 500;
/** Rows of the growth table (the largest retained-size growth first). */
const GROWTH_ROWS = 200;

/** Opens a snapshot in the analysis worker; rejects with a one-line message for bad files. */
export async function openSnapshot(
  client: HeapAnalysisClient,
  file: string,
  onProgress: (phase: string, fraction: number) => void,
  signal?: AbortSignal,
): Promise<SnapshotSource> {
  const opened = await client.openSnapshot(file, { onProgress, signal });
  return new SnapshotSource(client, opened.handle, {
    fileName: path.basename(file),
    fileBytes: opened.fileBytes,
    nodeCount: opened.nodeCount,
    edgeCount: opened.edgeCount,
    totalSize: opened.totalSize,
    classCount: opened.classCount,
    rootId: opened.rootId,
  });
}

/** One snapshot opened in the analysis worker, as the viewer queries it. Every query is answered by the worker. */
export class SnapshotSource {
  private disposed = false;

  constructor(
    /** The worker this snapshot lives in (calls need `handle`). */
    readonly client: HeapAnalysisClient,
    readonly handle: number,
    readonly info: SnapshotInfoView,
  ) {}

  classes(
    filter: string,
    sort: ClassSortKey,
    descending: boolean,
    offset: number,
    limit: number,
  ): Promise<PageView<HeapClassView>> {
    return this.client.classSummary(this.handle, { filter, sort, descending, offset, limit });
  }

  instances(classKey: string, offset: number, limit: number): Promise<PageView<HeapNodeView>> {
    return this.client.classInstances(this.handle, classKey, { offset, limit });
  }

  children(nodeId: number, offset: number, limit: number): Promise<PageView<HeapEdgeView>> {
    return this.client.children(this.handle, nodeId, { offset, limit });
  }

  retainers(nodeId: number, offset: number, limit: number): Promise<PageView<HeapEdgeView>> {
    return this.client.retainers(this.handle, nodeId, { offset, limit });
  }

  dominated(nodeId: number | null, offset: number, limit: number): Promise<PageView<HeapNodeView>> {
    return this.client.dominators(this.handle, nodeId ?? undefined, { offset, limit });
  }

  async retainerPath(nodeId: number): Promise<RetainerStepView[]> {
    return (await this.client.retainerPaths(this.handle, nodeId, { maxPaths: 1 }))[0] ?? [];
  }

  /** DevTools' Statistics: where the snapshot's bytes go. */
  statistics(): Promise<HeapStatistics> {
    return this.client.statistics(this.handle);
  }

  /** Per-class deltas from `baseline` (the earlier snapshot) to this one. */
  async compareWith(
    baseline: SnapshotSource,
    onProgress?: (phase: string, fraction: number) => void,
  ): Promise<DiffView> {
    if (baseline.client !== this.client)
      throw new Error('cannot compare snapshots opened by different analysis workers');
    const d = await this.client.diff(baseline.handle, this.handle, { offset: 0, limit: DIFF_ROWS }, { onProgress });
    return {
      against: baseline.info.fileName,
      addedCount: d.addedCount,
      removedCount: d.removedCount,
      addedSize: d.addedSize,
      removedSize: d.removedSize,
      rows: d.classes.items.map((c) => ({
        name: c.name,
        addedCount: c.addedCount,
        removedCount: c.removedCount,
        countDelta: c.countDelta,
        addedSize: c.addedSize,
        removedSize: c.removedSize,
        sizeDelta: c.sizeDelta,
      })),
      warnings: d.warnings,
    };
  }

  /** The objects that grew in every step from `earlier` (oldest first) to this snapshot. */
  async growthSince(earlier: SnapshotSource[]): Promise<GrowthView> {
    if (earlier.some((e) => e.client !== this.client))
      throw new Error('cannot compare snapshots opened by different analysis workers');
    const series = [...earlier, this];
    const { rows, warnings } = await this.client.growing(
      series.map((s) => s.handle),
      GROWTH_ROWS,
    );
    return { snapshots: series.map((s) => s.info.fileName), rows, warnings };
  }

  /** Frees the snapshot's memory in the worker (a no-op when the worker already restarted or was disposed). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // A handle of a restarted or disposed worker is gone already: nothing is left to free.
    this.client.closeSnapshot(this.handle).catch(() => undefined);
  }
}
