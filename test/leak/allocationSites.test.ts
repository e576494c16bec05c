import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AllocationSiteTracker, ProfileCallFrame, SamplingProfileNode } from '../../src/core/leak/allocationSites';
import { chooseAllocationLine } from '../../src/core/leak/allocationLine';
import { ScriptSources } from '../../src/core/leak/scriptSources';
import { SiteResolver } from '../../src/core/leak/siteResolver';

const CORPUS = path.resolve(__dirname, '../fixtures/leaks');

function frame(functionName: string, url: string, lineNumber = 0, columnNumber = 0): ProfileCallFrame {
  return { functionName, url, lineNumber, columnNumber, scriptId: '1' };
}
let ids = 1;
function node(
  callFrame: ProfileCallFrame,
  selfSize: number,
  children: SamplingProfileNode[] = [],
): SamplingProfileNode {
  return { callFrame, selfSize, id: ids++, children };
}

describe('AllocationSiteTracker', () => {
  const app = 'file:///app/server.js';
  const grow = frame('handle', app, 10, 2);
  const flat = frame('boot', app, 1, 0);
  const viaLib = frame('subscribe', app, 30, 4);
  function profileAt(i: number) {
    return {
      head: node(frame('(root)', ''), 0, [
        node(grow, 1000 + i * 50_000),
        node(flat, 400_000),
        // Bytes allocated inside Node's internals are charged to the user frame that called them.
        node(viaLib, 0, [node(frame('_addListener', 'node:events', 200, 0), 2000 + i * 20_000)]),
        node(frame('(V8 API)', ''), 123_456),
      ]),
    };
  }
  it('ranks growing sites first, charges internals to the calling user frame, drops flat ones', () => {
    const tr = new AllocationSiteTracker();
    for (let i = 0; i < 6; i++) tr.addProfile(1_000_000 + i * 3000, profileAt(i));
    const ranked = tr.rank();
    assert.deepEqual(
      ranked.map((r) => r.frame.functionName),
      ['handle', 'subscribe'],
    );
    assert.equal(ranked[0]!.liveBytes, 1000 + 5 * 50_000);
    assert.ok(Math.abs(ranked[0]!.growthBytesPerSec - 50_000 / 3) < 1);
    assert.equal(ranked[1]!.via, '_addListener');
  });
  it('needs three profiles before ranking anything', () => {
    const tr = new AllocationSiteTracker();
    tr.addProfile(0, profileAt(0));
    tr.addProfile(3000, profileAt(1));
    assert.deepEqual(tr.rank(), []);
  });
});

function script(text: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'memmon-leak-'));
  const file = path.join(dir, 'app.js');
  writeFileSync(file, text);
  return { file, url: pathToFileURL(file).href, text: new ScriptSources().script(pathToFileURL(file).href)! };
}

describe('chooseAllocationLine', () => {
  it('picks the allocating statement inside the function, not its first line', () => {
    const s = script(
      [
        'function handle(id) {',
        '  const n = id + 1; // new Array in a comment is ignored',
        '  cache.set(id, new Array(1000).fill(n));',
        '  return n;',
        '}',
      ].join('\n'),
    );
    assert.deepEqual(chooseAllocationLine(s.text, 0, 0), { line: 2, column: 2, source: 'allocation' });
  });
  it('follows a call into a same-file function that V8 may have inlined', () => {
    const s = script(
      [
        'function make(id) {',
        '  return { id, rows: new Array(500).fill(id) };',
        '}',
        'function tick() {',
        '  let x = 1;',
        '  list.push(make(x));',
        '}',
      ].join('\n'),
    );
    assert.equal(chooseAllocationLine(s.text, 3, 0).line, 1);
  });
  it('ignores lines inside nested closures (they have their own profile nodes)', () => {
    const s = script(
      [
        'function outer() {',
        '  setTimeout(() => {',
        '    const big = new Array(1e5).fill(0);',
        '  }, 10);',
        '  return 1;',
        '}',
      ].join('\n'),
    );
    assert.equal(chooseAllocationLine(s.text, 0, 0).line, 1);
  });
  it('falls back to the function line when nothing allocates', () => {
    const s = script(['', 'function add(a, b) {', '  return a + b;', '}'].join('\n'));
    assert.deepEqual(chooseAllocationLine(s.text, 1, 0), { line: 1, column: 0, source: 'function' });
  });
});

describe('source maps', () => {
  it('maps the compiled TypeScript fixture back to its .ts leak line (file next to the script)', () => {
    const js = path.join(CORPUS, 'ts/leak-typescript.js');
    const resolver = new SiteResolver();
    // `open(userId) {` is line 17 (1-based) of the compiled file: CDP reports 0-based 16.
    const site = resolver.resolve({
      key: 'k',
      frame: frame('open', pathToFileURL(js).href, 16, 4),
      liveBytes: 10,
      growthBytesPerSec: 5,
    });
    assert.equal(site.file, path.join(CORPUS, 'ts/leak-typescript.ts'));
    assert.equal(site.line, 23);
    assert.equal(site.function, 'open');
    assert.equal(site.generated?.line, 18);
  });
  it('reads inline data: source maps', () => {
    const map = { version: 3, sources: ['src/orig.ts'], names: [], mappings: 'AAAA;AACA;AAEA' };
    const s = script(
      `a;\nb;\nc;\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`,
    );
    const pos = new ScriptSources().original(s.text, 3, 0);
    assert.equal(pos?.line, 4);
    assert.equal(pos?.file, path.join(path.dirname(s.file), 'src/orig.ts'));
  });
  it('a broken map falls back to generated positions', () => {
    const s = script('function f() {\n  return new Array(10);\n}\n//# sourceMappingURL=missing.js.map\n');
    const site = new SiteResolver().resolve({
      key: 'b',
      frame: frame('f', s.url, 0, 0),
      liveBytes: 1,
      growthBytesPerSec: 1,
    });
    assert.equal(site.file, s.file);
    assert.equal(site.line, 2);
    assert.equal(site.column, 3);
  });
  it('scripts that are not local files keep their URL and function position, 1-based', () => {
    const site = new SiteResolver().resolve({
      key: 'c',
      frame: frame('x', 'node:internal/foo', 4, 9),
      liveBytes: 1,
      growthBytesPerSec: 1,
    });
    assert.deepEqual([site.file, site.line, site.column], ['node:internal/foo', 5, 10]);
  });
});
