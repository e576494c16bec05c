// Headless Chromium on the fixture pages (test/fixtures/pages), for the browser-page tests.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The Chromium the browser tests drive (MEMMON_CHROMIUM overrides). */
export const CHROMIUM = process.env.MEMMON_CHROMIUM ?? '/usr/bin/chromium';
/**
 * The `skip` option of the browser tests: skipped on a developer machine without Chromium (saying why), never in CI
 * (CI=true), where a missing browser must fail the run instead of passing it off as green.
 */
export const noChromium: string | false =
  !existsSync(CHROMIUM) && !process.env.CI && `no Chromium at ${CHROMIUM} (set MEMMON_CHROMIUM)`;
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

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.map': 'application/json',
  '.ts': 'text/plain',
};

/** Serves the fixture pages (and files in folders under them, e.g. a bundle's sources) on a free loopback port. */
export async function servePages() {
  const server = createServer((req, res) => {
    const file = path.join(PAGES, path.normalize(new URL(req.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(PAGES + path.sep) || !existsSync(file) || !statSync(file).isFile())
      return void res.writeHead(404).end();
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type }).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/** Headless Chromium on a page, with its DevTools port; resolves once the port is open. */
export async function startChromium(url: string) {
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

/** The WebSocket URL of the browser's first page target (what `memmon attach <page ws url>` takes). */
export async function pageWebSocketUrl(port: number): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{
      type: string;
      webSocketDebuggerUrl?: string;
    }>;
    const page = targets.find((t) => t.type === 'page' && t.webSocketDebuggerUrl);
    if (page) return page.webSocketDebuggerUrl!;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('Chromium lists no page target');
}

/** Runs `fn` with headless Chromium on a fixture page, given the page's CDP WebSocket URL and the pages' base URL. */
export async function withPage<T>(page: string, fn: (ws: string, pagesUrl: string) => Promise<T>): Promise<T> {
  const pages = await servePages();
  const browser = await startChromium(`${pages.url}/${page}`);
  try {
    return await fn(await pageWebSocketUrl(browser.port), pages.url);
  } finally {
    await browser.kill();
    pages.close();
  }
}
