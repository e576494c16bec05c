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

describe('snapshot viewer: Summary by source file and source links on Summary rows (real worker)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'memmon-files-'));
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
  const fileParams = { view: 'all' as const, filter: '', sort: 'retainedSize' as const, descending: true };
  const allPages = async <T>(load: (offset: number) => Promise<{ total: number; items: T[] }>): Promise<T[]> => {
    const out: T[] = [];
    for (let total = 1; out.length < total;) {
      const page = await load(out.length);
      total = page.total;
      out.push(...page.items);
      if (!page.items.length) break;
    }
    return out;
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

  it('marks class and object rows that have a script location', async () => {
    const classes = await allPages((offset) =>
      ask('classes', { filter: '', sort: 'retainedSize', descending: true, offset, limit: 1000 }),
    );
    const record = classes.find((c) => c.name === 'SessionRecord')!;
    assert.equal(record.hasSource, true);
    assert.equal(classes.find((c) => c.name === '(string)')!.hasSource, false);
    assert.equal(classes.find((c) => c.name === 'Function')!.hasSource, false, 'closures have one line each');
    const instances = await ask('instances', { classKey: record.key, offset: 0, limit: 10 });
    assert.ok(instances.items.length === 10 && instances.items.every((n) => n.hasSource));
    const strings = classes.find((c) => c.name === '(string)')!;
    const text = await ask('instances', { classKey: strings.key, offset: 0, limit: 10 });
    assert.ok(text.items.every((n) => n.hasSource === false));
  });

  it("opens a class row's constructor line in the TypeScript source, and says why a class has none", async () => {
    const page = await ask('classes', {
      filter: 'SessionRecord',
      sort: 'name',
      descending: false,
      offset: 0,
      limit: 5,
    });
    const record = page.items.find((c) => c.name === 'SessionRecord')!;
    const opened = await ask('openClassSource', { classKey: record.key });
    assert.equal(opened.file, path.join(PROGRAM_DIR, 'leakyCache.ts'));
    assert.equal(opened.line, 13, 'the SessionRecord constructor in leakyCache.ts');
    assert.equal(opened.generated?.file, path.join(PROGRAM_DIR, 'leakyCache.js'));
    assert.deepEqual(fake.opened.at(-1), { file: opened.file, line: 13 });
    await assert.rejects(
      ask('openClassSource', { classKey: ',(string)' }),
      /^Error: this class has no constructor location in this snapshot$/,
    );
  });

  it('groups the Summary by script file: the program file holds its classes and closures, then their instances', async () => {
    const files = await allPages((offset) => ask('sourceFiles', { ...fileParams, offset, limit: 1000 }));
    const classes = await allPages((offset) =>
      ask('classes', { filter: '', sort: 'retainedSize', descending: true, offset, limit: 1000 }),
    );
    const total = (rows: { count: number; selfSize: number }[]) =>
      rows.reduce((a, r) => [a[0]! + r.count, a[1]! + r.selfSize], [0, 0]);
    assert.deepEqual(total(files), total(classes), 'every object in one file');
    assert.equal(files.at(-1)!.file, '(no source)');
    assert.equal(files.at(-1)!.named, false);
    const program = files.find((f) => f.file === path.join(PROGRAM_DIR, 'leakyCache.js'));
    assert.ok(program?.named, files.map((f) => f.file).join(', '));
    const inFile = await ask('sourceFileClasses', { ...fileParams, fileIndex: program.index, offset: 0, limit: 100 });
    assert.equal(inFile.total, program.classCount);
    const names = inFile.items.map((c) => c.name);
    for (const want of ['SessionRecord', 'SessionCache', 'Function']) assert.ok(names.includes(want), names.join());
    const record = inFile.items.find((c) => c.name === 'SessionRecord')!;
    assert.equal(record.count, 2000);
    assert.equal(record.hasSource, true);
    assert.equal(inFile.items.find((c) => c.name === 'Function')!.hasSource, false);
    const instances = await ask('sourceFileInstances', {
      view: 'all',
      fileIndex: program.index,
      classKey: record.key,
      offset: 0,
      limit: 5,
    });
    assert.equal(instances.total, 2000);
    const closures = inFile.items.find((c) => c.name === 'Function')!;
    const fns = await ask('sourceFileInstances', {
      view: 'all',
      fileIndex: program.index,
      classKey: closures.key,
      offset: 0,
      limit: 100,
    });
    assert.equal(fns.total, closures.count);
    // Each closure of the file opens in leakyCache.ts (its own line, through the source map).
    const opened = await ask('openSource', { nodeId: fns.items[0]!.id });
    assert.equal(opened.file, path.join(PROGRAM_DIR, 'leakyCache.ts'));
  });

  it('filters files by class name, follows the Summary filter, and rejects a file index it does not have', async () => {
    const match = await ask('sourceFiles', { ...fileParams, filter: 'sessionrecord', offset: 0, limit: 100 });
    assert.deepEqual(
      match.items.map((f) => f.file),
      [path.join(PROGRAM_DIR, 'leakyCache.js')],
    );
    const only = await ask('sourceFileClasses', {
      ...fileParams,
      filter: 'sessionrecord',
      fileIndex: match.items[0]!.index,
      offset: 0,
      limit: 100,
    });
    assert.deepEqual(
      only.items.map((c) => c.name),
      ['SessionRecord'],
    );
    const view = 'retained-by-module-cache' as const;
    const filtered = await allPages((offset) => ask('sourceFiles', { ...fileParams, view, offset, limit: 1000 }));
    const classes = await allPages((offset) =>
      ask('filteredClasses', { view, filter: '', sort: 'retainedSize', descending: true, offset, limit: 1000 }),
    );
    assert.equal(
      filtered.reduce((a, f) => a + f.count, 0),
      classes.reduce((a, c) => a + c.count, 0),
    );
    await assert.rejects(
      ask('sourceFileClasses', { ...fileParams, fileIndex: 99_999, offset: 0, limit: 10 }),
      /no source file 99999/,
    );
  });
});
