import type { HeapAnalysis } from '../analyze/analysis';
import { edgeNameText, nodeDisplayName } from '../analyze/nodeNames';
import { NodeIdIndex } from './nodeIdIndex';
import { computeStatistics, type HeapStatistics } from './statistics';
import {
  duplicatedStringMask,
  duplicateStrings,
  indexDuplicateStrings,
  type DuplicateStringGroup,
} from './duplicateStrings';
import { detachedElements, type DetachedElements } from './detachedElements';
import { byRetainedSize, filteredClassSummary } from './filteredSummary';
import { classHasSource, ScriptNames } from './sourceLocations';
import { globalVariables, type GlobalVariable } from './globals';
import { allocatedBetweenMask, isNamedFilter, maxJsNodeId, namedFilterMask, type NamedFilter } from './namedFilters';
import { nodeFilterMask, type NodeFilter } from './nodeFilters';
import type {
  ClassSummaryRow,
  EdgeView,
  NodeDetails,
  NodeSummary,
  Page,
  PageRequest,
  RetainerPathStep,
  SnapshotStats,
} from '../types';

const NO_EDGE = 0xffffffff;
const MAX_NAME = 1000;

/** Node names can be whole strings from the heap: keep table rows and RPC payloads small. */
function shorten(name: string): string {
  return name.length > MAX_NAME ? `${name.slice(0, MAX_NAME)}…` : name;
}
const MAX_LIMIT = 10000;

function pageBounds(total: number, page: PageRequest = {}): { offset: number; end: number } {
  const offset = Math.max(0, Math.min(total, Math.floor(page.offset ?? 0)));
  const limit = Math.max(0, Math.min(MAX_LIMIT, Math.floor(page.limit ?? 100)));
  return { offset, end: Math.min(total, offset + limit) };
}

/**
 * A loaded, analysed heap snapshot with paged queries for the UI. Nodes are addressed by their snapshot `id`;
 * every result is plain JSON-serialisable data.
 */
export class HeapSnapshotModel {
  private readonly ids: NodeIdIndex;
  private sortedClasses: ClassSummaryRow[] | null = null;
  private readonly instanceCache = new Map<string, Uint32Array>();
  private readonly classByKey = new Map<string, number>();
  private cachedStats: SnapshotStats | null = null;
  private cachedStatistics: HeapStatistics | null = null;
  private readonly filterCache = new Map<string, ClassSummaryRow[]>();
  private cachedDuplicates: DuplicateStringGroup[] | null = null;
  private cachedGlobals: GlobalVariable[] | null = null;
  private cachedDetached: DetachedElements | null = null;
  private cachedDuplicateMask: Uint8Array | null = null;
  private cachedMaxJsId: number | undefined;
  private cachedScripts: ScriptNames | null = null;

  constructor(readonly analysis: HeapAnalysis) {
    this.ids = new NodeIdIndex(analysis.raw.nodeId);
    analysis.classes.keys.forEach((k, i) => this.classByKey.set(k, i));
  }

  /** Script names and node locations (built on first use). */
  get scripts(): ScriptNames {
    this.cachedScripts ??= new ScriptNames(this.analysis);
    return this.cachedScripts;
  }

  /** Whether a node ordinal has a script location (its function, class or constructor). */
  hasSource(n: number): boolean {
    const loc = this.analysis.raw.nodeLocation;
    return loc !== null && loc[n] >= 0;
  }

  /** Totals: node/edge counts, total self size, class count. */
  stats(): SnapshotStats {
    if (!this.cachedStats) {
      const { raw } = this.analysis;
      let total = 0;
      for (let i = 0; i < raw.nodeCount; i++) total += raw.nodeSelfSize[i];
      this.cachedStats = {
        nodeCount: raw.nodeCount,
        edgeCount: raw.edgeCount,
        totalSize: total,
        fileBytes: raw.fileBytes,
        classCount: this.classes().length,
        rootId: raw.nodeId[raw.rootOrdinal],
      };
    }
    return { ...this.cachedStats };
  }

