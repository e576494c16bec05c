// The `dom` leak metric (a browser page's DOM node count after forced GCs) and the DOM-node alert threshold, on
// synthetic series: the trend test must flag nodes piling up and leave a churning page, a one-off step and a DOM
// that grew once and stayed alone. The real-browser counterpart is test/integration/pageLeaks.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AlertTracker } from '../../src/core/alerts/alertTracker';
import { LeakDetector } from '../../src/core/leak/detector';
import { forecastLeak } from '../../src/core/leak/forecast';
import type { LeakVerdict } from '../../src/core/leak/types';
import { memorySample } from '../helpers/samples';

const HEAP = 2_000_000;

/** Post-GC baselines every 4 s for `seconds`, DOM nodes from `nodes(s)` ± `noise`; the first `dom` verdict, if any. */
function firstDomVerdict(
  nodes: (s: number) => number,
  noise = 4,
  seconds = 120,
): { at: number; v: LeakVerdict } | null {
  const d = new LeakDetector('normal');
  let seed = 7;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  for (let s = 0; s <= seconds; s += 4) {
    d.addBaseline({
      t: s * 1000,
      heapUsed: HEAP,
      external: null,
      rss: null,
      domNodes: Math.round(nodes(s) + rand() * noise),
    });
    const v = d.evaluate().find((x) => x.metric === 'dom');
    if (v) return { at: s, v };
  }
  return null;
}

describe('the dom leak metric', () => {
  const table: Array<[string, (s: number) => number, boolean]> = [
    ['detached rows piling up at 500 nodes/s', (s) => 300 + 500 * s, true],
    ['a slow leak: one 40-node dialog kept every 4 s (10 nodes/s)', (s) => 300 + 10 * s, true],
    ['a page that churns rows but keeps none', () => 300, false],
    ['a view opened once (+2,000 nodes at 40 s), then steady', (s) => (s < 40 ? 300 : 2300), false],
    ['a DOM that grows during start-up, then stays (40 s)', (s) => 300 + 50 * Math.min(s, 40), false],
  ];
  for (const [name, nodes, leaks] of table)
    it(`${leaks ? 'flags' : 'does not flag'} ${name}`, () => {
      const hit = firstDomVerdict(nodes);
      if (!leaks) return assert.equal(hit, null, `verdict at ${hit?.at} s: ${JSON.stringify(hit?.v)}`);
      assert.ok(hit, 'a dom verdict');
      assert.ok(hit.at <= 60, `after ${hit.at} s`);
      const expected = nodes(1) - nodes(0);
      assert.ok(Math.abs(hit.v.rateBytesPerSec - expected) <= expected * 0.1, `rate ${hit.v.rateBytesPerSec}`);
    });

  it('a flat heap beside growing DOM nodes gives only the dom verdict; its forecast counts to no memory limit', () => {
    const hit = firstDomVerdict((s) => 300 + 100 * s);
    assert.ok(hit);
    const f = forecastLeak({
      metric: 'dom',
      rateBytesPerSec: hit.v.rateBytesPerSec,
      levelBytes: HEAP,
      heapBytes: HEAP,
      thresholds: { criticalBytes: 1e9, emergencyBytes: 2e9 },
      heapLimitBytes: 4e9,
    });
    assert.deepEqual(f, { criticalInSec: null, emergencyInSec: null, heapLimitInSec: null });
  });
});

describe('the DOM-node alert threshold', () => {
  const page = (t: number, nodes: number) =>
    memorySample({ t, pid: null, heapUsed: HEAP, dom: { nodes, documents: 1, listeners: 0 } });
  const thresholds = { threshold: 1e9, alertThreshold: 2e9 };

  it('is off by default: no alert however many nodes', () => {
    const tracker = new AlertTracker(thresholds);
    assert.deepEqual(
      [1000, 50_000, 1_000_000].flatMap((n, i) => tracker.update(page(i, n))),
      [],
    );
  });

  it('warns above 80 %, is critical above the threshold, never an emergency; clears with hysteresis', () => {
    const tracker = new AlertTracker({ ...thresholds, domNodes: 5000 });
    const counts = [1000, 4100, 4000, 5200, 99_000, 4000, 3700, 4100];
    const raised = counts.flatMap((n, i) => tracker.update(page(i, n)));
    assert.deepEqual(
      raised.map((a) => [a.t, a.level, a.metric, a.value, a.limit]),
      [
        [1, 'warning', 'dom', 4100, 4000],
        [4 - 1, 'critical', 'dom', 5200, 5000],
        [7, 'warning', 'dom', 4100, 4000],
      ],
    );
    assert.equal(tracker.level('dom'), 'warning');
    assert.equal(tracker.overall, 'warning');
    tracker.setThresholds(thresholds);
    assert.equal(tracker.level('dom'), 'normal', 'turning the threshold off clears its level');
  });
});
