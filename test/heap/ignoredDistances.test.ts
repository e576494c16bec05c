// "Ignore this retainer" recomputes only the nodes under the ignored one where that gives the same distances as the
// full BFS (DevTools' way). On real snapshots, random sequences of ignores and restores: after each step every
// node's distance in the view equals a full recomputation's.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadHeapSnapshot, type HeapSnapshotModel } from '../../src/core/heap';
import { computeDistances } from '../../src/core/heap/analyze/distances';
import { WeakMapEdgeNames } from '../../src/core/heap/analyze/weakMapEdges';
import { BASE_UNREACHABLE_DISTANCE, RetainersView } from '../../src/core/heap/query/retainersView';
import { fixtureBytes, tempSnapshot } from './fixtures';
import { random } from './randomGraphs';

/** The first node (ordinal) whose view distance differs from a full BFS with the same ignored nodes, or -1. */
function firstDifference(model: HeapSnapshotModel, view: RetainersView): number {
  const { raw, distance: original } = model.analysis;
  const flags = new Uint8Array(raw.nodeCount);
  for (const id of view.ignoredIds()) flags[model.ordinalOf(id)] = 1;
  const full = computeDistances(raw, new WeakMapEdgeNames(raw.strings), undefined, flags).distance;
  for (let n = 0; n < raw.nodeCount; n++) {
    const want = full[n] === -5 ? Math.max(0, original[n]) + BASE_UNREACHABLE_DISTANCE : full[n];
    if (view.distanceOf(n) !== want) return n;
  }
  return -1;
}

