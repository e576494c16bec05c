import path from 'node:path';
import { filterAndSortClasses } from '../query/classQuery';
import { diffSnapshots, findLeaks, HeapSnapshotModel, loadHeapSnapshot } from '../index';
import { findGrowing, seriesWarnings } from '../query/growth';
import type { Page, PageRequest } from '../types';
import type { HeapEngineMethods } from './engineProtocol';
import { RpcFailure } from './rpcFailure';
import type { HandlerTable } from './rpcServer';
import { createSummaryViewHandlers } from './summaryViewHandlers';
import { createTreeHandlers } from './treeHandlers';

/** Engine method handlers over the snapshots this worker holds. `handleBase` keeps handles unique across restarts. */
export function createEngineHandlers(handleBase: number): HandlerTable<HeapEngineMethods> {
  const models = new Map<number, HeapSnapshotModel>();
  /** Each open snapshot's file name, for warnings that name snapshots. */
  const names = new Map<number, string>();
  let nextHandle = handleBase + 1;
  const model = (handle: number): HeapSnapshotModel => {
    const m = models.get(handle);
    if (!m)
      throw new RpcFailure(
        `no open snapshot with handle ${handle} (closed, or the analysis worker restarted)`,
        'not-found',
      );
    return m;
  };
  return {
    ...createSummaryViewHandlers(model),
    ...createTreeHandlers(model, nodeQuery),
    openSnapshot: async ({ path: file }, ctx) => {
      const started = performance.now();
      const loaded = await loadHeapSnapshot(file, {
        signal: ctx.signal,
        onProgress: (phase, f) => ctx.progress(phase, f),
        whileWaiting: ['statistics', 'duplicated-strings'],
      });
      // The duplicated-strings index, begun while the analysis waited for its helper thread, is finished before the
      // snapshot counts as open (0–0.7 s more on 1 GB), so that every query after open takes under a second.
      await loaded.prepareInBackground(() => !ctx.signal.aborted);
      if (ctx.signal.aborted) {
        loaded.dispose();
        throw new RpcFailure('cancelled', 'cancelled');
      }
      const handle = nextHandle++;
      models.set(handle, loaded);
      names.set(handle, path.basename(file));
      return { ...loaded.stats(), handle, file: path.resolve(file), loadMs: Math.round(performance.now() - started) };
    },
    closeSnapshot: ({ handle }) => {
      const m = models.get(handle);
      m?.dispose();
      names.delete(handle);
      return { closed: models.delete(handle) };
    },
    classSummary: ({ handle, offset, limit, filter, sort, descending }) =>
      filter || sort
        ? filterAndSortClasses(
            model(handle).classes(),
            filter ?? '',
            sort ?? 'retainedSize',
            descending ?? true,
            offset ?? 0,
            Math.min(10_000, limit ?? 100),
          )
        : model(handle).classSummary({ offset, limit }),
    classInstances: ({ handle, classKey, offset, limit }) => model(handle).classInstances(classKey, { offset, limit }),
    children: ({ handle, nodeId, offset, limit }) => nodeQuery(() => model(handle).children(nodeId, { offset, limit })),
    retainers: ({ handle, nodeId, offset, limit }) =>
      nodeQuery(() => model(handle).retainers(nodeId, { offset, limit })),
    dominators: ({ handle, nodeId, offset, limit }) =>
      nodeQuery(() => model(handle).dominatedChildren(nodeId, { offset, limit })),
    retainerPaths: ({ handle, nodeId, maxPaths, maxDepth }) =>
      nodeQuery(() => model(handle).retainerPaths(nodeId, { maxPaths, maxDepth })),
    nodeDetails: ({ handle, nodeId }) => model(handle).nodeDetails(nodeId),
    statistics: ({ handle }) => model(handle).statistics(),
    diff: ({ beforeHandle, afterHandle, offset, limit }) => {
      const { classes, ...totals } = diffSnapshots(model(beforeHandle), model(afterHandle));
      return { ...totals, classes: pageOf(classes, { offset, limit }) };
    },
    growing: ({ handles, limit }) => {
      if (handles.length < 3) throw new RpcFailure('growth needs 3 or more snapshots of one process', 'bad-input');
      const models = handles.map(model);
      const warnings = seriesWarnings(
        models,
        handles.map((h) => names.get(h) ?? `#${h}`),
        'growing objects are found by object id, so none can be listed',
      );
      return { rows: findGrowing(models, limit), warnings };
    },
    leaks: ({ baselineHandle, targetHandle, finalHandle, offset, limit }) => {
      const report = findLeaks(model(baselineHandle), model(targetHandle), model(finalHandle));
      return {
        leakedCount: report.leakedCount,
        leakedRetainedSize: report.leakedRetainedSize,
        byClass: pageOf(report.byClass, { offset, limit }),
        groups: pageOf(report.groups, { offset, limit }),
      };
    },
  };
}

/** The engine throws RangeError for an id that is not in the snapshot. */
function nodeQuery<T>(query: () => T): T {
  try {
    return query();
  } catch (err) {
    if (err instanceof RangeError) throw new RpcFailure(err.message, 'not-found');
    throw err;
  }
}

/** Pages a list computed in full inside the worker, so that only the page crosses the boundary. */
function pageOf<T>(all: T[], page: PageRequest): Page<T> {
  const offset = Math.max(0, Math.min(all.length, Math.floor(page.offset ?? 0)));
  const limit = Math.max(0, Math.min(10_000, Math.floor(page.limit ?? 100)));
  return { total: all.length, offset, items: all.slice(offset, offset + limit) };
}
