// Statistics, the Summary's named filters and duplicated strings against Chrome DevTools' own engine: expected values
// were produced by running chrome-devtools-frontend's HeapSnapshot.ts on the same fixtures (regenerate.sh).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { loadHeapSnapshot } from '../../src/core/heap';
import type { ClassSummaryRow } from '../../src/core/heap';
import { NAMED_FILTERS } from '../../src/core/heap/query/namedFilters';
import { duplicateStringsIndexState } from '../../src/core/heap/query/duplicateStrings';
import { statisticsPartsComputed } from '../../src/core/heap/query/statistics';
import { expected, ExpectedClassRow, FIXTURES, fixtureBytes, tempSnapshot, toSixFieldLayout } from './fixtures';

const loadCjs = createRequire(__filename);
const cases: { fixture: string; bytes: () => Buffer }[] = [
  { fixture: 'shapes', bytes: () => fixtureBytes('shapes') },
  { fixture: 'shapes6', bytes: () => toSixFieldLayout(fixtureBytes('shapes')) },
  { fixture: 'leak-final', bytes: () => fixtureBytes('leak-final') },
  // A Chromium page (page-snapshot.ts): closed dialogs kept detached by document keydown listeners.
  { fixture: 'page', bytes: () => fixtureBytes('page') },
  {
    fixture: 'graph',
    bytes: () =>
      Buffer.from((loadCjs(path.join(FIXTURES, 'graph-maker.cjs')) as { snapshotText: string }).snapshotText),
  },
];

/** Our rows against DevTools': equal per class key (closures and objects named Function compared as a pair). */
function assertSameRows(ours: ClassSummaryRow[], theirs: ExpectedClassRow[], what: string): void {
  const text = (r: { count: number; selfSize: number; retainedSize: number; distance: number }) =>
    `${r.count}/${r.selfSize}/${r.retainedSize}/${r.distance}`;
  const mine = new Map(ours.map((r) => [r.key, r]));
  const merged = new Map<string, string[]>();
  // DevTools files objects named "Function" under the closures' key; we keep them at "object,Function".
  for (const r of ours) {
    const key = r.key === 'object,Function' ? ',Function' : r.key;
    merged.set(key, [...(merged.get(key) ?? []), text(r)]);
  }
  assert.equal(
    theirs.length,
    merged.size - (mine.has('object,Function') && !theirs.some((t) => t.key === ',Function') ? 1 : 0),
    `${what}: class count`,
  );
  for (const t of theirs) {
    const got = merged.get(t.key);
    assert.ok(got, `${what}: missing class ${t.key}`);
    const want = text({ count: t.count, selfSize: t.self, retainedSize: t.retained, distance: t.distance });
    if (got.length === 1) assert.equal(got[0], want, `${what}: ${t.key}`);
    else assert.ok(got.includes(want), `${what}: ${t.key} ${want} not in ${got.join(' ')}`);
  }
}

describe('statistics, filters and duplicated strings equal DevTools', () => {
  for (const c of cases) {
    it(c.fixture, async () => {
      const want = expected(c.fixture);
      const model = await loadHeapSnapshot(tempSnapshot(c.bytes()));
      assert.deepEqual(model.statistics(), want.statistics, 'statistics');
      for (const [ours, theirs] of Object.entries(NAMED_FILTERS)) {
        assert.ok(want.filters[theirs], `oracle output has ${theirs}`);
        assertSameRows(model.filteredClasses(ours as keyof typeof NAMED_FILTERS), want.filters[theirs], ours);
      }
      if (c.fixture === 'page') {
        // The browser-only filters have something to match on the page: its five closed dialogs.
        const detached = model.filteredClasses('retained-by-detached-dom');
        assert.equal(detached.find((r) => r.name === 'Detached <div>')?.count, 5);
        assert.ok(model.filteredClasses('retained-by-event-handlers').some((r) => r.name === 'Detached <button>'));
      }
      const dups = model.duplicateStrings();
      assert.deepEqual(
        dups.map(({ value, count, totalSelfSize, totalRetainedSize }) => ({
          value,
          count,
          totalSelfSize,
          totalRetainedSize,
        })),
        want.duplicateStrings,
        'duplicate strings, in DevTools order',
      );
      for (const d of dups) {
        assert.ok(d.count >= 2 && d.wastedBytes > 0 && d.wastedBytes < d.totalSelfSize, d.value);
      }
    });
  }
});

describe('the duplicated-strings index built in the background (analysis worker, after open)', () => {
  const strip = (dups: ReturnType<Awaited<ReturnType<typeof loadHeapSnapshot>>['duplicateStrings']>) =>
    dups.map(({ value, count, totalSelfSize, totalRetainedSize }) => ({
      value,
      count,
      totalSelfSize,
      totalRetainedSize,
    }));
  for (const fixture of ['leak-final', 'page']) {
    it(`${fixture}: finished in slices, or finished by a query that comes meanwhile, it equals DevTools`, async () => {
      const want = expected(fixture).duplicateStrings;
      const sliced = await loadHeapSnapshot(tempSnapshot(fixtureBytes(fixture)));
      let slices = 0;
      const alive = () => (slices++, true);
      await sliced.prepareInBackground(alive, 0);
      assert.ok(slices >= 2, `${slices} slices`);
      assert.deepEqual(strip(sliced.duplicateStrings()), want);

      const interrupted = await loadHeapSnapshot(tempSnapshot(fixtureBytes(fixture)));
      const background = interrupted.prepareInBackground(() => true, 0);
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(strip(interrupted.duplicateStrings()), want, 'a query finishes the pending index');
      await background;
      assert.deepEqual(strip(interrupted.duplicateStrings()), want);

      // A snapshot closed meanwhile: the background work stops; a later query still builds the index itself.
      const closed = await loadHeapSnapshot(tempSnapshot(fixtureBytes(fixture)));
      await closed.prepareInBackground(() => false);
      assert.deepEqual(strip(closed.duplicateStrings()), want);
    });

    it(`${fixture}: begun while the analysis waits for its helper thread (whileWaiting), carried on after`, async () => {
      const want = expected(fixture).duplicateStrings;
      const plain = await loadHeapSnapshot(tempSnapshot(fixtureBytes(fixture)));
      assert.equal(duplicateStringsIndexState(plain.analysis.raw), 'none', 'not begun unless asked');
      const early = await loadHeapSnapshot(tempSnapshot(fixtureBytes(fixture)), {
        whileWaiting: ['duplicated-strings'],
      });
      const afterLoad = duplicateStringsIndexState(early.analysis.raw);
      assert.notEqual(afterLoad, 'none', 'begun during the load');
      let asked = 0;
      await early.prepareInBackground(() => (asked++, true), 0);
      assert.equal(duplicateStringsIndexState(early.analysis.raw), 'built');
      if (afterLoad === 'building') assert.ok(asked > 0, "the build under way asks the open snapshot's liveness");
      assert.deepEqual(strip(early.duplicateStrings()), want);
    });

    it(`${fixture}: statistics computed while the analysis waits for its helper thread equal DevTools`, async () => {
      const plain = await loadHeapSnapshot(tempSnapshot(fixtureBytes(fixture)));
      assert.equal(statisticsPartsComputed(plain.analysis.raw), false, 'not computed unless asked');
      const early = await loadHeapSnapshot(tempSnapshot(fixtureBytes(fixture)), { whileWaiting: ['statistics'] });
      assert.equal(statisticsPartsComputed(early.analysis.raw), true, 'computed during the load');
      assert.deepEqual(early.statistics(), expected(fixture).statistics);
    });
  }
});
