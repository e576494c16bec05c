import type { ClassSummaryRow, NodeSummary, Page, PageRequest } from '../types';
import { filteredClassSummary } from './filteredSummary';
import type { HeapSnapshotModel } from './model';
import { isNamedFilter, namedFilterMask, NAMED_FILTERS, type NamedFilter } from './namedFilters';
import { isNodeFilter, nodeFilterMask, NODE_FILTERS, type NodeFilter } from './nodeFilters';
import { sourceFileInstances, summarizeBySourceFile, type SourceFileSummary } from './sourceFiles';

/**
 * The Summary's filter drop-down: DevTools' named filters, the Node.js retention filters, and the two id ranges
 * that need another snapshot of the same heap-profiler session (`allocated-before`: ids up to that snapshot's
 * newest JS object; `allocated-between`: ids after it, up to this snapshot's newest).
 */
export type SummaryFilter = 'allocated-before' | 'allocated-between' | NamedFilter | NodeFilter;

/** Every SummaryFilter name, in the order the viewer lists them. */
export const SUMMARY_FILTERS: readonly SummaryFilter[] = [
  'allocated-before',
  'allocated-between',
  ...(Object.keys(NAMED_FILTERS) as NamedFilter[]),
  ...(Object.keys(NODE_FILTERS) as NodeFilter[]),
];

/** Whether `name` is a SummaryFilter. */
export function isSummaryFilter(name: unknown): name is SummaryFilter {
  return typeof name === 'string' && (SUMMARY_FILTERS as readonly string[]).includes(name);
}

/** Whether a filter needs another snapshot (the id ranges). */
export function needsOtherSnapshot(filter: SummaryFilter): filter is 'allocated-before' | 'allocated-between' {
  return filter === 'allocated-before' || filter === 'allocated-between';
}

/** Masks kept per snapshot: each is one byte per node. */
const MAX_CACHED = 4;
const MAX_LIMIT = 10_000;

/**
 * The Summary of one snapshot restricted by a SummaryFilter: classes and, per class, the instances that pass
 * (DevTools lists only those when a filter is on). The per-node masks are cached, a few at a time.
 */
export class FilteredSummaries {
  private readonly masks = new Map<string, Uint8Array>();
  private readonly rows = new Map<string, ClassSummaryRow[]>();
  private readonly instances = new Map<string, Uint32Array>();
  private readonly byFile = new Map<string, SourceFileSummary>();
  private readonly fileInstances = new Map<string, Uint32Array>();

  constructor(private readonly model: HeapSnapshotModel) {}

  /** The filtered Summary rows, ordered like DevTools' (retained size descending). */
  classes(filter: SummaryFilter, other?: HeapSnapshotModel): ClassSummaryRow[] {
    const key = this.key(filter, other);
    let rows = this.rows.get(key);
    if (!rows) {
      rows = filteredClassSummary(this.model.analysis, this.mask(filter, other));
      this.rows.set(key, rows);
    }
    return rows;
  }

  /** A page of one class's instances that pass the filter, by retained size descending. */
  classInstances(
    filter: SummaryFilter,
    classKey: string,
    page: PageRequest = {},
    other?: HeapSnapshotModel,
  ): Page<NodeSummary> {
    const key = `${this.key(filter, other)}\u0000${classKey}`;
    let list = this.instances.get(key);
    if (!list) {
      const { classes, raw, tree } = this.model.analysis;
      const c = classes.keys.indexOf(classKey);
      const mask = this.mask(filter, other);
      const members: number[] = [];
      if (c >= 0)
        for (let n = 0; n < raw.nodeCount; n++)
          if (mask[n] && classes.classOf[n] === c && raw.nodeSelfSize[n]) members.push(n);
      const retained = tree.retainedSize;
      list = Uint32Array.from(members).sort((a, b) => retained[b] - retained[a] || a - b);
      if (this.instances.size >= 64) this.instances.clear();
      this.instances.set(key, list);
    }
    return this.page(list, page);
  }

