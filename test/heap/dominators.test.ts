// The Semi-NCA dominators, retained sizes and per-class retained sizes against a straightforward DevTools-style
// implementation (referenceDominators.ts) on random graphs with every special case: weak-only reachability, unreachable cycles,
// shortcut edges, page-owned vs. debugger-held parts, WeakMap table→value edges, self and duplicate edges.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computeDominators, dominatedLists, dominatorsByOrdinal } from '../../src/core/heap/analyze/dominators';
import type { EssentialEdgeGraph } from '../../src/core/heap/analyze/essentialEdges';
import { DominatorJob } from '../../src/core/heap/analyze/parallelDominators';
import { buildRetainers } from '../../src/core/heap/analyze/retainers';
import { helperThreadCounts } from '../../src/core/heap/helperThreads';
import { waitFor } from '../helpers/debuggee';
import { byOrdinal, retainedSizes } from '../../src/core/heap/analyze/summary';
import { EDGE, randomGraph } from './randomGraphs';
import { referenceClassRetained, referenceDominators, referenceRetainedSizes } from './referenceDominators';

describe('Semi-NCA dominators', () => {
  it('equal DevTools-style Lengauer–Tarjan on random graphs, and so do retained sizes', () => {
    let nonTrivial = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const { graph, tableIdOfName, selfSize, classOf, classCount } = randomGraph(seed);
      const want = referenceDominators(graph, tableIdOfName);
      const doms = computeDominators(graph, tableIdOfName);
      const dominator = dominatorsByOrdinal(doms);
      assert.deepEqual(Array.from(dominator), Array.from(want), `dominators, seed ${seed}`);
      if (want.some((d, o) => d !== graph.rootOrdinal && o !== graph.rootOrdinal)) nonTrivial++;
      // order: every node once, each after its dominator; idom consistent with dominator.
      const { order, idom } = doms;
      assert.equal(order.length, graph.nodeCount);
      assert.equal(new Set(order).size, graph.nodeCount);
      assert.equal(order[0], graph.rootOrdinal);
      for (let k = 1; k < order.length; k++) {
        assert.ok(idom[k]! < k, `dominator before node, seed ${seed}`);
        assert.equal(order[idom[k]!], dominator[order[k]!]);
      }
      const wantSizes = referenceRetainedSizes(want, graph.rootOrdinal, selfSize);
      const { byPreorder, classRetained } = retainedSizes(doms, selfSize, classOf, classCount);
      assert.deepEqual(Array.from(byOrdinal(order, byPreorder)), Array.from(wantSizes), `retained sizes, seed ${seed}`);
      assert.deepEqual(
        Array.from(classRetained),
        Array.from(referenceClassRetained(want, graph.rootOrdinal, selfSize, wantSizes, classOf, classCount)),
        `per-class retained sizes, seed ${seed}`,
      );
    }
    assert.ok(nonTrivial > 300, 'most graphs have dominators other than the root');
  });

  it('keeps the DevTools special cases: weak-only nodes, unreachable cycles, debugger-held and WeakMap edges', () => {
    // root(0) -shortcut-> global(1) -property-> a(2) -property-> b(3); a -weak-> w(4) -property-> c(5);
    // cycle x(6) <-> y(7), x -property-> b; GC roots(8) -element-> a (non-page-owned → page-owned: ignored),
    // GC roots -element-> s(9); table(10) -internal "ephemeron of table 10"-> v(11); key b -same name-> v.
    const edges: [number, number, number, number][] = [
      [0, EDGE.shortcut, 0, 1],
      [0, EDGE.element, 1, 8],
      [1, EDGE.property, 0, 2],
      [1, EDGE.property, 0, 10],
      [2, EDGE.property, 0, 3],
      [2, EDGE.weak, 0, 4],
      [4, EDGE.property, 0, 5],
      [6, EDGE.property, 0, 7],
      [7, EDGE.property, 0, 6],
      [6, EDGE.property, 0, 3],
      [8, EDGE.element, 0, 2],
      [8, EDGE.element, 1, 9],
      [10, EDGE.internal, 1, 11],
      [3, EDGE.internal, 1, 11],
      [2, EDGE.property, 0, 11],
    ];
    edges.sort((x, y) => x[0] - y[0]);
    const nodeCount = 12;
    const firstEdge = new Uint32Array(nodeCount + 1);
    for (const [from] of edges) firstEdge[from + 1]!++;
    for (let o = 0; o < nodeCount; o++) firstEdge[o + 1] += firstEdge[o]!;
    const graph: EssentialEdgeGraph = {
      nodeCount,
      rootOrdinal: 0,
      firstEdge,
      edgeTo: Uint32Array.from(edges, (x) => x[3]),
      edgeType: Uint8Array.from(edges, (x) => x[1]),
      edgeName: Uint32Array.from(edges, (x) => x[2]),
      nodeId: Uint32Array.from({ length: nodeCount }, (_, i) => 100 + i),
      internalType: EDGE.internal,
      weakType: EDGE.weak,
      shortcutType: EDGE.shortcut,
      elementType: EDGE.element,
      domTreeRoots: new Uint32Array(0),
    };
    const tableIdOfName = Float64Array.from([-1, 110]);
    const dominator = dominatorsByOrdinal(computeDominators(graph, tableIdOfName));
    assert.deepEqual(Array.from(dominator), Array.from(referenceDominators(graph, tableIdOfName)));
    const withList = dominatorsByOrdinal(computeDominators(graph, tableIdOfName, undefined, Float64Array.from([110])));
    assert.deepEqual(Array.from(withList), Array.from(dominator), 'the same with the table id list given');
    assert.equal(dominator[3], 2, 'b: only via a (the cycle x→b does not count: x is unreachable)');
    assert.equal(dominator[2], 1, 'a: the GC roots edge to page-owned a is ignored');
    assert.equal(dominator[4], 0, 'w: weak-only, hangs off the root');
    assert.equal(dominator[5], 4, 'c: under the weak-only node');
    assert.equal(dominator[6], 0, 'cycle: attached to the root');
    assert.equal(dominator[7], 0, 'cycle: attached to the root');
    assert.equal(dominator[11], 2, 'v: the table→value edge does not retain; a→v and b→v do, both under a');
  });
});