describe('ignore this retainer: only the nodes under it, same distances as the full BFS', () => {
  for (const fixture of ['leak-final', 'shapes', 'page']) {
    it(fixture, async () => {
      const model = await loadHeapSnapshot(tempSnapshot(fixtureBytes(fixture)));
      const { raw, distance } = model.analysis;
      const reached: number[] = [];
      for (let n = 0; n < raw.nodeCount; n++) if (distance[n] > 1 && n !== raw.rootOrdinal) reached.push(n);
      let partial = 0;
      let full = 0;
      let partialRestores = 0;
      for (let seed = 1; seed <= 12; seed++) {
        const rnd = random(seed);
        const view = new RetainersView(model);
        for (let step = 0; step < 8; step++) {
          const n = reached[Math.floor(rnd() * reached.length)]!;
          const id = raw.nodeId[n];
          // Restores with other nodes still ignored (with none left, the snapshot's own distances apply).
          const restore = (step === 4 || step === 7) && view.ignoredIds().length > 1;
          if (restore) {
            const ids = view.ignoredIds();
            view.unignore(ids[Math.floor(rnd() * ids.length)]!);
          } else view.ignore(id);
          if (view.lastRecomputeFull) full++;
          else {
            partial++;
            if (restore) partialRestores++;
          }
          const diff = firstDifference(model, view);
          assert.equal(diff, -1, `seed ${seed} step ${step}: node @${diff >= 0 ? raw.nodeId[diff] : ''} differs`);
        }
      }
      // Both ways were taken, and restores too were recomputed alone.
      const counts = `${partial} partial (${partialRestores} restores), ${full} full recomputations`;
      assert.ok(partial >= 30, counts);
      assert.ok(partialRestores >= 5, counts);
    });
  }

  it('WeakMap pairs (a value needs its table and its key): ignoring and restoring them is recomputed alone, exactly', async () => {
    const model = await loadHeapSnapshot(tempSnapshot(fixtureBytes('shapes')));
    const { raw, distance } = model.analysis;
    const ephemeron = new WeakMapEdgeNames(raw.strings).ephemeronFlags();
    // Tables, keys and values of the fixture's WeakMap entries.
    const pairNodes = new Set<number>();
    for (let n = 0; n < raw.nodeCount; n++) {
      if (distance[n] <= 1 || n === raw.rootOrdinal) continue;
      for (let e = raw.firstEdge[n]; e < raw.firstEdge[n + 1]; e++)
        if (raw.edgeType[e] === raw.layout.edgeType.internal && ephemeron[raw.edgeName[e]] === 2) {
          pairNodes.add(n);
          if (distance[raw.edgeTo[e]] > 1) pairNodes.add(raw.edgeTo[e]);
        }
    }
    const nodes = [...pairNodes];
    assert.ok(nodes.length >= 20, `${nodes.length} nodes in WeakMap pairs`);
    let partial = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const rnd = random(seed);
      const view = new RetainersView(model);
      for (let step = 0; step < 6; step++) {
        const ids = view.ignoredIds();
        if (step >= 3 && ids.length > 1 && rnd() < 0.5) view.unignore(ids[Math.floor(rnd() * ids.length)]!);
        else view.ignore(raw.nodeId[nodes[Math.floor(rnd() * nodes.length)]!]);
        if (!view.lastRecomputeFull) partial++;
        const diff = firstDifference(model, view);
        assert.equal(diff, -1, `seed ${seed} step ${step}: node @${diff >= 0 ? raw.nodeId[diff] : ''} differs`);
      }
    }
    assert.ok(partial >= 40, `${partial} of 48 recomputed alone`);
  });

  it('WeakMap values whose key and table are at different distances follow the farther one', async () => {
    // Keys near the roots and far from them, tables near and far: ignoring a holder moves one side of each pair.
    const program = `
      const v8 = require('node:v8');
      const near = new WeakMap();
      globalThis.tables = { near, far: { a: { b: { c: { d: { e: { f: { g: { map: new WeakMap() } } } } } } } } };
      globalThis.nearKeys = [];
      globalThis.farKeys = { a: { b: { c: { d: { list: [] } } } } };
      for (let i = 0; i < 30; i++) {
        const k = { key: i };
        if (i % 3) globalThis.farKeys.a.b.c.d.list.push(k);
        if (i % 2) globalThis.nearKeys.push(k);
        (i % 5 ? near : globalThis.tables.far.a.b.c.d.e.f.g.map).set(k, { value: 'v' + i, inner: { deep: [i] } });
      }
      v8.writeHeapSnapshot(process.argv[1]);`;
    const dir = mkdtempSync(path.join(tmpdir(), 'memmon-weakmap-'));
    try {
      const file = path.join(dir, 'weakmap.heapsnapshot');
      execFileSync(process.execPath, ['-e', program, file]);
      const model = await loadHeapSnapshot(file);
      const { raw } = model.analysis;
      const byName = (name: string) => {
        const global = [...Array(raw.nodeCount).keys()].filter((n) =>
          Array.from({ length: raw.firstEdge[n + 1]! - raw.firstEdge[n]! }, (_, i) => raw.firstEdge[n]! + i).some(
            (e) => raw.strings.get(raw.edgeName[e]!) === name && raw.edgeType[e] === raw.layout.edgeType.property,
          ),
        );
        return global.flatMap((n) => {
          for (let e = raw.firstEdge[n]!; e < raw.firstEdge[n + 1]!; e++)
            if (raw.strings.get(raw.edgeName[e]!) === name && raw.edgeType[e] === raw.layout.edgeType.property)
              return [raw.edgeTo[e]!];
          return [];
        });
      };
      // The holders to ignore: the near keys' array, the far keys' chain, the tables' holder, the near table.
      const holders = ['nearKeys', 'farKeys', 'tables', 'near', 'list', 'map'].flatMap(byName);
      assert.ok(holders.length >= 6, `${holders.length} holders found`);
      let partial = 0;
      let steps = 0;
      for (let seed = 1; seed <= 10; seed++) {
        const rnd = random(seed);
        const view = new RetainersView(model);
        for (let step = 0; step < 5; step++, steps++) {
          const ids = view.ignoredIds();
          if (step >= 2 && ids.length > 1 && rnd() < 0.5) view.unignore(ids[Math.floor(rnd() * ids.length)]!);
          else view.ignore(raw.nodeId[holders[Math.floor(rnd() * holders.length)]!]!);
          if (!view.lastRecomputeFull) partial++;
          const diff = firstDifference(model, view);
          assert.equal(diff, -1, `seed ${seed} step ${step}: node @${diff >= 0 ? raw.nodeId[diff] : ''} differs`);
        }
      }
      assert.ok(partial >= steps / 2, `${partial} of ${steps} recomputed alone`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the full BFS when too many nodes would change, with the same distances', async () => {
    const model = await loadHeapSnapshot(tempSnapshot(fixtureBytes('leak-final')));
    const { raw, distance } = model.analysis;
    // Ignoring nodes near the roots until one has more than 1/16 of the snapshot under it.
    let full = false;
    const view = new RetainersView(model);
    for (let n = 0; n < raw.nodeCount && !full; n++) {
      if (distance[n] !== 2) continue;
      view.ignore(raw.nodeId[n]);
      full = view.lastRecomputeFull;
    }
    assert.ok(full, 'a full recomputation happened');
    assert.equal(firstDifference(model, view), -1);
  });
});
