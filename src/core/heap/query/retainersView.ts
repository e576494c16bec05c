import { BASE_SYSTEM_DISTANCE, computeDistances } from '../analyze/distances';
import { Carver, scratchArenaOf } from '../scratchArena';
import { edgeNameText } from '../analyze/nodeNames';
import { WeakMapEdgeNames } from '../analyze/weakMapEdges';
import { distancesAfterIgnoring, distancesAfterRestoring, type DistanceChanges } from '../analyze/ignoredDistances';
import type { RetainerTreeEdge } from '../treeTypes';
import type { Page, PageRequest, RetainerPathStep } from '../types';
import type { HeapSnapshotModel } from './model';

/**
 * DevTools' baseUnreachableDistance (baseSystemDistance × 2): unreachable retainers sort after every reachable one,
 * system-only ones included (test/heap/ignoreRetainerParity.test.ts checks the values against DevTools).
 */
export const BASE_UNREACHABLE_DISTANCE = BASE_SYSTEM_DISTANCE * 2;
const NO_DISTANCE = -5;
const NO_EDGE = 0xffffffff;

/**
 * DevTools' retainers view state for one snapshot: the retainers of any node by distance, and "ignore this retainer"
 * (ignoreNodeInRetainersView / unignoreNodeInRetainersView), which recomputes distances as if the ignored nodes were
 * unreachable, so that the next-shortest retainers float to the top.
 */
export class RetainersView {
  private readonly ignoredSet = new Set<number>();
  private ignoredFlags: Uint8Array | null = null;
  private viewDistance: Int32Array | null = null;
  private viewParentEdge: Uint32Array | null = null;
  /** Changes on top of viewDistance/viewParentEdge (or the snapshot's own) made by ignoring nodes one at a time. */
  private overlay: DistanceChanges = new Map();
  /** The BFS's arrays, kept between recomputations (three arrays of 4 bytes per node). */
  private buffers: { distance: Int32Array; parentEdge: Uint32Array; queue: Uint32Array } | null = null;
  private weakMapNames: WeakMapEdgeNames | null = null;
  private readonly sortedCache = new Map<number, Uint32Array>();
  /** Milliseconds the last distance recomputation took. */
  lastRecomputeMs = 0;
  /** Whether the last recomputation was the full BFS (false: only the nodes under the ignored one). */
  lastRecomputeFull = false;

  constructor(private readonly model: HeapSnapshotModel) {}

  /** Ids of the ignored nodes, in the order they were ignored. */
  ignoredIds(): number[] {
    const { nodeId } = this.model.analysis.raw;
    return [...this.ignoredSet].map((n) => nodeId[n]);
  }

  /** Cuts a node out of the retainers view and recomputes distances. */
  ignore(id: number): void {
    const n = this.ordinal(id);
    if (this.ignoredSet.has(n)) return;
    this.ignoredSet.add(n);
    this.recompute(n);
  }

  /** Puts an ignored node back; with none left the snapshot's own distances apply again. */
  unignore(id: number): void {
    const n = this.ordinal(id);
    if (!this.ignoredSet.delete(n)) return;
    this.recompute(undefined, n);
  }

  /** Puts every ignored node back. */
  unignoreAll(): void {
    this.ignoredSet.clear();
    this.recompute();
  }

  /** DevTools' getDistanceForRetainersView for a node ordinal. */
  distanceOf(n: number): number {
    const d = this.distanceOrNone(n);
    return d === NO_DISTANCE ? Math.max(0, this.model.analysis.distance[n]) + BASE_UNREACHABLE_DISTANCE : d;
  }