  /** All Summary classes, by retained size descending (then self size). */
  classes(): ClassSummaryRow[] {
    if (!this.sortedClasses) {
      const { names, keys } = this.analysis.classes;
      const a = this.analysis.aggregates;
      const rows: ClassSummaryRow[] = [];
      for (let c = 0; c < names.length; c++) {
        if (!a.count[c]) continue;
        rows.push({
          name: names[c],
          key: keys[c],
          count: a.count[c],
          selfSize: a.selfSize[c],
          retainedSize: a.retainedSize[c],
          distance: a.distance[c],
          hasSource: classHasSource(keys[c]),
        });
      }
      rows.sort(byRetainedSize);
      this.sortedClasses = rows;
    }
    return this.sortedClasses;
  }

  /** DevTools' Statistics: total, V8 heap (code, strings, JS arrays, system) and native (typed arrays) bytes. */
  statistics(): HeapStatistics {
    this.cachedStatistics ??= computeStatistics(this.analysis);
    return structuredClone(this.cachedStatistics);
  }

  /** The Summary restricted by one of DevTools' named filters (aggregatesWithFilter) or a Node.js retention filter. */
  filteredClasses(filter: NamedFilter | NodeFilter): ClassSummaryRow[] {
    let rows = this.filterCache.get(filter);
    if (!rows) {
      const mask = isNamedFilter(filter)
        ? namedFilterMask(this.analysis, filter)
        : nodeFilterMask(this.analysis, filter);
      rows = filteredClassSummary(this.analysis, mask);
      this.filterCache.set(filter, rows);
    }
    return rows;
  }

  /**
   * The Summary restricted to objects allocated after `base` was taken (DevTools' "Objects allocated between
   * snapshots"): ids above the base's largest JS object id. Only meaningful for snapshots of one profiler session.
   */
  allocatedSince(base: HeapSnapshotModel): ClassSummaryRow[] {
    return filteredClassSummary(this.analysis, allocatedBetweenMask(this.analysis, base.maxJsNodeId()));
  }

  /** The largest JS object id (DevTools' maxJSObjectId). */
  maxJsNodeId(): number {
    this.cachedMaxJsId ??= maxJsNodeId(this.analysis);
    return this.cachedMaxJsId;
  }

  /** The global variables the program added (non-built-in properties of globalThis), by retained size. */
  globalVariables(): GlobalVariable[] {
    this.cachedGlobals ??= globalVariables(this.analysis);
    return this.cachedGlobals;
  }

  /** Detached DOM nodes grouped by the JavaScript that retains them, largest retained size first. */
  detachedElements(): DetachedElements {
    this.cachedDetached ??= detachedElements(this);
    return this.cachedDetached;
  }

  /** DevTools' duplicated strings: every string value stored more than once, by total retained size. */
  duplicateStrings(): DuplicateStringGroup[] {
    this.cachedDuplicates ??= duplicateStrings(this.analysis, this.duplicatedStringMask());
    return this.cachedDuplicates;
  }

  /**
   * DevTools' duplicatedStrings filter (1 = a string whose value another string node also holds). Cached: decoding and
   * grouping every string is most of the work, and the Summary filter and the duplicated-strings list share it.
   */
  duplicatedStringMask(): Uint8Array {
    this.cachedDuplicateMask ??= duplicatedStringMask(this.analysis);
    return this.cachedDuplicateMask;
  }

  /**
   * Work done ahead, in time slices between queries (the analysis worker runs it to the end before it reports the
   * snapshot open): the duplicated-strings index (the only query input that takes about a second to build on a 1 GB
   * snapshot). Stops when `alive` turns false. `sliceMs`: the length of each slice (default 20 ms).
   */
  prepareInBackground(alive: () => boolean, sliceMs?: number): Promise<void> {
    return indexDuplicateStrings(this.analysis.raw, alive, sliceMs);
  }

  /** A page of the class summary. */
  classSummary(page?: PageRequest): Page<ClassSummaryRow> {
    const rows = this.classes();
    const { offset, end } = pageBounds(rows.length, page);
    return { total: rows.length, offset, items: rows.slice(offset, end) };
  }

