import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { noChromium, servePages, startChromium } from '../helpers/chromium';
import { jsonLines, runCli } from '../helpers/cli';

test(
  'memmon attach to a Chromium page: samples carry DOM counters, RSS is absent (null), not 0',
  { skip: noChromium },
  async () => {
    const pages = await servePages();
    const browser = await startChromium(`${pages.url}/detached-list.html`);
    try {
      const r = await runCli(
        ['attach', '--json', '--interval', '0.5', '--duration', '6', `127.0.0.1:${browser.port}`],
        {
          timeoutMs: 60_000,
        },
      );
      assert.equal(r.code, 0, r.stderr);
      const samples = jsonLines(r.stdout).filter((l) => l.type === 'sample');
      assert.ok(samples.length >= 5, `${samples.length} samples`);
      const withDom = samples.filter((s) => s.dom);
      assert.ok(withDom.length >= samples.length - 1, 'every sample after the first reading has dom');
      for (const s of withDom) {
        assert.deepEqual(Object.keys(s.dom).sort(), ['documents', 'listeners', 'nodes']);
        assert.ok(s.dom.documents >= 1 && s.dom.nodes > 0 && s.dom.listeners >= 0);
        assert.equal(s.rss, null);
        assert.equal(s.pid, null);
      }
      // Removed rows are kept in an array: the DOM node and listener counts only grow.
      assert.ok(withDom.at(-1)!.dom.nodes > withDom[0]!.dom.nodes + 500, 'detached rows pile up');
      assert.ok(withDom.at(-1)!.dom.listeners > withDom[0]!.dom.listeners + 100);

      const g = await runCli(['gc', '--json', '--test-cycle', `127.0.0.1:${browser.port}`]);
      assert.equal(g.code, 0, g.stderr);
      assert.equal(jsonLines(g.stdout).find((l) => l.type === 'gc').testCycle.collected, true);

      // Detached DOM in a page's heap snapshot: the removed rows show as "Detached <li>" with their listeners.
      const dir = mkdtempSync(path.join(os.tmpdir(), 'memmon-page-'));
      const file = path.join(dir, 'page.heapsnapshot');
      const snap = await runCli(['snapshot', `127.0.0.1:${browser.port}`, '-o', file], { timeoutMs: 60_000 });
      assert.equal(snap.code, 0, snap.stderr);
      const a = await runCli(['analyze', file, '--json', '--top', '0'], { timeoutMs: 60_000 });
      assert.equal(a.code, 0, a.stderr);
      const classes = (JSON.parse(a.stdout) as { classes: { name: string; count: number }[] }).classes;
      const detached = classes.find((c) => c.name === 'Detached <li>');
      assert.ok(detached && detached.count >= 100, `Detached <li>: ${detached?.count}`);
      rmSync(dir, { recursive: true, force: true });
    } finally {
      await browser.kill();
      pages.close();
    }
  },
);