  /** The Summary grouped by source file, restricted by `filter` (undefined: all objects); the last two are cached. */
  sourceFiles(filter: SummaryFilter | undefined, other?: HeapSnapshotModel): SourceFileSummary {
    const key = filter === undefined ? '' : this.key(filter, other);
    let summary = this.byFile.get(key);
    if (!summary) {
      const mask = filter === undefined ? null : this.mask(filter, other);
      summary = summarizeBySourceFile(this.model.analysis, this.model.scripts, mask);
      if (this.byFile.size >= 2) this.byFile.delete(this.byFile.keys().next().value!);
      this.byFile.set(key, summary);
    }
    return summary;
  }

  /** A page of the instances of one class of one file (`fileIndex` in sourceFiles' groups), largest first. */
  sourceFileInstances(
    filter: SummaryFilter | undefined,
    fileIndex: number,
    classKey: string,
    page: PageRequest = {},
    other?: HeapSnapshotModel,
  ): Page<NodeSummary> {
    const summary = this.sourceFiles(filter, other);
    const key = `${filter === undefined ? '' : this.key(filter, other)}\u0000${fileIndex}\u0000${classKey}`;
    let list = this.fileInstances.get(key);
    if (!list) {
      list = sourceFileInstances(this.model.analysis, summary, fileIndex, classKey);
      if (this.fileInstances.size >= 64) this.fileInstances.clear();
      this.fileInstances.set(key, list);
    }
    return this.page(list, page);
  }

  /** Frees the cached masks and lists. */
  clear(): void {
    this.masks.clear();
    this.rows.clear();
    this.instances.clear();
    this.byFile.clear();
    this.fileInstances.clear();
  }

  private page(list: Uint32Array, page: PageRequest): Page<NodeSummary> {
    const offset = Math.max(0, Math.min(list.length, Math.floor(page.offset ?? 0)));
    const end = Math.min(list.length, offset + Math.max(0, Math.min(MAX_LIMIT, Math.floor(page.limit ?? 100))));
    const items: NodeSummary[] = [];
    for (let i = offset; i < end; i++) items.push(this.model.summarize(list[i]));
    return { total: list.length, offset, items };
  }

  private key(filter: SummaryFilter, other?: HeapSnapshotModel): string {
    if (!needsOtherSnapshot(filter)) return filter;
    if (!other) throw new RangeError(`the filter ${filter} needs another snapshot of the same process`);
    return `${filter}@${other.maxJsNodeId()}`;
  }

  /** The per-node mask of a filter (1 = passes), cached a few at a time. */
  mask(filter: SummaryFilter, other?: HeapSnapshotModel): Uint8Array {
    const key = this.key(filter, other);
    let mask = this.masks.get(key);
    if (mask) return mask;
    const { analysis } = this.model;
    if (filter === 'allocated-before') mask = idRangeMask(this.model, 0, other!.maxJsNodeId());
    else if (filter === 'allocated-between')
      mask = idRangeMask(this.model, other!.maxJsNodeId(), this.model.maxJsNodeId());
    else if (filter === 'duplicated-strings') mask = this.model.duplicatedStringMask();
    else if (isNamedFilter(filter)) mask = namedFilterMask(analysis, filter);
    else if (isNodeFilter(filter)) mask = nodeFilterMask(analysis, filter);
    else throw new RangeError(`unknown filter ${String(filter)}`);
    if (this.masks.size >= MAX_CACHED) this.masks.delete(this.masks.keys().next().value!);
    this.masks.set(key, mask);
    return mask;
  }
}

/** DevTools' createNodeIdFilter: nodes whose id is in (min, max]. */
export function idRangeMask(model: HeapSnapshotModel, min: number, max: number): Uint8Array {
  const ids = model.analysis.raw.nodeId;
  const mask = new Uint8Array(ids.length);
  for (let n = 0; n < ids.length; n++) mask[n] = ids[n] > min && ids[n] <= max ? 1 : 0;
  return mask;
}
