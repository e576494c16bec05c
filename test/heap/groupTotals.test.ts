// A filtered Summary's retained sizes: a sparse filter sums up each marked node's dominator chain instead of walking
// the whole dominator tree; both, and a chain walk given up half-way, must give the same totals.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadHeapSnapshot } from '../../src/core/heap';
import { groupTotals } from '../../src/core/heap/query/filteredSummary';
import { fixtureBytes, tempSnapshot } from './fixtures';
import { random } from './randomGraphs';

describe('groupTotals on a sparse mask', () => {
  it('equals the whole-tree walk, with nested marked nodes counted once, also when the chain walk gives up', async () => {
    const model = await loadHeapSnapshot(tempSnapshot(fixtureBytes('leak-final')));
    const { analysis } = model;
    const { raw, tree, classes } = analysis;
    const n = raw.nodeCount;
    for (const seed of [1, 2, 3]) {
      const rand = random(seed);
      // Random nodes and their dominators: nested pairs, in one group below and often in one class.
      const mask = new Uint8Array(n);
      for (let i = 0; i < n; i++)
        if (rand() < 0.015) {
          mask[i] = 1;
          mask[tree.dominator[i]] = 1;
        }
      let eligible = 0;
      let memberSum = 0;
      for (let i = 0; i < n; i++)
        if (mask[i] && raw.nodeSelfSize[i]) {
          eligible++;
          memberSum += tree.retainedSize[i];
        }
      assert.ok(eligible * 16 < n, `sparse enough to take the chain walk (${eligible} of ${n})`);
      const oneGroup = new Int32Array(n);
      for (const [groupOf, groupCount] of [
        [oneGroup, 1],
        [classes.classOf, classes.names.length],
      ] as const) {
        const whole = groupTotals(analysis, groupOf, groupCount, mask, 0);
        const chains = groupTotals(analysis, groupOf, groupCount, mask, Infinity);
        const givenUp = groupTotals(analysis, groupOf, groupCount, mask, Math.floor(eligible / 2));
        assert.deepEqual(chains, whole, `seed ${seed}: chain walk vs whole tree`);
        assert.deepEqual(givenUp, whole, `seed ${seed}: a chain walk given up half-way`);
        if (groupCount === 1) assert.ok(whole.retainedSize[0] < memberSum, 'nested members were left out of the sum');
      }
    }
  });
});
