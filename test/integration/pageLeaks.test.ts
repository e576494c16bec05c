// Leak detection on browser pages (issue 15) in headless Chromium: `memmon attach --detect-leaks` on a page's own
// CDP WebSocket. The post-GC DOM node count is the `dom` leak metric; a page that keeps its removed rows must be
// flagged with the JavaScript that keeps them (and its line in the page), one that drops them must not. The DOM
// threshold (`--dom-nodes-threshold`) raises warning and critical alerts on the raw count.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { noChromium, withPage } from '../helpers/chromium';
import { jsonLines, runCli, startCli } from '../helpers/cli';

const PAGES = path.resolve(__dirname, '../fixtures/pages');

/** The 1-based line of the first line of a fixture page that contains `text`. */
function lineOf(page: string, text: string): number {
  const lines = readFileSync(path.join(PAGES, page), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${text} in ${page}`);
  return i + 1;
}

describe('leak detection on browser pages', { skip: noChromium }, () => {
  it('detached rows kept in an array: a `dom` verdict naming `removed` and its line; DOM threshold alerts', async () => {
    await withPage('detached-list.html', async (ws) => {
      const started = Date.now();
      const cli = startCli(
        ['attach', '--json', '--detect-leaks', '--dom-nodes-threshold', '10000', '--duration', '80', ws],
        { timeoutMs: 90_000 },
      );
      // The first `dom` line may come before the retainer snapshots: wait for one that names what keeps the nodes.
      await cli.waitForOutput(
        (o) => jsonLines(o.stdout).find((l) => l.type === 'leak' && l.metric === 'dom' && l.retainers.length > 0),
        'a dom leak line with retainers',
        85_000,
      );
      cli.kill('SIGINT');
      const r = await cli.done;
      const lines = jsonLines(r.stdout);

      const leaks = lines.filter((l) => l.type === 'leak' && l.metric === 'dom');
      const first = leaks[0];
      assert.ok(first.t - started <= 60_000, `first dom verdict after ${first.t - started} ms`);
      // 50 rows of <li> + text every 200 ms, 100 of them in the document: ~500 nodes/s stay behind.
      assert.ok(first.rateNodesPerSec >= 150 && first.rateNodesPerSec <= 1000, `rate ${first.rateNodesPerSec}/s`);
      assert.equal(first.rateBytesPerSec, first.rateNodesPerSec);
      assert.deepEqual(first.forecast, { criticalInSec: null, emergencyInSec: null, heapLimitInSec: null });
      assert.ok(
        lines.some((l) => l.type === 'alert' && l.level === 'leak' && l.metric === 'dom'),
        'a leak alert for dom',
      );

      const named = leaks.find((l) => l.retainers.length > 0);
      const top = named.retainers[0];
      assert.equal(top.path, 'removed (Array)');
      assert.equal(top.kind, 'detached-dom');
      assert.ok(top.count >= 1000, `${top.count} detached nodes`);
      assert.ok(top.retainedBytes > 0);
      assert.ok(top.file.endsWith('/detached-list.html'), top.file);
      assert.equal(top.line, lineOf('detached-list.html', 'removed.push('));

      // Threshold 10000: warning above 8000 nodes, then critical above 10000, each raised once.
      const domAlerts = lines.filter((l) => l.type === 'alert' && l.metric === 'dom' && l.level !== 'leak');
      assert.deepEqual(
        domAlerts.map((a) => [a.level, a.limit]),
        [
          ['warning', 8000],
          ['critical', 10000],
        ],
      );
      for (const a of domAlerts) assert.ok(a.value > a.limit, `${a.value} > ${a.limit}`);
      const summary = lines.find((l) => l.type === 'summary');
      assert.equal(summary.thresholds.domNodesThreshold, 10000);
    });
  });

  it('a page that churns its DOM but keeps none: no verdict, from enough baselines to judge', async () => {
    await withPage('churn-list.html', async (ws) => {
      const r = await runCli(['attach', '--json', '--detect-leaks', '--duration', '50', ws], { timeoutMs: 80_000 });
      assert.equal(r.code, 0, r.stderr);
      const lines = jsonLines(r.stdout);
      const samples = lines.filter((l) => l.type === 'sample' && l.dom);
      // Rows come and go: the raw count moves between GCs, so the page really churns.
      const counts = samples.map((s) => s.dom.nodes);
      assert.ok(
        Math.max(...counts) - Math.min(...counts) >= 500,
        `DOM nodes ${Math.min(...counts)}..${Math.max(...counts)}`,
      );
      assert.deepEqual(
        lines.filter((l) => l.type === 'leak' || (l.type === 'alert' && l.metric === 'dom')),
        [],
      );
      const proc = lines.find((l) => l.type === 'summary').leaks.processes[0];
      assert.ok(proc.baselines >= 5, `${proc.baselines} post-GC baselines`);
      assert.equal(proc.verdicts.length, 0);
    });
  });
});
