// Global variables a program added (issue 13, "What DevTools does not have"), on a snapshot written by a real Node.js
// program, and the Summary filters with their instance lists (the viewer's filter drop-down).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FilteredSummaries, loadHeapSnapshot, SUMMARY_FILTERS } from '../../src/core/heap';
import { builtinGlobalNames } from '../../src/core/heap/query/globals';
import { SUMMARY_VIEWS } from '../../src/shared/summaryViewProtocol';
import { memmonInProcess } from '../helpers/cliInProcess';
import { FIXTURES, fixtureBytes, tempSnapshot } from './fixtures';

const globalsSnapshot = (() => {
  let file: string | undefined;
  return () => {
    if (!file) {
      file = path.join(mkdtempSync(path.join(tmpdir(), 'memmon-globals-')), 'globals.heapsnapshot');
      execFileSync(process.execPath, [path.join(FIXTURES, 'globals-app.cjs'), file], { timeout: 60_000 });
    }
    return file;
  };
})();

describe('global variables', () => {
  it('lists exactly what the program added, largest retained size first, with the value of each', async () => {
    const model = await loadHeapSnapshot(globalsSnapshot());
    const globals = model.globalVariables();
    assert.deepEqual(
      globals.map((g) => [g.name, g.className]),
      [
        ['leakyCache', 'Map'],
        ['sessionRegistry', 'Array'],
        ['appConfig', 'Object'],
      ],
    );
    const [cache, registry, config] = globals;
    // 2000 entries of ~100-character strings and their objects: far more than the Map itself.
    assert.ok(cache!.retainedSize > 400_000 && cache!.retainedSize > 5 * cache!.selfSize, JSON.stringify(cache));
    // 500 arrays of 50 numbers.
    assert.ok(registry!.retainedSize > 500 * 50 * 4, JSON.stringify(registry));
    assert.ok(config!.selfSize > 0 && config!.retainedSize >= config!.selfSize);
    const node = model.nodeDetails(cache!.id);
    assert.equal(node?.className, 'Map');
    assert.equal(node?.retainedSize, cache!.retainedSize);
  });

  it('leaves out built-in globals, accessors and symbols; the fixtures add one global each', async () => {
    for (const [fixture, name] of [
      ['leak-final', 'app'],
      ['shapes', 'fixture'],
    ]) {
      const model = await loadHeapSnapshot(tempSnapshot(fixtureBytes(fixture!)));
      assert.deepEqual(
        model.globalVariables().map((g) => g.name),
        [name],
      );
    }
    for (const builtin of ['process', 'console', 'Buffer', 'fetch', 'navigator', 'fs', 'require']) {
      assert.ok(builtinGlobalNames().has(builtin), builtin);
    }
  });

  it('memmon analyze --json --globals adds "globals" with name, id, retainedSize, selfSize, className', async () => {
    const { code, stdout, stderr } = await memmonInProcess('analyze', globalsSnapshot(), '--json', '--globals');
    assert.equal(code, 0, stderr);
    const doc = JSON.parse(stdout);
    assert.deepEqual(Object.keys(doc.globals[0]), ['name', 'id', 'retainedSize', 'selfSize', 'className']);
    assert.deepEqual(
      doc.globals.map((g: { name: string }) => g.name),
      ['leakyCache', 'sessionRegistry', 'appConfig'],
    );
    const text = await memmonInProcess('analyze', globalsSnapshot(), '--globals');
    assert.match(text.stdout, /Global variable\s+Value\s+Self size\s+Retained\n+leakyCache\s+Map @\d+/);
  });
});

describe('filtered Summary with instances (the viewer drop-down)', () => {
  it('offers every filter of memmon analyze --filter, plus "all"', () => {
    assert.deepEqual(new Set(SUMMARY_VIEWS), new Set(['all', ...SUMMARY_FILTERS]));
  });

  it('each named filter: instances of every class add up to its row and all pass the filter', async () => {
    const model = await loadHeapSnapshot(tempSnapshot(fixtureBytes('leak-final')));
    const summaries = new FilteredSummaries(model);
    for (const filter of ['duplicated-strings', 'retained-by-contexts', 'retained-by-module-cache'] as const) {
      const rows = summaries.classes(filter);
      assert.deepEqual(rows, model.filteredClasses(filter), filter);
      assert.ok(rows.length > 0, filter);
      for (const row of rows.slice(0, 5)) {
        const page = summaries.classInstances(filter, row.key, { limit: 10_000 });
        assert.equal(page.total, row.count, `${filter} ${row.name}`);
        assert.equal(
          page.items.reduce((s, n) => s + n.selfSize, 0),
          row.selfSize,
          `${filter} ${row.name} self sizes`,
        );
      }
    }
  });

  it('allocated before / between another snapshot of the same process split its objects at that snapshot', async () => {
    const [baseline, final] = await Promise.all(
      ['leak-baseline', 'leak-final'].map((f) => loadHeapSnapshot(tempSnapshot(fixtureBytes(f)))),
    );
    const summaries = new FilteredSummaries(final!);
    const between = summaries.classes('allocated-between', baseline);
    const before = summaries.classes('allocated-before', baseline);
    assert.deepEqual(between, final!.allocatedSince(baseline!));
    // The action after the baseline leaked 200 Session objects; none existed before.
    assert.equal(between.find((r) => r.name === 'Session')?.count, 200);
    assert.equal(
      before.find((r) => r.name === 'Session'),
      undefined,
    );
    assert.ok(before.find((r) => r.name === 'Map'));
    const all = new Map(final!.classes().map((r) => [r.key, r.count]));
    for (const r of between) {
      const b = before.find((x) => x.key === r.key)?.count ?? 0;
      assert.ok(r.count + b <= all.get(r.key)!, r.name);
    }
    assert.throws(() => summaries.classes('allocated-between'), /needs another snapshot/);
  });
});
