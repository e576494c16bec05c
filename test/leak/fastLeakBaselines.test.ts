import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CostBudget, estimateForcedGcMs } from '../../src/core/leak/costBudget';
import { LeakDetector } from '../../src/core/leak/detector';

const MB = 1024 * 1024;
const T0 = 1_700_000_000_000;

/** Baselines as a 20 MB/s leak gets them: forced at attach, then V8's own full GCs at ~2× the last live size. */
const SPARSE_20MBPS: Array<[number, number]> = [
  [0.1, 5],
  [1.7, 13],
  [1.8, 29],
  [3.5, 54],
  [4.2, 66],
  [15.1, 241],
];

function detectorWith(points: Array<[number, number]>): LeakDetector {
  const d = new LeakDetector('normal');
  for (const [s, mb] of points) d.addBaseline({ t: T0 + s * 1000, heapUsed: mb * MB, external: null, rss: null });
  return d;
}

describe('LeakDetector: sparse baselines of a fast leak', () => {
  it('is not flagged before the growth has lasted the minimum duration', () => {
    assert.deepEqual(detectorWith(SPARSE_20MBPS).evaluate(), []);
  });

  it('is flagged once an upper bound shows the growth went on past the minimum duration', () => {
    const d = detectorWith(SPARSE_20MBPS);
    d.addHeapUpperBound(T0 + 22_000, 400 * MB);
    const [v] = d.evaluate();
    assert.equal(v?.metric, 'heap');
    assert.ok(v!.rateBytesPerSec > 10 * MB && v!.rateBytesPerSec < 25 * MB, String(v!.rateBytesPerSec));
  });

  it('is not flagged when the upper bound stopped rising (a warm-up that ended)', () => {
    const d = detectorWith(SPARSE_20MBPS);
    d.addHeapUpperBound(T0 + 22_000, 250 * MB);
    assert.deepEqual(d.evaluate(), []);
  });

  it('an upper bound older than the last baseline is ignored', () => {
    const d = detectorWith(SPARSE_20MBPS);
    d.addHeapUpperBound(T0 + 10_000, 900 * MB);
    assert.deepEqual(d.evaluate(), []);
  });
});

describe('CostBudget', () => {
  it('counts cumulatively, with the up-front credit, and gives profile reads their own share', () => {
    const b = new CostBudget(0.008, T0, 48);
    assert.equal(b.allows(T0, 40), true, 'a cheap first baseline at once');
    b.charge(40);
    assert.equal(b.allows(T0 + 1000, 20), false, '40 + 20 ms > 48 + 8 ms earned');
    assert.equal(b.allows(T0 + 5000, 20), true, '60 ms ≤ 48 + 40 ms');
    b.charge(200);
    assert.equal(b.allowsRead(T0 + 5000, 10, 0.5), true, 'reads are not starved by forced GCs');
    b.charge(40, true);
    assert.equal(b.allowsRead(T0 + 5000, 10, 0.5), false, '40 + 10 ms > half of 88 ms');
    assert.equal(b.spent, 280);
  });

  it('estimates a forced GC from the heap now', () => {
    assert.equal(estimateForcedGcMs(null, null), 0);
    assert.equal(Math.round(estimateForcedGcMs(null, 1024 * MB)), 1024);
    assert.equal(estimateForcedGcMs({ costMs: 10, heapBytes: 50 * MB }, 200 * MB), 40);
    assert.equal(estimateForcedGcMs({ costMs: 10, heapBytes: 50 * MB }, 20 * MB), 10, 'never below the last cost');
  });
});
