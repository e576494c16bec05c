// Page lines through source maps (issue 15) in headless Chromium: a page whose script is TypeScript bundled by
// esbuild (leaky-list.html loads leaky-list.js; its map leaky-list.js.map is served next to it; the source is
// ts-leak/leaky-list.ts). `memmon attach --detect-leaks` fetches the bundle and its map from the page's server, so the
// `dom` verdict names the JavaScript that keeps the detached rows at its line in the .ts source (reported as the URL
// the map gives it, like the page's own lines), not at the bundle's line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { noChromium, withPage } from '../helpers/chromium';
import { jsonLines, startCli } from '../helpers/cli';

const PAGES = path.resolve(__dirname, '../fixtures/pages');

/** The 1-based line of the first statement of a fixture file that starts with `text` (comments may name it). */
function lineOf(file: string, text: string): number {
  const i = readFileSync(path.join(PAGES, file), 'utf8')
    .split('\n')
    .findIndex((l) => l.trimStart().startsWith(text));
  assert.ok(i >= 0, `${text} in ${file}`);
  return i + 1;
}

describe('browser page lines through source maps', { skip: noChromium }, () => {
  it('a TypeScript page bundled by esbuild: the `dom` verdict names `removed` at its .ts line', async () => {
    const tsLine = lineOf('ts-leak/leaky-list.ts', 'removed.push(');
    assert.notEqual(tsLine, lineOf('leaky-list.js', 'removed.push('), 'the bundle has the line elsewhere');
    await withPage('leaky-list.html', async (ws, pagesUrl) => {
      const cli = startCli(['attach', '--json', '--detect-leaks', '--duration', '80', ws], { timeoutMs: 90_000 });
      await cli.waitForOutput(
        (o) => jsonLines(o.stdout).find((l) => l.type === 'leak' && l.metric === 'dom' && l.retainers.length > 0),
        'a dom leak line with retainers',
        85_000,
      );
      cli.kill('SIGINT');
      const lines = jsonLines((await cli.done).stdout);

      const named = lines.find((l) => l.type === 'leak' && l.metric === 'dom' && l.retainers.length > 0);
      const top = named.retainers[0];
      assert.equal(top.path, 'removed (Array)');
      assert.equal(top.kind, 'detached-dom');
      assert.equal(top.file, `${pagesUrl}/ts-leak/leaky-list.ts`);
      assert.equal(top.line, tsLine);
      // The reported URL is the source itself, served where the map says.
      const source = await (await fetch(top.file)).text();
      assert.match(source.split('\n')[top.line - 1], /removed\.push\(/);

      // Allocation sites in the page's code (the sampling profiler names `tick` in most runs) are mapped too: each is
      // in a .ts source, none is left at a bundle line.
      const sites = lines.filter((l) => l.type === 'leak').flatMap((l) => l.sites);
      for (const s of sites.filter((s) => s.file.startsWith(`${pagesUrl}/`)))
        assert.match(s.file, /\/ts-leak\/(leaky-list|rows)\.ts$/, JSON.stringify(s));
    });
  });
});
