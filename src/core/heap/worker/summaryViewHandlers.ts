import { filterAndSortClasses } from '../query/classQuery';
import type { HeapSnapshotModel } from '../query/model';
import { idStability } from '../query/sameSession';
import { sourceFileClassPage, sourceFilePage } from '../query/sourceFiles';
import { FilteredSummaries, isSummaryFilter, needsOtherSnapshot, type SummaryFilter } from '../query/summaryFilters';
import type { Page, PageRequest } from '../types';
import { RpcFailure } from './rpcFailure';
import type { HandlerTable } from './rpcServer';
import type { SummaryViewMethods } from './summaryViewProtocol';

const MAX_LIMIT = 10_000;

/** Handlers of SummaryViewMethods over the worker's open snapshots (`model` throws for unknown handles). */
export function createSummaryViewHandlers(
  model: (handle: number) => HeapSnapshotModel,
): HandlerTable<SummaryViewMethods> {
  const summaries = new WeakMap<HeapSnapshotModel, FilteredSummaries>();
  const filtered = (m: HeapSnapshotModel) => {
    let s = summaries.get(m);
    if (!s) summaries.set(m, (s = new FilteredSummaries(m)));
    return s;
  };
  const other = (view: SummaryFilter, otherHandle: number | undefined) => {
    if (!isSummaryFilter(view)) throw new RpcFailure(`unknown Summary filter ${String(view)}`, 'bad-input');
    if (!needsOtherSnapshot(view)) return undefined;
    if (otherHandle === undefined)
      throw new RpcFailure(`the filter ${view} needs another snapshot of the same process`, 'bad-input');
    return model(otherHandle);
  };
  return {
    filteredClasses: ({ handle, view, otherHandle, filter, sort, descending, offset, limit }) => {
      const rows = filtered(model(handle)).classes(view, other(view, otherHandle));
      return filterAndSortClasses(
        rows,
        filter ?? '',
        sort ?? 'retainedSize',
        descending ?? true,
        offset ?? 0,
        Math.min(MAX_LIMIT, limit ?? 100),
      );
    },
    filteredInstances: ({ handle, view, otherHandle, classKey, offset, limit }) =>
      filtered(model(handle)).classInstances(view, classKey, { offset, limit }, other(view, otherHandle)),
    sourceFiles: ({ handle, view, otherHandle, filter, sort, descending, offset, limit }) =>
      sourceFilePage(
        filtered(model(handle)).sourceFiles(view, view && other(view, otherHandle)),
        filter ?? '',
        sort ?? 'retainedSize',
        descending ?? true,
        offset ?? 0,
        Math.min(MAX_LIMIT, limit ?? 100),
      ),
    sourceFileClasses: ({ handle, view, otherHandle, fileIndex, filter, sort, descending, offset, limit }) => {
      const summary = filtered(model(handle)).sourceFiles(view, view && other(view, otherHandle));
      if (!summary.groups[fileIndex]) throw new RpcFailure(`no source file ${fileIndex} in this Summary`, 'not-found');
      return sourceFileClassPage(
        summary,
        fileIndex,
        filter ?? '',
        sort ?? 'retainedSize',
        descending ?? true,
        offset ?? 0,
        Math.min(MAX_LIMIT, limit ?? 100),
      );
    },
    sourceFileInstances: ({ handle, view, otherHandle, fileIndex, classKey, offset, limit }) =>
      filtered(model(handle)).sourceFileInstances(
        view,
        fileIndex,
        classKey,
        { offset, limit },
        view && other(view, otherHandle),
      ),
    duplicateStrings: ({ handle, offset, limit }) => pageOf(model(handle).duplicateStrings(), { offset, limit }),
    globalVariables: ({ handle, offset, limit }) => pageOf(model(handle).globalVariables(), { offset, limit }),
    detachedElements: ({ handle, offset, limit }) => {
      const view = model(handle).detachedElements();
      return { hasDom: view.hasDom, ...pageOf(view.groups, { offset, limit }) };
    },
    sameSession: ({ handle, otherHandle }) => idStability(model(otherHandle), model(handle)),
  };
}

function pageOf<T>(all: T[], page: PageRequest): Page<T> {
  const offset = Math.max(0, Math.min(all.length, Math.floor(page.offset ?? 0)));
  const limit = Math.max(0, Math.min(MAX_LIMIT, Math.floor(page.limit ?? 100)));
  return { total: all.length, offset, items: all.slice(offset, offset + limit) };
}
