// The Comparison view against Chrome DevTools' own engine (issue 13): per class #New, #Deleted, #Delta, Alloc. size,
// Freed size and Size delta (diffSnapshots, `memmon diff A B --json`: addedCount, removedCount, countDelta,
// addedSize, removedSize, sizeDelta) must equal what DevTools' calculateSnapshotDiff computes for the same pair, for
// every class, with no class missing or extra. Expected values: `npm run fixtures:heap`
// (test/fixtures/heap/compare-oracle.ts; *.compare.expected.json and compare.expected.json).
//
// Class keys: DevTools publishes "," + name for a class without a constructor location and "script,line,column,name"
// for objects with one; ours are the same strings (assignClasses), so rows are matched by key. The one place the two
// differ is DevTools' class-key collision (closures and objects named "Function" share ",Function" and one of the
// two classes is dropped; we key the objects "object,Function", see devtoolsParity.test.ts): there DevTools' row
// would mix two classes, so each pair asserts that the oracle found no colliding keys in either snapshot.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { diffSnapshots, HeapSnapshotModel, loadHeapSnapshot, type ClassDiffRow } from '../../src/core/heap';
import { FIXTURES, fixtureBytes, tempSnapshot } from './fixtures';

const COLUMNS = ['addedCount', 'removedCount', 'countDelta', 'addedSize', 'removedSize', 'sizeDelta'] as const;

interface ExpectedComparison {
  base: string;
  target: string;
  /** The target's inferred shape classes (DevTools' interfaceDefinitions), in priority order. */
  interfaceDefinitions: string[];
  collidingClassKeys: { base: string[]; target: string[] };
  classes: Array<Pick<ClassDiffRow, 'key' | 'name' | (typeof COLUMNS)[number]>>;
}

/** Loads a CommonJS fixture module (the hand-made pair's maker also runs standalone for regenerate.sh). */
const loadCjs = createRequire(__filename);
const handMade = () => loadCjs(path.join(FIXTURES, 'compare-maker.cjs')) as { baseText: string; targetText: string };

const pairs: Array<{ name: string; expected: string; base: () => Buffer | string; target: () => Buffer | string }> = [
  {
    // Shapes named in one snapshot only, a plain object that gained a property, size folding in one snapshot only,
    // same-named classes at two locations, a new embedder object with a low id, an unreachable object.
    name: 'hand-made pair with the tricky cases',
    expected: 'compare',
    base: () => handMade().baseText,
    target: () => handMade().targetText,
  },
  {
    name: 'leak program: baseline → target (200 Sessions and 300 TempThings allocated)',
    expected: 'leak-target.compare',
    base: () => fixtureBytes('leak-baseline'),
    target: () => fixtureBytes('leak-target'),
  },
  {
    name: 'leak program: target → final (the TempThings released)',
    expected: 'leak-final.compare',
    base: () => fixtureBytes('leak-target'),
    target: () => fixtureBytes('leak-final'),
  },
];

for (const pair of pairs) {
  describe(`comparison equals DevTools: ${pair.name}`, () => {
    const want = JSON.parse(
      readFileSync(path.join(FIXTURES, `${pair.expected}.expected.json`), 'utf8'),
    ) as ExpectedComparison;
    let base: HeapSnapshotModel;
    let target: HeapSnapshotModel;
    before(async () => {
      base = await loadHeapSnapshot(tempSnapshot(pair.base(), 'base.heapsnapshot'));
      target = await loadHeapSnapshot(tempSnapshot(pair.target(), 'target.heapsnapshot'));
    });

    it('has a meaningful expectation: classes changed, no DevTools class-key collision', () => {
      assert.ok(want.classes.length >= 5, `${want.classes.length} classes`);
      assert.deepEqual(want.collidingClassKeys, { base: [], target: [] });
    });

    it("infers the target's shape classes as DevTools does", () => {
      assert.deepEqual(
        target.analysis.classes.shapes.map((d) => d.name),
        want.interfaceDefinitions,
      );
    });

    it('has the same classes with the same six columns', () => {
      const diff = diffSnapshots(base, target);
      assert.equal(diff.idsComparable, true);
      assert.deepEqual(diff.warnings, []);
      const ours = new Map(diff.classes.map((r) => [r.key, r]));
      for (const w of want.classes) {
        const r = ours.get(w.key);
        assert.ok(r, `missing class ${w.key}`);
        assert.equal(r.name, w.name, `name of ${w.key}`);
        for (const c of COLUMNS) assert.equal(r[c], w[c], `${c} of ${w.key}`);
      }
      assert.deepEqual(
        diff.classes.map((r) => r.key).sort(),
        want.classes.map((w) => w.key).sort(),
        'no extra classes',
      );
      // The totals are the sums over the classes.
      const sum = (c: (typeof COLUMNS)[number]) => want.classes.reduce((s, w) => s + w[c], 0);
      assert.equal(diff.addedCount, sum('addedCount'));
      assert.equal(diff.removedCount, sum('removedCount'));
      assert.equal(diff.addedSize, sum('addedSize'));
      assert.equal(diff.removedSize, sum('removedSize'));
    });
  });
}

describe('comparison: the base is classified by the target’s shapes, as DevTools does', () => {
  it('names a plain object by a shape popular in only one of the two snapshots the same in both', async () => {
    const { baseText, targetText } = handMade();
    const base = await loadHeapSnapshot(tempSnapshot(baseText, 'base.heapsnapshot'));
    const target = await loadHeapSnapshot(tempSnapshot(targetText, 'target.heapsnapshot'));
    // On its own the base names {gamma, delta} (3 objects) but not {alpha, beta} (1); the target the reverse.
    const own = base.analysis.classes.shapes.map((d) => d.name);
    assert.ok(own.includes('{gamma, delta}') && !own.includes('{alpha, beta}'), own.join(' '));
    const rows = new Map(diffSnapshots(base, target).classes.map((r) => [r.key, r]));
    // @301 {alpha, beta} is in both: not new. The two {gamma, delta} objects that went were "Object"s to DevTools.
    assert.equal(rows.get(',{alpha, beta}')?.addedCount, 2);
    assert.equal(rows.has(',{gamma, delta}'), false);
    assert.deepEqual(
      COLUMNS.map((c) => rows.get(',Object')?.[c]),
      [0, 2, -2, 0, 24, -24],
    );
  });
});
