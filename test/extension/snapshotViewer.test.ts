import { fake, FakeWebviewPanel, Uri } from './withFakeVscode';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type * as vscode from 'vscode';
import type { ToViewerMessage, ViewerMethods } from '../../src/shared/protocol';
import { ViewTypes } from '../../src/extension/commands/commands';
import type { FeatureContext } from '../../src/extension/feature';
import { OpenEditors } from '../../src/extension/viewer/openEditors';
import { registerSnapshotViewer } from '../../src/extension/viewer/snapshotEditorProvider';
import { RequestClient } from '../../webview/src/common/requestClient';
import { extensionRoot, testContext } from './testContext';
import { posted } from './viewerMessages';

const replyTo = (requestId: number) => (m: ToViewerMessage) =>
  (m.type === 'reply' || m.type === 'failed') && m.requestId === requestId;

describe('open editors by file', () => {
  it('forgets an editor when it closes, and the file with its last editor', () => {
    const editors = new OpenEditors<string>();
    const one = editors.add('file:///a', 'editor 1');
    const two = editors.add('file:///a', 'editor 2');
    const other = editors.add('file:///b', 'editor 3');
    assert.deepEqual(editors.of('file:///a'), ['editor 1', 'editor 2']);
    one.dispose();
    one.dispose();
    assert.deepEqual(editors.of('file:///a'), ['editor 2']);
    two.dispose();
    other.dispose();
    assert.deepEqual(editors.of('file:///a'), []);
    assert.equal(editors.fileCount, 0);
  });
});

describe('viewer requests in the webview', () => {
  it('settles each request with its reply or its failure, by id', async () => {
    const sent: { requestId: number; method: string }[] = [];
    const client = new RequestClient<ViewerMethods>((m) => sent.push(m));
    const path = client.call('retainerPath', { nodeId: 1 });
    const compare = client.call('compare', {});
    assert.deepEqual(
      sent.map((m) => m.method),
      ['retainerPath', 'compare'],
    );
    assert.equal(client.settle({ type: 'loaded' }), false);
    assert.equal(client.settle({ type: 'reply', requestId: 999 }), false);
    assert.equal(
      client.settle({ type: 'failed', requestId: sent[1].requestId, message: 'Cannot compare with x' }),
      true,
    );
    assert.equal(client.settle({ type: 'reply', requestId: sent[0].requestId, result: [] }), true);
    assert.deepEqual(await path, []);
    await assert.rejects(compare, /Cannot compare with x/);
    assert.equal(client.pendingCount, 0);
    assert.equal(client.settle({ type: 'reply', requestId: sent[0].requestId, result: [] }), false);
  });
});

describe('snapshot editors on the fake editor API (analysis in the real worker)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'memmon-viewer-'));
  const unzip = (name: string) => {
    const file = path.join(dir, `${name}.heapsnapshot`);
    writeFileSync(
      file,
      gunzipSync(readFileSync(path.join(extensionRoot, 'test/fixtures/heap', `${name}.heapsnapshot.gz`))),
    );
    return Uri.file(file);
  };
  let ctx: FeatureContext;
  let compareWith: (...args: unknown[]) => unknown;
  let target: Uri;
  let baseline: Uri;
  let document: vscode.CustomDocument;
  const panels: FakeWebviewPanel[] = [];
  const provider = () => fake.editorProviders.items.get(ViewTypes.heapSnapshot)!;
  const open = async () => {
    const panel = new FakeWebviewPanel(ViewTypes.heapSnapshot, 'snapshot');
    panels.push(panel);
    await provider().resolveCustomEditor(document, panel);
    panel.receive({ type: 'ready' });
    await posted(panel, (m) => m.type === 'loaded');
    return panel;
  };
  let nextId = 1;
  const ask = async <M extends keyof ViewerMethods>(
    panel: FakeWebviewPanel,
    method: M,
    params: ViewerMethods[M]['params'],
  ) => {
    const requestId = nextId++;
    panel.receive({ type: 'request', requestId, method, params });
    return posted(panel, replyTo(requestId));
  };

  before(() => {
    target = unzip('leak-target');
    baseline = unzip('leak-baseline');
    ctx = testContext();
    compareWith = registerSnapshotViewer(ctx).commands.compareSnapshotWith;
    document = provider().openCustomDocument(target) as vscode.CustomDocument;
  });
  after(() => {
    document?.dispose();
    ctx.store.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a query with a reply carrying its id', async () => {
    const panel = await open();
    const m = await ask(panel, 'classes', { filter: '', sort: 'retainedSize', descending: true, offset: 0, limit: 5 });
    assert.equal(m.type, 'reply');
    const page = (m as { result: ViewerMethods['classes']['result'] }).result;
    assert.equal(page.items.length, 5);
    assert.ok(page.total > 5);
  });

  it('settles a failing query with `failed` and its id (an object that is not in the snapshot)', async () => {
    const m = await ask(panels[0], 'retainerPath', { nodeId: 987_654_321 });
    assert.equal(m.type, 'failed');
  });

  it('settles a comparison the user cancels with null, and a failing one with `failed`, never leaving it open', async () => {
    fake.answers.push(undefined);
    assert.deepEqual(await ask(panels[0], 'compare', {}), { type: 'reply', requestId: nextId - 1, result: null });
    const missing = Uri.file(path.join(dir, 'missing.heapsnapshot'));
    fake.answers.push([missing]);
    const failed = await ask(panels[0], 'compare', {});
    assert.equal(failed.type, 'failed');
    assert.match((failed as { message: string }).message, /^Cannot compare with .*missing\.heapsnapshot: /);
  });

  it('compares with a baseline picked in the viewer', async () => {
    fake.answers.push([baseline]);
    const m = await ask(panels[0], 'compare', {});
    assert.equal(m.type, 'reply');
    const diff = (m as { result: ViewerMethods['compare']['result'] }).result;
    assert.equal(diff?.against, 'leak-baseline.heapsnapshot');
    assert.ok((diff?.addedCount ?? 0) > 0);
  });

  it('shows a comparison asked for by a command in every open editor of the file, and forgets closed ones', async () => {
    const second = await open();
    const owned = ctx.store.size;
    await compareWith(target, baseline);
    for (const panel of panels) await posted(panel, (m) => m.type === 'diff');

    panels[0].dispose();
    assert.equal(ctx.store.size, owned - 1, 'the closed editor is released');
    await compareWith(target, Uri.file(path.join(dir, 'missing.heapsnapshot')));
    assert.equal(panels[0].postedAfterDispose, 0, 'the closed editor is forgotten');
    const error = await posted(second, (m) => m.type === 'error');
    assert.match((error as { message: string }).message, /^Cannot compare with .*missing\.heapsnapshot/);

    second.dispose();
    assert.equal(ctx.store.size, owned - 2);
    await compareWith(target, baseline);
    assert.ok(panels.every((p) => p.disposed && p.postedAfterDispose === 0));
  });
});
