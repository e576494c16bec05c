// Our class summary against Chrome DevTools' own engine: expected values were produced by running
// chrome-devtools-frontend's HeapSnapshot.ts on the same fixtures (see test/fixtures/heap/regenerate.sh).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HeapSnapshotModel, HeapSnapshotParser, loadHeapSnapshot } from '../../src/core/heap';
import { analyzeHeap } from '../../src/core/heap/analyze/analysis';
import { CLOSURE_CLASS_KEY } from '../../src/core/heap/analyze/classes';
import path from 'node:path';
import { createRequire } from 'node:module';

/** Loads a CommonJS fixture module (the graph maker is shared with scripts that run it directly). */
const loadCjs = createRequire(__filename);
import { expected, FIXTURES, fixtureBytes, tempSnapshot, toSixFieldLayout } from './fixtures';

const cases: { name: string; fixture: string; bytes: () => Buffer }[] = [
  { name: '7-field snapshot', fixture: 'shapes', bytes: () => fixtureBytes('shapes') },
  { name: '6-field snapshot', fixture: 'shapes6', bytes: () => toSixFieldLayout(fixtureBytes('shapes')) },
  { name: 'leak program, final snapshot', fixture: 'leak-final', bytes: () => fixtureBytes('leak-final') },
  {
    // Hand-made graph: weak-only reachability, an unreachable cycle, a WeakMap ephemeron pair, folding, shapes.
    name: 'hand-made graph with the tricky cases',
    fixture: 'graph',
    bytes: () =>
      Buffer.from((loadCjs(path.join(FIXTURES, 'graph-maker.cjs')) as { snapshotText: string }).snapshotText),
  },
];

describe('class summary equals DevTools', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const want = expected(c.fixture);
      const model = await loadHeapSnapshot(tempSnapshot(c.bytes()));
      const stats = model.stats();
      assert.equal(stats.nodeCount, want.nodeCount);
      assert.equal(stats.edgeCount, want.edgeCount);
      assert.equal(stats.totalSize, want.totalSelfSize);
      const ours = new Map(model.classes().map((r) => [r.key, r]));
      // DevTools shows only one of two classes whose keys collide (closures vs. objects named Function) and drops the
      // other; we keep closures at ",Function" and those objects at "object,Function". Compare those as a pair.
      const dropped = new Map(want.droppedByClassKeyCollision.map((d) => [d.publicKey, d]));
      const numbers = (r: { count: number; selfSize: number; retainedSize: number; distance: number }) =>
        `${r.count}/${r.selfSize}/${r.retainedSize}/${r.distance}`;
      let compared = 0;
      for (const w of want.classes) {
        const d = dropped.get(w.key);
        if (d) {
          const theirs = [w, d]
            .map((x) => numbers({ count: x.count, selfSize: x.self, retainedSize: x.retained, distance: x.distance }))
            .sort();
          const mine = [ours.get(w.key), ours.get(`object${w.key}`)].map((r) => (r ? numbers(r) : 'missing')).sort();
          assert.deepEqual(mine, theirs, `collided key ${w.key}`);
          compared += 2;
          continue;
        }
        const r = ours.get(w.key);
        assert.ok(r, `missing class ${w.key}`);
        assert.equal(r.name, w.name);
        assert.equal(r.count, w.count, `count of ${w.key}`);
        assert.equal(r.selfSize, w.self, `self size of ${w.key}`);
        assert.equal(r.distance, w.distance, `distance of ${w.key}`);
        assert.ok(
          Math.abs(r.retainedSize - w.retained) <= 0.005 * w.retained,
          `retained size of ${w.key}: ${r.retainedSize} vs ${w.retained}`,
        );
        compared++;
      }
      assert.equal(model.classes().length, compared, 'no extra classes');
    });
  }

  it('gives the same summary when everything runs on one thread (no shared memory)', async () => {
    const threaded = await loadHeapSnapshot(tempSnapshot(fixtureBytes('shapes')));
    const raw = HeapSnapshotParser.parseBuffer(fixtureBytes('shapes'));
    // Plain (non-shared) arrays make the dominator job fall back to the calling thread.
    raw.firstEdge = Uint32Array.from(raw.firstEdge);
    raw.edgeTo = Uint32Array.from(raw.edgeTo);
    const single = new HeapSnapshotModel(await analyzeHeap(raw));
    assert.deepEqual(single.classes(), threaded.classes());
  });

  it('keeps closures and a class named Function apart, and same-named classes at different locations apart', async () => {
    const model = await loadHeapSnapshot(tempSnapshot(fixtureBytes('shapes')));
    const rows = model.classes();
    const functions = rows.filter((r) => r.name === 'Function');
    assert.ok(
      functions.some((r) => r.key === CLOSURE_CLASS_KEY && r.count > 1000),
      'closures row',
    );
    assert.ok(
      functions.some((r) => r.key === 'object,Function' && r.count === 20),
      'Object.create(Function.prototype) row',
    );
    assert.ok(
      functions.some((r) => /^\d+,\d+,\d+,Function$/.test(r.key) && r.count === 20),
      'class Function row',
    );
    const items = rows.filter((r) => r.name === 'Item');
    assert.equal(items.length, 2);
    assert.notEqual(items[0]!.key, items[1]!.key);
    assert.deepEqual(items.map((r) => r.count).sort(), [200, 200]);
    assert.ok(rows.some((r) => r.name === '<img/src=x/onerror=alert(1)>'));
    assert.ok(rows.some((r) => r.name === '{sku, qty, price}' || r.name === 'Order'));
    // Smi-valued x and y have no edges in the snapshot, so the shape is named after `label` only.
    assert.ok(
      rows.some((r) => r.name === '{label}' && r.count >= 400),
      'plain objects get shape classes',
    );
  });
});
