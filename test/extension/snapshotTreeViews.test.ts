import { fake, FakeWebviewPanel, Uri } from './withFakeVscode';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import type { ToViewerMessage, ViewerMethods } from '../../src/shared/protocol';
import { ViewTypes } from '../../src/extension/commands/commands';
import type { FeatureContext } from '../../src/extension/feature';
import { registerSnapshotViewer } from '../../src/extension/viewer/snapshotEditorProvider';
import { extensionRoot, testContext } from './testContext';

/** The TypeScript fixture: leakyCache.ts compiled to leakyCache.js with a source map. */
const PROGRAM_DIR = path.join(extensionRoot, 'test/fixtures/programs/ts-source');

describe('snapshot viewer: dominator tree, retainer tree with ignore/restore, source links (real worker)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'memmon-tree-'));
  let ctx: FeatureContext;
  let document: vscode.CustomDocument;
  let panel: FakeWebviewPanel;
  let nextId = 1;

  const ask = async <M extends keyof ViewerMethods>(
    method: M,
    params: ViewerMethods[M]['params'],
  ): Promise<ViewerMethods[M]['result']> => {
    const requestId = nextId++;
    panel.receive({ type: 'request', requestId, method, params });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const m = (panel.posted as ToViewerMessage[]).find(
        (p) => (p.type === 'reply' || p.type === 'failed') && p.requestId === requestId,
      );
      if (m?.type === 'reply') return m.result as ViewerMethods[M]['result'];
      if (m?.type === 'failed') throw new Error(m.message);
      if (Date.now() > deadline) throw new Error(`no answer to ${method}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const sessionRecord = async () => {
    const classes = await ask('classes', {
      filter: 'SessionRecord',
      sort: 'retainedSize',
      descending: true,
      offset: 0,
      limit: 5,
    });
    const row = classes.items.find((c) => c.name === 'SessionRecord');
    assert.ok(row, `SessionRecord class listed: ${classes.items.map((c) => c.name).join(', ')}`);
    return (await ask('instances', { classKey: row.key, offset: 0, limit: 1 })).items[0]!;
  };

  before(async () => {
    const file = path.join(dir, 'ts-source.heapsnapshot');
    execFileSync(process.execPath, [path.join(PROGRAM_DIR, 'leakyCache.js'), file]);
    ctx = testContext();
    registerSnapshotViewer(ctx);
    const provider = fake.editorProviders.items.get(ViewTypes.heapSnapshot)!;
    document = provider.openCustomDocument(Uri.file(file)) as vscode.CustomDocument;
    panel = new FakeWebviewPanel(ViewTypes.heapSnapshot, 'snapshot');
    await provider.resolveCustomEditor(document, panel);
    panel.receive({ type: 'ready' });
  });
  after(() => {
    document?.dispose();
    ctx?.store.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('drills the dominator tree from the root: children by retained size, each within its parent', async () => {
    const root = await ask('dominatorNode', { nodeId: null });
    assert.ok(root && root.retainedSize > 0 && root.dominatedCount > 0);
    const top = await ask('dominatorTree', { nodeId: null, offset: 0, limit: 20 });
    assert.equal(top.total, root.dominatedCount);
    const sizes = top.items.map((n) => n.retainedSize);
    assert.deepEqual(
      sizes,
      [...sizes].sort((a, b) => b - a),
      'largest first',
    );
    assert.ok(sizes.reduce((a, b) => a + b, 0) <= root.retainedSize);
    const child = top.items.find((n) => n.dominatedCount > 0)!;
    const grand = await ask('dominatorTree', { nodeId: child.id, offset: 0, limit: 5 });
    assert.ok(grand.items.length > 0 && grand.items.every((g) => g.retainedSize <= child.retainedSize));
    assert.equal(await ask('dominatorNode', { nodeId: 987_654_321 }), null, 'search by an unknown @id finds nothing');
  });

  it('opens the TypeScript line of the class of an object, through the source map', async () => {
    const record = await sessionRecord();
    const opened = await ask('openSource', { nodeId: record.id });
    assert.equal(opened.file, path.join(PROGRAM_DIR, 'leakyCache.ts'));
    assert.equal(opened.line, 13, 'the line of the SessionRecord constructor in leakyCache.ts');
    assert.equal(opened.generated?.file, path.join(PROGRAM_DIR, 'leakyCache.js'));
    assert.deepEqual(fake.opened.at(-1), { file: opened.file, line: 13 });
  });

  it('ignores a retainer (distances recomputed) and restores it', async () => {
    const record = await sessionRecord();
    const before = await ask('retainerTree', { nodeId: record.id, offset: 0, limit: 50 });
    assert.ok(before.total >= 1 && before.items.every((e) => !e.ignored));
    const nearest = before.items[0]!;
    const paths = await ask('retainerPaths', { nodeId: record.id, maxPaths: 3 });
    assert.ok(paths.length >= 1 && paths[0]!.at(-1)!.node.id === record.id);
    const ignored = await ask('ignoreRetainer', { nodeId: nearest.node.id, ignore: true });
    assert.deepEqual(ignored.ignoredIds, [nearest.node.id]);
    const after = await ask('retainerTree', { nodeId: record.id, offset: 0, limit: 50 });
    const row = after.items.find((e) => e.node.id === nearest.node.id)!;
    assert.ok(row.ignored, 'the ignored retainer is marked');
    assert.ok(row.viewDistance >= 200_000_000, `an ignored retainer is unreachable: ${row.viewDistance}`);
    const restored = await ask('unignoreAllRetainers', {});
    assert.deepEqual(restored.ignoredIds, []);
    const again = await ask('retainerTree', { nodeId: record.id, offset: 0, limit: 50 });
    assert.deepEqual(
      again.items.map((e) => [e.node.id, e.viewDistance]),
      before.items.map((e) => [e.node.id, e.viewDistance]),
    );
  });

  it('says why a node has no source, in one line', async () => {
    const root = (await ask('dominatorNode', { nodeId: null }))!;
    await assert.rejects(
      ask('openSource', { nodeId: root.id }),
      /^Error: @\d+ has no script location in this snapshot$/,
    );
  });
});
