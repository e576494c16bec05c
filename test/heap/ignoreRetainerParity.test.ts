// "Ignore this retainer" against Chrome DevTools' own engine (issue 13): on the committed leak-final snapshot, the
// same ignore / ignore / restore steps as test/fixtures/heap/ignore-oracle.ts ran through DevTools'
// ignoreNodeInRetainersView, and after each step every node whose distance for the retainers view differs from its
// snapshot distance — unreachable ones at DevTools' baseUnreachableDistance + their old distance — must be the same
// nodes with the same distances. Expected values: `npm run fixtures:heap` (leak-final.ignore.expected.json).
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HeapSnapshotModel, loadHeapSnapshot } from '../../src/core/heap';
import { RetainersView } from '../../src/core/heap/query/retainersView';
import { FIXTURES, fixtureBytes, tempSnapshot } from './fixtures';

interface Step {
  ignored: number[];
  changed: Array<[number, number]>;
}
const want = JSON.parse(readFileSync(path.join(FIXTURES, 'leak-final.ignore.expected.json'), 'utf8')) as {
  steps: Step[];
};

describe('ignore this retainer: distances equal DevTools (leak-final snapshot)', () => {
  let model: HeapSnapshotModel;
  let view: RetainersView;
  before(async () => {
    model = await loadHeapSnapshot(tempSnapshot(fixtureBytes('leak-final')));
    view = new RetainersView(model);
  });

  const changed = (): Array<[number, number]> => {
    const { raw, distance } = model.analysis;
    const out: Array<[number, number]> = [];
    for (let n = 0; n < raw.nodeCount; n++) {
      const d = view.distanceOf(n);
      if (d !== distance[n]) out.push([raw.nodeId[n], d]);
    }
    return out.sort((a, b) => a[0] - b[0]);
  };

  it('has DevTools steps that change distances (the fixture is meaningful)', () => {
    assert.equal(want.steps.length, 3);
    for (const s of want.steps) assert.ok(s.changed.length > 10, `${s.ignored}: ${s.changed.length} changed`);
  });

  it('ignore the object holding `registry` (globalThis.app): same nodes, same distances', () => {
    view.ignore(want.steps[0].ignored[0]);
    assert.deepEqual(view.ignoredIds(), want.steps[0].ignored);
    assert.deepEqual(changed(), want.steps[0].changed);
  });

  it('ignore also the context holding `registry`: same nodes, same distances', () => {
    view.ignore(want.steps[1].ignored[1]);
    assert.deepEqual(view.ignoredIds(), want.steps[1].ignored);
    assert.deepEqual(changed(), want.steps[1].changed);
  });

  it('restore the first: same nodes, same distances', () => {
    view.unignore(want.steps[0].ignored[0]);
    assert.deepEqual(view.ignoredIds(), want.steps[2].ignored);
    assert.deepEqual(changed(), want.steps[2].changed);
  });
});