  /** Instances of one class (by class key), by retained size descending. */
  classInstances(classKey: string, page?: PageRequest): Page<NodeSummary> {
    let list = this.instanceCache.get(classKey);
    if (!list) {
      const c = this.classByKey.get(classKey);
      const { classOf } = this.analysis.classes;
      const self = this.analysis.raw.nodeSelfSize;
      const members: number[] = [];
      if (c !== undefined) for (let n = 0; n < classOf.length; n++) if (classOf[n] === c && self[n]) members.push(n);
      const retained = this.analysis.tree.retainedSize;
      list = Uint32Array.from(members).sort((a, b) => retained[b] - retained[a] || a - b);
      this.instanceCache.set(classKey, list);
    }
    const { offset, end } = pageBounds(list.length, page);
    const items: NodeSummary[] = [];
    for (let i = offset; i < end; i++) items.push(this.summarize(list[i]));
    return { total: list.length, offset, items };
  }

  /** Details of one node, or null when no node has this id. */
  nodeDetails(id: number): NodeDetails | null {
    const n = this.ids.ordinalOf(id);
    if (n < 0) return null;
    const { raw, tree, retainers, classes } = this.analysis;
    const loc = raw.nodeLocation ? raw.nodeLocation[n] : -1;
    return {
      ...this.summarize(n),
      classKey: classes.keys[classes.classOf[n]],
      edgeCount: raw.firstEdge[n + 1] - raw.firstEdge[n],
      retainerCount: retainers.firstRetainer[n + 1] - retainers.firstRetainer[n],
      dominatorId: n === raw.rootOrdinal ? null : raw.nodeId[tree.dominator[n]],
      location:
        loc >= 0
          ? { scriptId: raw.locationScript[loc], line: raw.locationLine[loc], column: raw.locationColumn[loc] }
          : null,
    };
  }

  /** Outgoing edges of a node, in snapshot order. */
  children(id: number, page?: PageRequest): Page<EdgeView> {
    const n = this.ordinalOrThrow(id);
    const { raw } = this.analysis;
    const first = raw.firstEdge[n];
    const { offset, end } = pageBounds(raw.firstEdge[n + 1] - first, page);
    const items: EdgeView[] = [];
    for (let i = offset; i < end; i++) items.push(this.edgeView(first + i, raw.edgeTo[first + i]));
    return { total: raw.firstEdge[n + 1] - first, offset, items };
  }

  /** Incoming edges of a node (the objects that reference it). */
  retainers(id: number, page?: PageRequest): Page<EdgeView> {
    const n = this.ordinalOrThrow(id);
    const { firstRetainer, retainerEdge, retainerNode } = this.analysis.retainers;
    const first = firstRetainer[n];
    const total = firstRetainer[n + 1] - first;
    const { offset, end } = pageBounds(total, page);
    const items: EdgeView[] = [];
    for (let i = offset; i < end; i++) items.push(this.edgeView(retainerEdge[first + i], retainerNode[first + i]));
    return { total, offset, items };
  }

  /** Children of a node in the dominator tree (default: the root), by retained size descending. */
  dominatedChildren(id?: number, page?: PageRequest): Page<NodeSummary> {
    const { raw, tree } = this.analysis;
    const n = id === undefined ? raw.rootOrdinal : this.ordinalOrThrow(id);
    const list = tree.dominated.slice(tree.firstDominated[n], tree.firstDominated[n + 1]);
    const retained = tree.retainedSize;
    list.sort((a, b) => retained[b] - retained[a] || a - b);
    const { offset, end } = pageBounds(list.length, page);
    const items: NodeSummary[] = [];
    for (let i = offset; i < end; i++) items.push(this.summarize(list[i]));
    return { total: list.length, offset, items };
  }

