// "Ignore this retainer" recomputes only the nodes under the ignored one where that gives the same distances as the
// full BFS (DevTools' way). On real snapshots, random sequences of ignores and restores: after each step every
// node's distance in the view equals a full recomputation's.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
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

  it('falls back to the full BFS where a WeakMap edge is on the way (ignore and restore)', async () => {
    const model = await loadHeapSnapshot(tempSnapshot(fixtureBytes('shapes')));
    const { raw, distance } = model.analysis;
    const ephemeron = new WeakMapEdgeNames(raw.strings).ephemeronFlags();
    // A WeakMap's table: a reached node with an internal edge named like a WeakMap entry.
    let table = -1;
    for (let n = 0; n < raw.nodeCount && table < 0; n++) {
      if (distance[n] <= 1 || n === raw.rootOrdinal) continue;
      for (let e = raw.firstEdge[n]; e < raw.firstEdge[n + 1]; e++)
        if (raw.edgeType[e] === raw.layout.edgeType.internal && ephemeron[raw.edgeName[e]] === 2) table = n;
    }
    assert.ok(table >= 0, 'the fixture has a WeakMap entry');
    const other = [...Array(raw.nodeCount).keys()].find((n) => distance[n] > 3 && n !== table)!;
    const view = new RetainersView(model);
    view.ignore(raw.nodeId[other]);
    view.ignore(raw.nodeId[table]);
    assert.ok(view.lastRecomputeFull, 'ignoring the table');
    assert.equal(firstDifference(model, view), -1);
    view.unignore(raw.nodeId[table]);
    assert.ok(view.lastRecomputeFull, 'putting the table back');
    assert.equal(firstDifference(model, view), -1);
  });
});
