import { DominatorPages } from '../query/dominatorPages';
import type { HeapSnapshotModel } from '../query/model';
import { RetainersView } from '../query/retainersView';
import type { HandlerTable } from './rpcServer';
import type { DominatorTreeNode, IgnoredRetainers } from '../treeTypes';
import type { HeapTreeMethods } from './treeProtocol';

/** Per-snapshot state of the tree views, created on first use and dropped with the model. */
interface TreeState {
  retainers: RetainersView;
  dominators: DominatorPages;
}

/** Handlers of HeapTreeMethods over the worker's open snapshots (`model` throws for unknown handles). */
export function createTreeHandlers(
  model: (handle: number) => HeapSnapshotModel,
  nodeQuery: <T>(query: () => T) => T,
): HandlerTable<HeapTreeMethods> {
  const states = new WeakMap<HeapSnapshotModel, TreeState>();
  const state = (handle: number): TreeState => {
    const m = model(handle);
    let s = states.get(m);
    if (!s)
      states.set(
        m,
        (s = {
          retainers: new RetainersView(m),
          dominators: new DominatorPages(m.analysis),
        }),
      );
    return s;
  };
  const ordinal = (m: HeapSnapshotModel, id: number | undefined): number => {
    if (id === undefined) return m.analysis.raw.rootOrdinal;
    const n = m.ordinalOf(id);
    if (n < 0) throw new RangeError(`no node with id ${id} in this snapshot`);
    return n;
  };
  const treeNode = (m: HeapSnapshotModel, n: number): DominatorTreeNode => {
    const { tree } = m.analysis;
    return {
      ...m.summarize(n),
      dominatedCount: tree.firstDominated[n + 1] - tree.firstDominated[n],
      hasSource: m.hasSource(n),
    };
  };
  const ignored = (s: TreeState): IgnoredRetainers => ({
    ignoredIds: s.retainers.ignoredIds(),
    recomputeMs: Math.round(s.retainers.lastRecomputeMs),
    recomputedAll: s.retainers.lastRecomputeFull,
  });
  return {
    dominatorNode: ({ handle, nodeId }) => {
      const m = model(handle);
      if (nodeId !== undefined && m.ordinalOf(nodeId) < 0) return null;
      return treeNode(m, ordinal(m, nodeId));
    },
    dominatorTree: ({ handle, nodeId, offset, limit }) =>
      nodeQuery(() => {
        const m = model(handle);
        const start = Math.max(0, Math.floor(offset ?? 0));
        const count = Math.max(0, Math.min(10_000, Math.floor(limit ?? 100)));
        const { total, ordinals } = state(handle).dominators.page(ordinal(m, nodeId), start, count);
        return { total, offset: Math.min(start, total), items: [...ordinals].map((n) => treeNode(m, n)) };
      }),
    retainerTree: ({ handle, nodeId, offset, limit }) =>
      nodeQuery(() => state(handle).retainers.retainers(nodeId, { offset, limit })),
    retainerTreePaths: ({ handle, nodeId, maxPaths }) =>
      nodeQuery(() => state(handle).retainers.paths(nodeId, Math.max(1, Math.min(20, maxPaths ?? 5)))),
    ignoreRetainer: ({ handle, nodeId, ignore }) =>
      nodeQuery(() => {
        const s = state(handle);
        if (ignore) s.retainers.ignore(nodeId);
        else s.retainers.unignore(nodeId);
        return ignored(s);
      }),
    unignoreAllRetainers: ({ handle }) => {
      const s = state(handle);
      s.retainers.unignoreAll();
      return ignored(s);
    },
    nodeSource: ({ handle, nodeId }) =>
      nodeQuery(() => {
        const m = model(handle);
        return m.scripts.locationOf(ordinal(m, nodeId));
      }),
    classSource: ({ handle, classKey }) => model(handle).scripts.classLocation(classKey),
  };
}
