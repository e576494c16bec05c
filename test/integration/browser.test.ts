import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { jsonLines, runCli } from '../helpers/cli';

const CHROMIUM = process.env.MEMMON_CHROMIUM ?? '/usr/bin/chromium';
const PAGES = path.resolve(__dirname, '../fixtures/pages');
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
if (!existsSync(CHROMIUM)) console.log(`# SKIP browser tests: no Chromium at ${CHROMIUM} (set MEMMON_CHROMIUM)`);

/** Serves the fixture pages on a free loopback port. */
async function servePages() {
  const server = createServer((req, res) => {
    const name = path.basename(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(PAGES, name);
    if (!existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html' }).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/** Headless Chromium on a page, with its DevTools port; resolves once the port is open. */
async function startChromium(url: string) {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'memmon-chromium-'));
  const child = spawn(CHROMIUM, [...FLAGS, '--remote-debugging-port=0', `--user-data-dir=${profile}`, url], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true, // its own process group, so its helpers (renderer, zygote, crashpad) die with it
  });
  let err = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Chromium did not open DevTools: ${err}`)), 30_000);
    child.stderr!.on('data', (d) => {
      err += d;
      const m = /DevTools listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`Chromium exited with ${code}: ${err}`)));
  });
  return {
    port,
    kill: async () => {
      const exited = new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
      const signalGroup = (signal: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, signal);
        } catch {
          // the group is gone already
        }
      };
      signalGroup('SIGTERM'); // lets Chromium close its profile files
      const timer = setTimeout(() => signalGroup('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      signalGroup('SIGKILL'); // any helper still alive
      // A helper may still be writing into the profile for a moment after the browser exits.
      rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
    },
  };
}

test(
  'memmon attach to a Chromium page: samples carry DOM counters, RSS is absent (null), not 0',
  { skip: !existsSync(CHROMIUM) && 'no Chromium' },
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
