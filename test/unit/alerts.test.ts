import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertTracker, levelBoundaries, nextLevel } from '../../src/core/alerts/alertTracker';
import { MemorySample } from '../../src/core/types';
import { memorySample } from '../helpers/samples';

const MB = 1e6;
const t = { threshold: 1000 * MB, alertThreshold: 2000 * MB };
const sample = (rssMb: number, heapMb = 10, tMs = 0): MemorySample =>
  memorySample({ t: tMs, heapUsed: heapMb * MB, heapTotal: 2 * heapMb * MB, rss: rssMb * MB });

test('levels follow the seed: warning above 80 %, critical above threshold, emergency above alert threshold', () => {
  const b = levelBoundaries(t);
  assert.equal(b.warning, 800 * MB);
  const table: [number, string][] = [
    [799, 'normal'],
    [801, 'warning'],
    [1000, 'warning'],
    [1001, 'critical'],
    [2000, 'critical'],
    [2001, 'emergency'],
  ];
  for (const [mbValue, level] of table) assert.equal(nextLevel(mbValue * MB, 'normal', t), level, `${mbValue} MB`);
});

test('hysteresis: a value hovering at a boundary does not flap', () => {
  const tracker = new AlertTracker(t);
  const values = [801, 799, 802, 765, 801, 750, 801];
  const raised = values.flatMap((v, i) => tracker.update(sample(v, 10, i)));
  // Raised once at 801; 799/765 stay within 5 % of 800, so no clear; 750 clears; 801 raises again.
  assert.deepEqual(
    raised.map((a) => [a.level, a.metric, a.t]),
    [
      ['warning', 'rss', 0],
      ['warning', 'rss', 6],
    ],
  );
  assert.equal(tracker.history.filter((h) => 'cleared' in h).length, 1);
});

test('heap and RSS are tracked separately; jumping straight to emergency raises one alert', () => {
  const tracker = new AlertTracker(t);
  const a = tracker.update(sample(2500, 900));
  assert.deepEqual(
    a.map((x) => [x.metric, x.level, x.limit]),
    [
      ['rss', 'emergency', 2000 * MB],
      ['heap', 'warning', 800 * MB],
    ],
  );
  assert.equal(tracker.overall, 'emergency');
  assert.equal(tracker.update(sample(2600, 900)).length, 0, 'no repeat while the level holds');
});

test('stale heap readings do not change the heap level; null RSS is ignored', () => {
  const tracker = new AlertTracker(t);
  const s = { ...sample(0, 1500), rss: null, stale: ['heap' as const] };
  assert.equal(tracker.update(s).length, 0);
  assert.equal(tracker.level('heap'), 'normal');
});

test('thresholds can change at run time', () => {
  const tracker = new AlertTracker(t);
  tracker.update(sample(500));
  tracker.setThresholds({ threshold: 400 * MB, alertThreshold: 450 * MB });
  assert.deepEqual(
    tracker.update(sample(500)).map((a) => a.level),
    ['emergency'],
  );
});

test("a Worker's alerts carry its threadId, and its (process-wide) RSS is alerted on the main thread's row only", () => {
  const tracker = new AlertTracker(t);
  const raised = tracker.update({ ...sample(1500, 900), threadId: 3 });
  assert.deepEqual(
    raised.map((a) => [a.level, a.metric, a.threadId]),
    [['warning', 'heap', 3]],
  );
  const main = new AlertTracker(t).update(sample(1500, 10));
  assert.deepEqual(
    main.map((a) => [a.level, a.metric, 'threadId' in a]),
    [['critical', 'rss', false]],
  );
});