describe('DominatorJob', () => {
  const check = async (shared: boolean) => {
    const before = helperThreadCounts().dominatorThread;
    for (const seed of [5, 10, 15]) {
      const { graph, tableIdOfName, selfSize, classOf, classCount } = randomGraph(seed, shared);
      const want = referenceDominators(graph, tableIdOfName);
      const wantSizes = referenceRetainedSizes(want, graph.rootOrdinal, selfSize);
      const job = new DominatorJob(graph, tableIdOfName);
      // Seed 15: once the helper's DFS order has arrived, this thread lists sizes and classes in it.
      if (shared && seed === 15) await waitFor(() => job.hasHelperOrder, 30_000, "the helper's DFS order");
      const n = graph.nodeCount;
      const space = {
        sizes: new Float64Array(new SharedArrayBuffer(8 * n)),
        classAt: new Uint32Array(new SharedArrayBuffer(4 * n)),
      };
      job.provideSizesAndClasses(selfSize, classOf, classCount, space);
      if (shared && seed === 15)
        assert.ok(
          space.classAt.some((c) => c !== 0),
          'listed here in the DFS order',
        );
      const classRetained = await job.result();
      assert.deepEqual(
        Array.from(classRetained),
        Array.from(referenceClassRetained(want, graph.rootOrdinal, selfSize, wantSizes, classOf, classCount)),
      );
      const { dominator, retainedSize } = job.ordinalTree();
      assert.deepEqual(Array.from(dominator), Array.from(want));
      assert.deepEqual(Array.from(retainedSize), Array.from(wantSizes));
      // Seed 10: the helper's retainers and dominator-tree children; the others may be built here instead.
      if (shared && seed === 10) await waitFor(() => job.hasHelperDeferredParts, 30_000, "the helper's lists");
      const parts = job.deferred();
      const retainers = buildRetainers(graph.nodeCount, graph.firstEdge, graph.edgeTo);
      assert.deepEqual(Array.from(parts.firstRetainer), Array.from(retainers.firstRetainer));
      assert.deepEqual(Array.from(parts.retainerNode), Array.from(retainers.retainerNode));
      assert.deepEqual(Array.from(parts.retainerEdge), Array.from(retainers.retainerEdge));
      const lists = dominatedLists(want, graph.rootOrdinal);
      assert.deepEqual(Array.from(parts.firstDominated), Array.from(lists.firstDominated));
      assert.deepEqual(Array.from(parts.dominated), Array.from(lists.dominated));
    }
    // With shared memory the helper did the work every time (a silent fallback once hid a broken helper).
    const after = helperThreadCounts().dominatorThread;
    assert.deepEqual(
      { ran: after.ran - before.ran, fellBack: after.fellBack - before.fellBack },
      { ran: shared ? 3 : 0, fellBack: 0 },
    );
  };
  it('gives the same results on the helper thread (shared memory)', () => check(true));
  it('gives the same results on the calling thread (no shared memory)', () => check(false));
});
