import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diffSnapshots, findLeaks, HeapSnapshotModel, loadHeapSnapshot } from '../../src/core/heap';
import { fixtureBytes, tempSnapshot } from './fixtures';

describe('comparing snapshots (leak-app fixture: 200 Sessions leak, 300 TempThings are released)', () => {
  let baseline: HeapSnapshotModel;
  let target: HeapSnapshotModel;
  let final: HeapSnapshotModel;
  before(async () => {
    [baseline, target, final] = await Promise.all(
      ['leak-baseline', 'leak-target', 'leak-final'].map((f) => loadHeapSnapshot(tempSnapshot(fixtureBytes(f)))),
    );
  });

  it('diffs two snapshots per class by node id', () => {
    const diff = diffSnapshots(baseline, target);
    const session = diff.classes.find((r) => r.name === 'Session')!;
    assert.equal(session.addedCount, 200);
    assert.equal(session.removedCount, 0);
    assert.equal(session.countDelta, 200);
    assert.equal(session.countBefore, 0);
    assert.equal(session.countAfter, 200);
    const temp = diff.classes.find((r) => r.name === 'TempThing')!;
    assert.equal(temp.addedCount, 300);
    assert.ok(diff.addedCount >= 500);
    const back = diffSnapshots(target, final).classes.find((r) => r.name === 'TempThing')!;
    assert.equal(back.removedCount, 300);
    assert.equal(back.countDelta, -300);
    assert.ok(back.sizeDelta < 0);
  });

  it('finds leaks with memlab semantics: new in target, still alive in final', () => {
    const report = findLeaks(baseline, target, final);
    const sessions = report.byClass.find((r) => r.name === 'Session');
    assert.ok(sessions, 'Session leaks');
    assert.equal(sessions.count, 200);
    assert.ok(!report.byClass.some((r) => r.name === 'TempThing'), 'released objects are not leaks');
    const group = report.groups.find((g) => g.name === 'Session')!;
    assert.ok(
      group.retainerPath.some((step) => step.startsWith('Map.')),
      `retained through the Map: ${group.retainerPath.join(' → ')}`,
    );
    assert.ok(group.sampleIds.length > 0);
    for (let i = 1; i < report.groups.length; i++)
      assert.ok(report.groups[i - 1]!.retainedSize >= report.groups[i]!.retainedSize);
    assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
  });
});
