// The detached-elements view (issues 13/15) on real pages in headless Chromium: each page is loaded, snapshotted
// through memmon's own CDP connection and analysed by the CLI; the groups must name the JavaScript that keeps the
// detached nodes, and count exactly the nodes the Summary lists as `Detached <tag>` / `Detached Text` (DevTools'
// own engine lists the same counts for these pages). A Node.js snapshot has no DOM: no groups.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HeapAnalysisClient } from '../../src/core/heap/worker/heapAnalysisClient';
import { noChromium, servePages, startChromium } from '../helpers/chromium';
import { runCli } from '../helpers/cli';
import { fixtureBytes, tempSnapshot } from '../heap/fixtures';

interface Group {
  retainer: string;
  path: string[];
  nodes: number;
  roots: number;
  retainedSize: number;
  examples: string[];
}
interface Analysis {
  classes: { name: string; count: number }[];
  detachedElements: Group[];
}

/** Loads a fixture page, waits `settleMs`, snapshots it and runs `analyze --json --detached-elements`. */
async function analysePage(page: string, settleMs: number): Promise<Analysis> {
  const pages = await servePages();
  const browser = await startChromium(`${pages.url}/${page}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'memmon-detached-'));
  try {
    await new Promise((r) => setTimeout(r, settleMs));
    const file = path.join(dir, 'page.heapsnapshot');
    const snap = await runCli(['snapshot', `127.0.0.1:${browser.port}`, '-o', file], { timeoutMs: 60_000 });
    assert.equal(snap.code, 0, snap.stderr);
    const a = await runCli(['analyze', file, '--json', '--detached-elements'], { timeoutMs: 60_000 });
    assert.equal(a.code, 0, a.stderr);
    return JSON.parse(a.stdout) as Analysis;
  } finally {
    await browser.kill();
    pages.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Detached DOM nodes the Summary lists: elements (`Detached <tag>`) and text nodes. */
function detachedDomCount(classes: Analysis['classes']): number {
  return classes
    .filter((c) => c.name.startsWith('Detached <') || c.name === 'Detached Text')
    .reduce((sum, c) => sum + c.count, 0);
}

describe('detached elements on real pages', { skip: noChromium }, () => {
  it('a list whose removed rows stay in an array: one group retained by `removed`, one subtree per <li>', async () => {
    const a = await analysePage('detached-list.html', 2500);
    const [top] = a.detachedElements;
    assert.ok(top, 'some group');
    assert.equal(top.retainer, 'removed (Array)');
    const li = a.classes.find((c) => c.name === 'Detached <li>')!;
    assert.ok(li.count >= 200, `Detached <li>: ${li.count}`);
    // Every removed row is its own detached subtree (its text node belongs to it).
    assert.equal(top.roots, li.count);
    assert.deepEqual(top.examples, ['Detached <li>']);
    assert.equal(
      a.detachedElements.reduce((sum, g) => sum + g.nodes, 0),
      detachedDomCount(a.classes),
    );
    assert.ok(
      top.path.some((s) => s.startsWith('removed: Array @')),
      top.path.join(' → '),
    );
    assert.match(top.path.at(-1)!, /^\[\d+\]: Detached <li> @\d+$/);
    assert.ok(top.retainedSize >= li.count * 100, `${top.retainedSize} bytes`);
  });

  it('a closed modal kept by a keydown listener: the group names the listener closure', async () => {
    const a = await analysePage('detached-modal.html', 1000);
    const group = a.detachedElements.find((g) => g.retainer === 'onModalKeydown()');
    assert.ok(group, JSON.stringify(a.detachedElements.map((g) => g.retainer)));
    // Five dialogs were opened and closed: five detached <div class="modal"> subtrees with their h2, p, button.
    assert.equal(group.roots, 5);
    assert.deepEqual(group.examples, ['Detached <div class="modal">']);
    assert.equal(group.nodes, detachedDomCount(a.classes));
    const divs = a.classes.find((c) => c.name === 'Detached <div>');
    assert.equal(divs?.count, 5);
    assert.ok(
      group.path.some((s) => s === `[1]: onModalKeydown() @${/@(\d+)$/.exec(s)?.[1]}`),
      group.path.join(' → '),
    );
  });
});

describe('detached elements without a DOM', () => {
  it('a Node.js snapshot: [] in the CLI, hasDom false from the worker', async () => {
    const file = tempSnapshot(fixtureBytes('leak-final'));
    const a = await runCli(['analyze', file, '--json', '--detached-elements', '--top', '1'], { timeoutMs: 60_000 });
    assert.equal(a.code, 0, a.stderr);
    assert.deepEqual((JSON.parse(a.stdout) as Analysis).detachedElements, []);
    const text = await runCli(['analyze', file, '--detached-elements', '--top', '1'], { timeoutMs: 60_000 });
    assert.match(text.stdout, /No detached DOM nodes \(this snapshot has no DOM\)/);
    const client = new HeapAnalysisClient();
    try {
      const { handle } = await client.call('openSnapshot', { path: file });
      const view = await client.call('detachedElements', { handle, offset: 0, limit: 10 });
      assert.deepEqual(view, { hasDom: false, total: 0, offset: 0, items: [] });
    } finally {
      await client.dispose();
      rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});
