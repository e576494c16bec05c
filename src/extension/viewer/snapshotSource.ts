// The snapshot viewer's access to the heap engine: small pages of plain data, never the whole graph.
import path from 'node:path';
import { diffSnapshots, loadHeapSnapshot, type HeapSnapshotModel } from '../../core/heap/index';
import type { ClassSortKey, DiffView, HeapClassView, HeapEdgeView, HeapNodeView, PageView, RetainerStepView, SnapshotInfoView } from '../../shared/protocol';
import { filterAndSortClasses } from './classQuery';

/** One opened snapshot, as the viewer queries it. */
export interface SnapshotSource {
  readonly info: SnapshotInfoView;
  classes(filter: string, sort: ClassSortKey, descending: boolean, offset: number, limit: number): PageView<HeapClassView>;
  instances(classKey: string, offset: number, limit: number): PageView<HeapNodeView>;
  children(nodeId: number, offset: number, limit: number): PageView<HeapEdgeView>;
  retainers(nodeId: number, offset: number, limit: number): PageView<HeapEdgeView>;
  dominated(nodeId: number | null, offset: number, limit: number): PageView<HeapNodeView>;
  retainerPath(nodeId: number): RetainerStepView[];
  compareWith(baseline: SnapshotSource): DiffView;
  dispose(): void;
}

/**
 * Opens a snapshot with the engine's facade (`loadHeapSnapshot`). The engine's worker RPC does not expose the
 * snapshot queries yet; once it does, this is the one place to switch to HeapAnalysisClient.
 */
export async function openSnapshot(file: string, onProgress: (phase: string, fraction: number) => void, signal?: AbortSignal): Promise<SnapshotSource> {
  const model = await loadHeapSnapshot(file, { onProgress, signal });
  return new ModelSnapshotSource(file, model);
}

class ModelSnapshotSource implements SnapshotSource {
  readonly info: SnapshotInfoView;

  constructor(
    file: string,
    readonly model: HeapSnapshotModel,
  ) {
    const s = model.stats();
    this.info = { fileName: path.basename(file), fileBytes: s.fileBytes, nodeCount: s.nodeCount, edgeCount: s.edgeCount, totalSize: s.totalSize, classCount: s.classCount, rootId: s.rootId };
  }

  classes(filter: string, sort: ClassSortKey, descending: boolean, offset: number, limit: number): PageView<HeapClassView> {
    return filterAndSortClasses(this.model.classes(), filter, sort, descending, offset, limit);
  }

  instances(classKey: string, offset: number, limit: number): PageView<HeapNodeView> {
    return this.model.classInstances(classKey, { offset, limit });
  }

  children(nodeId: number, offset: number, limit: number): PageView<HeapEdgeView> {
    return this.model.children(nodeId, { offset, limit });
  }

  retainers(nodeId: number, offset: number, limit: number): PageView<HeapEdgeView> {
    return this.model.retainers(nodeId, { offset, limit });
  }

  dominated(nodeId: number | null, offset: number, limit: number): PageView<HeapNodeView> {
    return this.model.dominatedChildren(nodeId ?? undefined, { offset, limit });
  }

  retainerPath(nodeId: number): RetainerStepView[] {
    return this.model.retainerPaths(nodeId, { maxPaths: 1 })[0] ?? [];
  }

  compareWith(baseline: SnapshotSource): DiffView {
    if (!(baseline instanceof ModelSnapshotSource)) throw new Error('cannot compare snapshots from different engines');
    const d = diffSnapshots(baseline.model, this.model);
    return {
      against: baseline.info.fileName,
      addedCount: d.addedCount,
      removedCount: d.removedCount,
      addedSize: d.addedSize,
      removedSize: d.removedSize,
      rows: d.classes.slice(0, 500).map((c) => ({ name: c.name, addedCount: c.addedCount, removedCount: c.removedCount, countDelta: c.countDelta, addedSize: c.addedSize, removedSize: c.removedSize, sizeDelta: c.sizeDelta })),
    };
  }

  dispose(): void {
    this.model.dispose();
  }
}