  /**
   * Shortest retainer paths from the GC roots to a node, never through weak edges. The first path is the BFS
   * shortest; further paths end with different retainers, shortest first. Each path starts at a root's child.
   */
  retainerPaths(id: number, options: { maxPaths?: number; maxDepth?: number } = {}): RetainerPathStep[][] {
    const target = this.ordinalOrThrow(id);
    const { raw, retainers, distance } = this.analysis;
    const maxPaths = Math.max(1, Math.min(50, options.maxPaths ?? 1));
    const maxDepth = Math.max(1, Math.min(1000, options.maxDepth ?? 100));
    const paths: RetainerPathStep[][] = [];
    const shortest = this.pathVia(target, NO_EDGE, maxDepth);
    if (shortest) paths.push(shortest);
    if (maxPaths > 1) {
      const weak = raw.layout.edgeType.weak;
      const candidates: number[] = [];
      const { firstRetainer, retainerEdge, retainerNode } = retainers;
      for (let k = firstRetainer[target]; k < firstRetainer[target + 1]; k++) {
        const e = retainerEdge[k];
        if (raw.edgeType[e] === weak || e === this.analysis.parentEdge[target] || distance[retainerNode[k]] < 0)
          continue;
        if (retainerNode[k] === target) continue;
        candidates.push(k);
      }
      candidates.sort((a, b) => distance[retainerNode[a]] - distance[retainerNode[b]]);
      for (const k of candidates) {
        if (paths.length >= maxPaths) break;
        const path = this.pathVia(target, retainerEdge[k], maxDepth, retainerNode[k]);
        if (path) paths.push(path);
      }
    }
    return paths;
  }

  /** Drops query caches (sorted class list, instance lists); the model stays usable. */
  dispose(): void {
    this.instanceCache.clear();
    this.sortedClasses = null;
    this.filterCache.clear();
    this.cachedDuplicates = null;
    this.cachedGlobals = null;
    this.cachedDetached = null;
    this.cachedDuplicateMask = null;
  }

  /** Ordinal of a node id, or -1 (for the engine's own modules: compare, leaks). */
  ordinalOf(id: number): number {
    return this.ids.ordinalOf(id);
  }

  /** Table row for a node ordinal. */
  summarize(n: number): NodeSummary {
    const { raw, tree, distance, classes } = this.analysis;
    return {
      id: raw.nodeId[n],
      type: raw.layout.nodeTypes[raw.nodeType[n]] ?? 'unknown',
      name: shorten(nodeDisplayName(raw, n)),
      className: classes.names[classes.classOf[n]],
      selfSize: raw.nodeSelfSize[n],
      retainedSize: tree.retainedSize[n],
      distance: distance[n],
      hasSource: this.hasSource(n),
    };
  }

  private pathVia(target: number, lastEdge: number, maxDepth: number, lastSource = -1): RetainerPathStep[] | null {
    const { raw, parentEdge } = this.analysis;
    const root = raw.rootOrdinal;
    const steps: RetainerPathStep[] = [];
    const seen = new Set<number>([target]);
    let node = target;
    let edge = lastEdge === NO_EDGE ? parentEdge[target] : lastEdge;
    let source = lastSource >= 0 ? lastSource : -1;
    while (node !== root && edge !== NO_EDGE && steps.length < maxDepth) {
      steps.push({
        edge: { name: edgeNameText(raw, edge), edgeType: raw.layout.edgeTypes[raw.edgeType[edge]] ?? 'unknown' },
        node: this.summarize(node),
      });
      if (source < 0) source = this.sourceOfEdge(edge);
      if (source === root || seen.has(source)) break;
      seen.add(source);
      node = source;
      edge = parentEdge[node]!;
      source = -1;
    }
    if (!steps.length) return null;
    steps.reverse();
    return steps;
  }

  /** Node ordinals in ascending id order. */
  idOrder(): Uint32Array {
    return this.ids.byId();
  }

  /** The node an edge starts from. */
  sourceOfEdge(e: number): number {
    // Binary search the node whose edge range contains e.
    const fe = this.analysis.raw.firstEdge;
    let lo = 0;
    let hi = this.analysis.raw.nodeCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (fe[mid] <= e) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private edgeView(e: number, other: number): EdgeView {
    const { raw } = this.analysis;
    return {
      name: edgeNameText(raw, e),
      edgeType: raw.layout.edgeTypes[raw.edgeType[e]] ?? 'unknown',
      node: this.summarize(other),
    };
  }

  private ordinalOrThrow(id: number): number {
    const n = this.ids.ordinalOf(id);
    if (n < 0) throw new RangeError(`no node with id ${id} in this snapshot`);
    return n;
  }
}