  /** A page of a node's retainers, nearest to the roots first (DevTools' default order of the retainers view). */
  retainers(id: number, page: PageRequest = {}): Page<RetainerTreeEdge> {
    const target = this.ordinal(id);
    const { raw, retainers } = this.model.analysis;
    const { firstRetainer, retainerEdge, retainerNode } = retainers;
    const first = firstRetainer[target];
    const total = firstRetainer[target + 1] - first;
    const order = this.sortedRetainers(target);
    const offset = Math.max(0, Math.min(total, Math.floor(page.offset ?? 0)));
    const end = Math.min(total, offset + Math.max(0, Math.min(10_000, Math.floor(page.limit ?? 100))));
    const items: RetainerTreeEdge[] = [];
    for (let i = offset; i < end; i++) {
      const k = order[i];
      const source = retainerNode[k];
      const e = retainerEdge[k];
      items.push({
        name: edgeNameText(raw, e),
        edgeType: raw.layout.edgeTypes[raw.edgeType[e]] ?? 'unknown',
        node: this.model.summarize(source),
        viewDistance: this.distanceOf(source),
        ignored: this.ignoredSet.has(source),
        hasSource: this.model.hasSource(source),
      });
    }
    return { total, offset, items };
  }

  /** Retainer slots of a node by distance; kept for nodes with many retainers until the distances change. */
  private sortedRetainers(target: number): Uint32Array {
    const cached = this.sortedCache.get(target);
    if (cached) return cached;
    const { firstRetainer, retainerNode } = this.model.analysis.retainers;
    const first = firstRetainer[target];
    const total = firstRetainer[target + 1] - first;
    const order = new Uint32Array(total);
    const dist = new Float64Array(total);
    for (let i = 0; i < total; i++) {
      order[i] = first + i;
      dist[i] = this.distanceOf(retainerNode[first + i]);
    }
    order.sort((a, b) => dist[a - first] - dist[b - first] || a - b);
    if (total > 1000) {
      if (this.sortedCache.size >= 16) this.sortedCache.delete(this.sortedCache.keys().next().value!);
      this.sortedCache.set(target, order);
    }
    return order;
  }

  /**
   * Up to `maxPaths` shortest retainer paths from the roots (never through weak edges or ignored nodes): the BFS
   * shortest first, then one through each other retainer of the node, nearest first.
   */
  paths(id: number, maxPaths = 5, maxDepth = 100): RetainerPathStep[][] {
    const target = this.ordinal(id);
    const { raw, retainers } = this.model.analysis;
    const parentEdge = (n: number) => this.parentEdgeOf(n);
    const weak = raw.layout.edgeType.weak;
    const result: RetainerPathStep[][] = [];
    const first = this.pathVia(target, parentEdge(target), -1, parentEdge, maxDepth);
    if (first) result.push(first);
    const { firstRetainer, retainerEdge, retainerNode } = retainers;
    const candidates: number[] = [];
    for (let k = firstRetainer[target]; k < firstRetainer[target + 1]; k++) {
      const source = retainerNode[k];
      if (raw.edgeType[retainerEdge[k]] === weak || retainerEdge[k] === parentEdge(target)) continue;
      if (source === target || this.ignoredSet.has(source) || this.distanceOf(source) >= BASE_UNREACHABLE_DISTANCE)
        continue;
      candidates.push(k);
    }
    candidates.sort((a, b) => this.distanceOf(retainerNode[a]) - this.distanceOf(retainerNode[b]) || a - b);
    for (const k of candidates) {
      if (result.length >= maxPaths) break;
      const path = this.pathVia(target, retainerEdge[k], retainerNode[k], parentEdge, maxDepth);
      if (path) result.push(path);
    }
    return result;
  }

  private pathVia(
    target: number,
    lastEdge: number,
    lastSource: number,
    parentEdge: (n: number) => number,
    maxDepth: number,
  ): RetainerPathStep[] | null {
    const { raw } = this.model.analysis;
    const root = raw.rootOrdinal;
    const steps: RetainerPathStep[] = [];
    const seen = new Set<number>([target]);
    let node = target;
    let edge = lastEdge;
    let source = lastSource;
    while (node !== root && edge !== NO_EDGE && steps.length < maxDepth) {
      steps.push({
        edge: { name: edgeNameText(raw, edge), edgeType: raw.layout.edgeTypes[raw.edgeType[edge]] ?? 'unknown' },
        node: this.model.summarize(node),
      });
      if (source < 0) source = this.model.sourceOfEdge(edge);
      if (source === root) break;
      if (seen.has(source)) return null;
      seen.add(source);
      node = source;
      edge = parentEdge(node);
      source = -1;
    }
    if (!steps.length || (node !== root && source !== root)) return null;
    return steps.reverse();
  }

