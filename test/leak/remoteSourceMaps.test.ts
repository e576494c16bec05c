// Source maps of served page scripts (ScriptSources.fetchRemote), against real HTTP servers on loopback: the map a
// script names (relative, absolute on the same origin, data:) maps positions to the original source's URL; a map
// that is missing, broken, too big, slow or on another origin leaves the bundle position, and an HTML page's map
// comment is not followed. The committed esbuild page fixture maps its leaking line to the .ts source.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ScriptSources } from '../../src/core/leak/scriptSources';
import { SiteResolver } from '../../src/core/leak/siteResolver';
import { servePages } from '../helpers/chromium';

const PAGES = path.resolve(__dirname, '../fixtures/pages');
const servers: Server[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** An HTTP server on loopback answering `routes` by path (404 otherwise); counts the requests per path. */
async function serve(routes: Record<string, string | ((res: ServerResponse) => void)>) {
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(p, (hits.get(p) ?? 0) + 1);
    const route = routes[p];
    if (route === undefined) return void res.writeHead(404).end();
    if (typeof route !== 'string') return route(res);
    const type = p.endsWith('.html') ? 'text/html' : p.endsWith('.map') ? 'application/json' : 'text/javascript';
    res.writeHead(200, { 'content-type': type }).end(route);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

// Lines 1, 2 and 3 of the script (`a;`, `b;`, `c;`) come from lines 1, 2 and 4 of the source.
const SCRIPT = 'a;\nb;\nc;\n';
const mapJson = (sources: string[], extra: object = {}) =>
  JSON.stringify({ version: 3, sources, names: [], mappings: 'AAAA;AACA;AAEA', ...extra });

/** Fetches `url` and maps line 3, column 0 of it: [file, line], or null for the bundle position. */
async function mapLine3(url: string, sources = new ScriptSources(), timeoutMs?: number) {
  await sources.fetchRemote([url], timeoutMs);
  const script = sources.script(url);
  assert.ok(script, `${url} was fetched`);
  const pos = sources.original(script, 3, 0);
  return pos && [pos.file, pos.line];
}

describe('source maps of served scripts', () => {
  it('follows a relative map to the original source’s URL', async () => {
    const s = await serve({
      '/dist/app.js': `${SCRIPT}//# sourceMappingURL=app.js.map\n`,
      '/dist/app.js.map': mapJson(['../src/app.ts']),
    });
    assert.deepEqual(await mapLine3(`${s.url}/dist/app.js`), [`${s.url}/src/app.ts`, 4]);
  });

  it('follows an absolute map URL on the script’s origin, with the map’s sourceRoot', async () => {
    let origin = '';
    const s = await serve({
      '/app.js': (res) => res.end(`${SCRIPT}//# sourceMappingURL=${origin}/maps/app.js.map\n`),
      '/maps/app.js.map': mapJson(['app.ts'], { sourceRoot: '/src/' }),
    });
    origin = s.url;
    assert.deepEqual(await mapLine3(`${s.url}/app.js`), [`${s.url}/src/app.ts`, 4]);
  });

  it('reads a data: map of a served script; file: sources are reported as paths', async () => {
    const map = mapJson(['file:///work/app/src/app.ts']);
    const s = await serve({
      '/app.js': `${SCRIPT}//# sourceMappingURL=data:application/json;base64,${Buffer.from(map).toString('base64')}\n`,
    });
    assert.deepEqual(await mapLine3(`${s.url}/app.js`), ['/work/app/src/app.ts', 4]);
  });

  it('does not fetch a map from another origin', async () => {
    const elsewhere = await serve({ '/app.js.map': mapJson(['app.ts']) });
    const s = await serve({ '/app.js': `${SCRIPT}//# sourceMappingURL=${elsewhere.url}/app.js.map\n` });
    assert.equal(await mapLine3(`${s.url}/app.js`), null);
    assert.equal(elsewhere.hits.size, 0);
  });

  it('a missing, broken, too big or slow map leaves the bundle position', async () => {
    const big = mapJson(['app.ts'], { sourcesContent: ['x'.repeat(5000)] });
    const s = await serve({
      '/missing.js': `${SCRIPT}//# sourceMappingURL=missing.js.map\n`,
      '/broken.js': `${SCRIPT}//# sourceMappingURL=broken.js.map\n`,
      '/broken.js.map': '{"version":3,"sources":',
      '/big.js': `${SCRIPT}//# sourceMappingURL=big.js.map\n`,
      '/big.js.map': big,
      // No content-length: the cap must stop the read itself.
      '/chunked.js': `${SCRIPT}//# sourceMappingURL=chunked.js.map\n`,
      '/chunked.js.map': (res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(big.slice(0, 3000));
        res.end(big.slice(3000));
      },
      '/slow.js': `${SCRIPT}//# sourceMappingURL=slow.js.map\n`,
      '/slow.js.map': () => undefined, // never answers
    });
    const sources = new ScriptSources({ maxMapBytes: 4096 });
    const t0 = Date.now();
    for (const name of ['missing', 'broken', 'big', 'chunked', 'slow'])
      assert.equal(await mapLine3(`${s.url}/${name}.js`, sources, 500), null, name);
    assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
    // Under the cap the same map is followed.
    assert.deepEqual(await mapLine3(`${s.url}/big.js`, new ScriptSources()), [`${s.url}/app.ts`, 4]);
  });

  it('does not follow a map comment at the end of an HTML page (it belongs to one inline script)', async () => {
    const s = await serve({
      '/index.html': `<!doctype html><script>\n${SCRIPT}//# sourceMappingURL=inline.js.map\n</script>\n`,
      '/inline.js.map': mapJson(['app.ts']),
    });
    const sources = new ScriptSources();
    await sources.fetchRemote([`${s.url}/index.html`]);
    assert.ok(sources.script(`${s.url}/index.html`));
    assert.equal(s.hits.get('/inline.js.map'), undefined);
  });

  it('a page site resolved before its script was fetched is resolved again, source-mapped, after', async () => {
    const s = await serve({
      '/app.js': `function f() {\n  return new Array(10);\n}\n//# sourceMappingURL=app.js.map\n`,
      '/app.js.map': JSON.stringify({ version: 3, sources: ['app.ts'], names: [], mappings: 'AAAA;AACA;AAAA' }),
    });
    const sources = new ScriptSources();
    const resolver = new SiteResolver(sources);
    const site = {
      key: 'k',
      frame: { functionName: 'f', scriptId: '1', url: `${s.url}/app.js`, lineNumber: 0, columnNumber: 0 },
      liveBytes: 1,
      growthBytesPerSec: 1,
    };
    assert.equal(resolver.resolve(site).file, `${s.url}/app.js`);
    await sources.fetchRemote([`${s.url}/app.js`]);
    const after = resolver.resolve(site);
    assert.deepEqual([after.file, after.line, after.generated?.line], [`${s.url}/app.ts`, 2, 2]);
  });

  it('the esbuild page fixture maps the bundle’s `removed.push(` line to its .ts line', async () => {
    const pages = await servePages();
    try {
      // 0-based: the statement, not the fixture's comment that names it.
      const lineOf = (file: string) =>
        readFileSync(path.join(PAGES, file), 'utf8')
          .split('\n')
          .findIndex((l) => /^\s*removed\.push\(/.test(l));
      const sources = new ScriptSources();
      const url = `${pages.url}/leaky-list.js`;
      await sources.fetchRemote([url]);
      const script = sources.script(url)!;
      const at = lineOf('leaky-list.js');
      const pos = sources.original(script, at + 1, script.text.split('\n')[at].indexOf('removed'));
      assert.deepEqual(pos && [pos.file, pos.line], [
        `${pages.url}/ts-leak/leaky-list.ts`,
        lineOf('ts-leak/leaky-list.ts') + 1,
      ]);
    } finally {
      pages.close();
    }
  });
});
