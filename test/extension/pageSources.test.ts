// A page's script URLs mapped to the workspace files they were served from, as js-debug maps them (webRoot,
// pathMapping), so leak flags on a page land in the user's file.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { localFileForUrl, pageSourceRoots } from '../../src/extension/leaks/pageSources';

describe('page script URLs → workspace files', () => {
  const ws = mkdtempSync(path.join(os.tmpdir(), 'memmon-pagesrc-'));
  mkdirSync(path.join(ws, 'public', 'js'), { recursive: true });
  mkdirSync(path.join(ws, 'src'), { recursive: true });
  for (const f of ['public/index.html', 'public/js/app.js', 'src/app.js', 'page one.html'])
    writeFileSync(path.join(ws, f), '//\n');

  it('under webRoot, index.html for a folder, decoded paths', () => {
    const roots = pageSourceRoots([{ webRoot: '${workspaceFolder}/public' }], ws);
    assert.equal(roots.webRoot, path.join(ws, 'public'));
    assert.equal(localFileForUrl('http://127.0.0.1:8080/js/app.js', roots), path.join(ws, 'public/js/app.js'));
    assert.equal(localFileForUrl('http://localhost:3000/', roots), path.join(ws, 'public/index.html'));
    assert.equal(localFileForUrl('http://localhost:3000/missing.js', roots), null);
    const wsRoots = pageSourceRoots([undefined, {}], ws);
    assert.equal(localFileForUrl('http://localhost/page%20one.html?x=1#a', wsRoots), path.join(ws, 'page one.html'));
  });

  it('the longest pathMapping prefix wins over webRoot; the page session config before its parent', () => {
    const roots = pageSourceRoots(
      [{ pathMapping: { '/static/': path.join(ws, 'src') } }, { webRoot: path.join(ws, 'public') }],
      ws,
    );
    assert.equal(localFileForUrl('https://example.test/static/app.js', roots), path.join(ws, 'src/app.js'));
    assert.equal(localFileForUrl('https://example.test/js/app.js', roots), path.join(ws, 'public/js/app.js'));
  });

  it('file URLs and local paths pass; other schemes and garbage give null', () => {
    const roots = pageSourceRoots([], ws);
    const f = path.join(ws, 'src/app.js');
    assert.equal(localFileForUrl(pathToFileURL(f).href, roots), f);
    assert.equal(localFileForUrl(f, roots), f);
    assert.equal(localFileForUrl('chrome-extension://abc/x.js', roots), null);
    assert.equal(localFileForUrl('not a url', roots), null);
    assert.equal(localFileForUrl('http://x/%E0%A4%A', roots), null);
  });
});
