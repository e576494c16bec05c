// The viewer's Statistics, Summary filter drop-down, duplicated strings and global variables (issue 13): requests from
// the webview answered by the real analysis worker through the editor on the fake editor API, equal to DevTools.
import { fake, FakeWebviewPanel, Uri } from './withFakeVscode';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type * as vscode from 'vscode';
import { isFromViewerMessage, type ViewerMethods } from '../../src/shared/protocol';
import { ViewTypes } from '../../src/extension/commands/commands';
import type { FeatureContext } from '../../src/extension/feature';
import { registerSnapshotViewer } from '../../src/extension/viewer/snapshotEditorProvider';
import { extensionRoot, testContext } from './testContext';
import { posted } from './viewerMessages';

const FIXTURES = path.join(extensionRoot, 'test/fixtures/heap');
const oracle = JSON.parse(readFileSync(path.join(FIXTURES, 'leak-final.expected.json'), 'utf8')) as {
  statistics: unknown;
  filters: Record<string, { key: string; count: number; self: number; retained: number }[]>;
  duplicateStrings: { value: string; count: number; totalSelfSize: number; totalRetainedSize: number }[];
};

describe('Statistics, Summary filters, duplicated strings and globals in the viewer (real worker)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'memmon-views-'));
  const unzip = (name: string) => {
    const file = path.join(dir, `${name}.heapsnapshot`);
    writeFileSync(file, gunzipSync(readFileSync(path.join(FIXTURES, `${name}.heapsnapshot.gz`))));
    return Uri.file(file);
  };
  let ctx: FeatureContext;
  let document: vscode.CustomDocument;
  let panel: FakeWebviewPanel;
  let baseline: Uri;
  let otherProcess: Uri;
  let nextId = 1;
  const provider = () => fake.editorProviders.items.get(ViewTypes.heapSnapshot)!;
  /** Sends one request as the webview does; resolves with its result or rejects with the `failed` message. */
  const ask = async <M extends keyof ViewerMethods>(
    method: M,
    params: ViewerMethods[M]['params'],
  ): Promise<ViewerMethods[M]['result']> => {
    const requestId = nextId++;
    const message = { type: 'request', requestId, method, params };
    assert.ok(isFromViewerMessage(message), `well-formed ${method}`);
    panel.receive(message);
    const m = await posted(panel, (x) => (x.type === 'reply' || x.type === 'failed') && x.requestId === requestId);
    if (m.type === 'failed') throw new Error(m.message);
    return (m as { result: ViewerMethods[M]['result'] }).result;
  };
  const page = { offset: 0, limit: 1000 };
  const classParams = { filter: '', sort: 'retainedSize' as const, descending: true, ...page };

  before(async () => {
    const target = unzip('leak-final');
    baseline = unzip('leak-baseline');
    // Another process: the globals fixture program, run now.
    const other = path.join(dir, 'other-process.heapsnapshot');
    execFileSync(process.execPath, [path.join(FIXTURES, 'globals-app.cjs'), other], { timeout: 60_000 });
    otherProcess = Uri.file(other);
    ctx = testContext();
    registerSnapshotViewer(ctx);
    document = provider().openCustomDocument(target) as vscode.CustomDocument;
    panel = new FakeWebviewPanel(ViewTypes.heapSnapshot, 'snapshot');
    await provider().resolveCustomEditor(document, panel);
    panel.receive({ type: 'ready' });
    await posted(panel, (m) => m.type === 'loaded');
  });
  after(() => {
    panel?.dispose();
    document?.dispose();
    ctx.store.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("Statistics equal DevTools' getStatistics()", async () => {
    assert.deepEqual(await ask('statistics', {}), oracle.statistics);
  });

  it("a named filter's classes equal DevTools' aggregatesWithFilter; a class expands to its filtered instances", async () => {
    const rows = await ask('filteredClasses', { ...classParams, view: 'retained-by-contexts' });
    const want = oracle.filters.objectsRetainedByContexts!;
    assert.equal(rows.total, want.length);
    const byKey = new Map(want.map((w) => [w.key, w]));
    for (const r of rows.items) {
      const w = byKey.get(r.key);
      assert.ok(w, r.key);
      assert.deepEqual([r.count, r.selfSize, r.retainedSize], [w.count, w.self, w.retained], r.key);
    }
    const top = rows.items[0]!;
    const instances = await ask('filteredInstances', { view: 'retained-by-contexts', classKey: top.key, ...page });
    assert.equal(instances.total, top.count);
    const all = await ask('instances', { classKey: top.key, ...page });
    assert.ok(all.total >= instances.total);
    // The class-name search box still applies on top of the filter.
    const searched = await ask('filteredClasses', { ...classParams, view: 'retained-by-contexts', filter: top.name });
    assert.ok(searched.items.every((r) => r.name.toLowerCase().includes(top.name.toLowerCase())));
    // "all" is the plain Summary.
    const plain = await ask('filteredClasses', { ...classParams, view: 'all', limit: 5 });
    assert.deepEqual(plain, await ask('classes', { ...classParams, limit: 5 }));
  });

  it('the Node.js retention filters answer too (timers: the fixture has none, so no class)', async () => {
    for (const view of ['retained-by-timers', 'retained-by-module-cache'] as const) {
      const rows = await ask('filteredClasses', { ...classParams, view });
      assert.ok(rows.total >= 0 && rows.items.every((r) => r.count > 0), view);
    }
    assert.ok((await ask('filteredClasses', { ...classParams, view: 'retained-by-module-cache' })).total > 0);
  });

  it('allocated between: fails plainly before a snapshot is picked, then uses the picked one of the same process', async () => {
    await assert.rejects(
      ask('filteredClasses', { ...classParams, view: 'allocated-between' }),
      /^Error: Pick the other snapshot first/,
    );
    fake.answers.push(undefined);
    assert.equal(await ask('pickOtherSnapshot', {}), null, 'cancelled');
    fake.answers.push([baseline]);
    const other = await ask('pickOtherSnapshot', {});
    assert.equal(other?.fileName, 'leak-baseline.heapsnapshot');
    assert.equal(other?.sameSession, true);
    assert.ok(other!.matched > 0.9 * other!.checked, JSON.stringify(other));
    const between = await ask('filteredClasses', { ...classParams, view: 'allocated-between' });
    assert.equal(between.items.find((r) => r.name === 'Session')?.count, 200);
    const session = between.items.find((r) => r.name === 'Session')!;
    const leaked = await ask('filteredInstances', { view: 'allocated-between', classKey: session.key, ...page });
    assert.equal(leaked.total, 200);
    const before = await ask('filteredClasses', { ...classParams, view: 'allocated-before' });
    assert.equal(
      before.items.find((r) => r.name === 'Session'),
      undefined,
    );
  });

  it('says when the picked snapshot comes from another process', async () => {
    fake.answers.push([otherProcess]);
    const other = await ask('pickOtherSnapshot', {});
    assert.equal(other?.fileName, 'other-process.heapsnapshot');
    assert.equal(other?.sameSession, false, JSON.stringify(other));
    fake.answers.push([Uri.file(path.join(dir, 'missing.heapsnapshot'))]);
    await assert.rejects(ask('pickOtherSnapshot', {}), /^Error: Cannot use .*missing\.heapsnapshot: /);
  });

  it("duplicated strings: DevTools' getDuplicateStrings() order and sizes, paged, with the wasted bytes", async () => {
    const first = await ask('duplicateStrings', { offset: 0, limit: 100 });
    const second = await ask('duplicateStrings', { offset: 100, limit: 100 });
    assert.equal(first.total, oracle.duplicateStrings.length);
    const got = [...first.items, ...second.items];
    assert.deepEqual(
      got.map(({ value, count, totalSelfSize, totalRetainedSize }) => ({
        value,
        count,
        totalSelfSize,
        totalRetainedSize,
      })),
      oracle.duplicateStrings.slice(0, 200),
    );
    for (const d of got) assert.ok(d.wastedBytes > 0 && d.wastedBytes < d.totalSelfSize);
  });

  it('global variables the program added', async () => {
    const globals = await ask('globals', page);
    assert.deepEqual(
      globals.items.map((g) => [g.name, g.className]),
      [['app', 'Object']],
    );
    assert.ok(globals.items[0]!.retainedSize > 10_000);
  });

  it('rejects malformed requests before they reach the worker', () => {
    const bad = [
      { method: 'filteredClasses', params: { ...classParams, view: 'everything' } },
      { method: 'filteredInstances', params: { view: 'all', ...page } },
      { method: 'duplicateStrings', params: { offset: 0, limit: 5000 } },
      { method: 'globals', params: { offset: -1, limit: 5 } },
    ];
    for (const b of bad) assert.equal(isFromViewerMessage({ type: 'request', requestId: 1, ...b }), false, b.method);
  });
});