  /** The BFS parent edge of a node in this view (0xffffffff: none). */
  private parentEdgeOf(n: number): number {
    return this.overlay.get(n)?.parentEdge ?? (this.viewParentEdge ?? this.model.analysis.parentEdge)[n];
  }

  /**
   * After `ignored` was added or `restored` put back (neither: all put back), the distances again. One more ignored
   * node only changes the nodes under it in the BFS tree, and one put back only the nodes it brings nearer: those are
   * recomputed alone where that gives DevTools' result (distancesAfterIgnoring, distancesAfterRestoring); otherwise,
   * or when such changes pile up, every distance is (computeDistances).
   */
  private recompute(ignored?: number, restored?: number): void {
    const started = performance.now();
    this.sortedCache.clear();
    const { raw } = this.model.analysis;
    if (this.ignoredSet.size === 0) {
      if (this.buffers) scratchArenaOf(raw).give(this.buffers.distance.buffer);
      this.viewDistance = this.viewParentEdge = this.ignoredFlags = this.buffers = null;
      this.overlay = new Map();
      this.lastRecomputeFull = false;
      this.lastRecomputeMs = performance.now() - started;
      return;
    }
    const flags = (this.ignoredFlags ??= new Uint8Array(raw.nodeCount));
    flags.fill(0);
    for (const n of this.ignoredSet) flags[n] = 1;
    this.weakMapNames ??= new WeakMapEdgeNames(raw.strings);
    const maxNodes = Math.max(10_000, raw.nodeCount >>> 4);
    const lookup = { distance: (n: number) => this.distanceOrNone(n), parentEdge: (n: number) => this.parentEdgeOf(n) };
    const { retainers } = this.model.analysis;
    const changes =
      this.overlay.size > maxNodes
        ? null
        : ignored !== undefined
          ? distancesAfterIgnoring(raw, this.weakMapNames, retainers, lookup, flags, ignored, maxNodes)
          : restored !== undefined
            ? distancesAfterRestoring(raw, this.weakMapNames, retainers, lookup, flags, restored, maxNodes)
            : null;
    this.lastRecomputeFull = changes === null;
    if (changes) {
      for (const [n, c] of changes) this.overlay.set(n, c);
    } else {
      if (!this.buffers) {
        // Borrowed paged-in memory: three fresh node-sized arrays cost 0.4–0.5 s of page faults on a 1 GB snapshot.
        const n = raw.nodeCount;
        const carve = new Carver(
          scratchArenaOf(raw).take(
            Carver.bytesFor([
              [4, n],
              [4, n],
              [4, n],
            ]),
          ),
        );
        this.buffers = { distance: carve.int32(n), parentEdge: carve.uint32(n), queue: carve.uint32(n) };
      }
      const { distance, parentEdge } = computeDistances(
        raw,
        this.weakMapNames,
        this.buffers.queue,
        flags,
        this.buffers,
      );
      this.viewDistance = distance;
      this.viewParentEdge = parentEdge;
      this.overlay = new Map();
    }
    this.lastRecomputeMs = performance.now() - started;
  }

  /** A node's distance in this view, NO_DISTANCE when no BFS reaches it. */
  private distanceOrNone(n: number): number {
    return this.overlay.get(n)?.distance ?? (this.viewDistance ?? this.model.analysis.distance)[n];
  }

  private ordinal(id: number): number {
    const n = this.model.ordinalOf(id);
    if (n < 0) throw new RangeError(`no node with id ${id} in this snapshot`);
    return n;
  }
}
