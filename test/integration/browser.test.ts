import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { noChromium, servePages, startChromium } from '../helpers/chromium';
import { jsonLines, runCli } from '../helpers/cli';
import { InspectorConnection } from '../../src/core/inspector/connection';

test(
  "memmon attach to a Chromium page: samples carry DOM counters and its renderer's RSS; pid is null",
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
        // The page's renderer process (a page has no pid of its own): never 0.
        assert.ok(s.rss === null || s.rss > 10 * 1024 * 1024, `rss ${s.rss}`);
        assert.equal(s.pid, null);
      }
      // Removed rows are kept in an array: the DOM node and listener counts only grow.
      assert.ok(withDom.filter((s) => s.rss !== null).length >= withDom.length - 1, 'renderer RSS in every sample');
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

test(
  "two pages of two sites, two renderers: each page's samples carry its own renderer's RSS",
  { skip: noChromium },
  async () => {
    const pages = await servePages();
    // 127.0.0.1 and localhost are different sites: Chromium runs them in different renderer processes.
    const browser = await startChromium(`${pages.url}/big-heap.html`);
    try {
      const version = (await (await fetch(`http://127.0.0.1:${browser.port}/json/version`)).json()) as {
        webSocketDebuggerUrl: string;
      };
      const other = await InspectorConnection.connect(version.webSocketDebuggerUrl);
      await other.send('Target.createTarget', { url: `${pages.url.replace('127.0.0.1', 'localhost')}/idle.html` });
      await other.close();
      await new Promise((r) => setTimeout(r, 2000));
      const targets = (await (await fetch(`http://127.0.0.1:${browser.port}/json/list`)).json()) as {
        type: string;
        url: string;
        webSocketDebuggerUrl: string;
      }[];
      const rssOf = async (name: string) => {
        const t = targets.find((x) => x.type === 'page' && x.url.endsWith(name));
        assert.ok(t, `${name} in ${targets.map((x) => x.url).join(', ')}`);
        const r = await runCli(['attach', '--json', '--interval', '0.5', '--duration', '3', t.webSocketDebuggerUrl], {
          timeoutMs: 60_000,
        });
        assert.equal(r.code, 0, r.stderr);
        const rss = jsonLines(r.stdout)
          .filter((l) => l.type === 'sample')
          .map((l) => l.rss as number | null);
        assert.ok(rss.length >= 3 && rss.every((x) => typeof x === 'number' && x > 0), JSON.stringify(rss));
        return rss.at(-1)!;
      };
      const big = await rssOf('/big-heap.html');
      const idle = await rssOf('/idle.html');
      // The big page holds ~160 MB of arrays; the idle page's renderer holds a few tens of MB.
      assert.ok(big > 150 * 1024 * 1024, `big page's renderer: ${big}`);
      assert.ok(idle < big - 100 * 1024 * 1024, `idle page's renderer ${idle} vs big ${big}`);
    } finally {
      await browser.kill();
      pages.close();
    }
  },
);
