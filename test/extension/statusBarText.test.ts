import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  accessibilityLabel,
  escapeMarkdown,
  statusText,
  tooltipMarkdown,
  trendOf,
} from '../../src/extension/statusBar/statusBarText';

const s = (t: number, heapUsed: number) => ({ t, heapUsed, heapTotal: heapUsed * 2, rss: 240e6, external: 1e6 });

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
  it('is flat for noise and for too few samples', () => {
    assert.equal(trendOf([s(0, 100e6), s(1, 100.1e6)]), 'flat');
    const noisy = Array.from({ length: 10 }, (_, i) => s(i, 100e6 + (i % 2) * 100e3));
    assert.equal(trendOf(noisy), 'flat');
  });

  it('detects rising and falling heaps', () => {
    assert.equal(trendOf(Array.from({ length: 10 }, (_, i) => s(i, 100e6 + i * 2e6))), 'up');
    assert.equal(trendOf(Array.from({ length: 10 }, (_, i) => s(i, 100e6 - i * 2e6))), 'down');
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
