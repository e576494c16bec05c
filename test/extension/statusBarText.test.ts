import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderLiveLine } from '../../src/cli/session/liveLine';
import { ProcessStats } from '../../src/cli/session/processStats';
import { heapTrend, TREND_ARROW } from '../../src/core/sampling/trend';
import {
  accessibilityLabel,
  escapeMarkdown,
  statusText,
  tooltipMarkdown,
} from '../../src/extension/statusBar/statusBarText';
import { memorySample, sampleView } from '../helpers/samples';

const s = (t: number, heapUsed: number) =>
  sampleView({ t, heapUsed, heapTotal: heapUsed * 2, rss: 240e6, external: 1e6 });

describe('status bar text', () => {
  it('shows heap and RSS in decimal MB/GB with a trend arrow', () => {
    assert.equal(statusText({ heapUsed: 182_400_000, rss: 240_000_000 }, 'up'), '$(pulse) 182 MB · RSS 240 MB ↗');
    assert.equal(
      statusText({ heapUsed: 1_250_000_000, rss: 2_000_000_000 }, 'down'),
      '$(pulse) 1.25 GB · RSS 2.00 GB ↘',
    );
    assert.equal(statusText({ heapUsed: 7_100_000, rss: 56_200_000 }, 'flat'), '$(pulse) 7.1 MB · RSS 56.2 MB →');
  });

  it('leaves RSS out when the target has none (browser)', () => {
    assert.equal(statusText({ heapUsed: 30e6, rss: null }, 'flat'), '$(pulse) 30.0 MB →');
  });

  it('reads values, trend and alert level out for screen readers', () => {
    const label = accessibilityLabel({ heapUsed: 182e6, rss: 240e6 }, 'up', 'critical', 'app.js');
    assert.match(label, /heap used 182 MB, resident set size 240 MB, rising, alert level critical/);
    assert.doesNotMatch(accessibilityLabel({ heapUsed: 1e6, rss: null }, 'flat', 'normal', 'x'), /alert level/);
  });
});

describe('trend', () => {
  /** n samples one second apart. */
  const at1Hz = (heap: (i: number) => number, n = 10) => Array.from({ length: n }, (_, i) => s(i * 1000, heap(i)));
  const trend = (samples: ReturnType<typeof at1Hz>) => heapTrend(samples).direction;

  it('is flat for noise and for too few samples', () => {
    assert.equal(trend([s(0, 100e6), s(1000, 100.1e6)]), 'flat');
    assert.equal(trend(at1Hz((i) => 100e6 + (i % 2) * 100e3)), 'flat');
  });

  it('detects rising and falling heaps', () => {
    assert.equal(trend(at1Hz((i) => 100e6 + i * 2e6)), 'up');
    assert.equal(trend(at1Hz((i) => 100e6 - i * 2e6)), 'down');
  });

  it('is not turned around by a garbage collection in the window', () => {
    // Growing 1 MB/s for 40 s, a GC frees 30 MB at 25 s: a least-squares fit reads it as falling
    // (-55 kB/s), the median of pairwise slopes reads 1 MB/s.
    const sawtooth = at1Hz((i) => 100e6 + i * 1e6 - (i >= 25 ? 30e6 : 0), 40);
    const { bytesPerSec, direction } = heapTrend(sawtooth);
    assert.equal(direction, 'up');
    assert.ok(Math.abs(bytesPerSec - 1e6) < 1e4, `rate ${bytesPerSec}`);
  });

  it('looks at the last minute only, at any sampling rate', () => {
    const fallThenFlat = at1Hz((i) => (i < 60 ? 500e6 - i * 5e6 : 200e6), 130);
    assert.equal(trend(fallThenFlat), 'flat');
    const fast = Array.from({ length: 6000 }, (_, i) => s(i * 50, 100e6 + i * 50 * 20)); // 20 kB/s at 20 Hz
    assert.ok(Math.abs(heapTrend(fast).bytesPerSec - 20e3) < 1, 'thinned to 120 points, same slope');
  });

  it('the CLI live line shows the arrow the status bar shows', () => {
    for (const samples of [at1Hz((i) => 100e6 + i * 2e6), at1Hz((i) => 100e6 - i * 2e6), at1Hz(() => 100e6)]) {
      const stats = new ProcessStats(1);
      for (const x of samples) stats.add(memorySample(x));
      const arrow = TREND_ARROW[heapTrend(samples).direction];
      assert.ok(statusText(samples.at(-1)!, heapTrend(samples).direction).endsWith(arrow));
      assert.ok(renderLiveLine([stats], new Map(), false).includes(`│ ${arrow} `));
    }
  });
});

describe('tooltip', () => {
  it('escapes the session name and includes the last diagnostic GC', () => {
    const md = tooltipMarkdown({
      sessionName: '[click](command:evil) <img src=x>',
      pid: 42,
      sample: s(0, 182e6),
      trend: 'up',
      level: 'warning',
      lastGc: {
        t: 1000,
        pid: 42,
        before: { heapUsed: 2e6, heapTotal: 4e6, rss: null },
        after: { heapUsed: 1e6, heapTotal: 4e6, rss: null },
        freed: 1e6,
        durationMs: 12.4,
        testCycle: { created: true, collected: true },
      },
      otherSessions: 1,
      now: 11_000,
    });
    assert.ok(!md.includes('[click](command:evil)'));
    assert.ok(!md.includes('<img'));
    assert.match(md, /\\\[click\\\]\\\(command:evil\\\)/);
    assert.match(md, /Last diagnostic GC 10 s ago: freed 1\.0 MB in 12 ms, collector verified/);
    assert.match(md, /Alert level: \*\*warning\*\*/);
    assert.match(md, /1 more monitored session\n/);
  });

  it('escapeMarkdown neutralises markdown and HTML', () => {
    assert.equal(escapeMarkdown('a*b_<c>&'), 'a\\*b\\_&lt;c&gt;&amp;');
  });
});
