// Issue 10 item 7: class and edge names come from the snapshot's strings table unshortened (V8 caps node names,
// not these). A 10 MB constructor name made one 100-row viewer page a 1 GB message and a 1000-row page throw
// `RangeError: Invalid string length`. Every name the engine returns is now at most 1000 characters plus "…".
import { fake, FakeWebviewPanel, Uri } from '../extension/withFakeVscode';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type * as vscode from 'vscode';
import { ViewTypes } from '../../src/extension/commands/commands';
import { registerSnapshotViewer } from '../../src/extension/viewer/snapshotEditorProvider';
import type { ToViewerMessage, ViewerMethods } from '../../src/shared/protocol';
import { testContext } from '../extension/testContext';
import { runCli } from '../helpers/cli';

const TEN_MB = 10 * 1024 * 1024;
const LONG_CLASS = 'L'.repeat(TEN_MB);
const LONG_EDGE = 'E'.repeat(TEN_MB);
const dir = mkdtempSync(path.join(tmpdir(), 'memmon-long-names-'));
const file = path.join(dir, 'long-names.heapsnapshot');

// A real snapshot (the shapes fixture) whose `BuiltinModule` class (335 instances) is renamed to a 10 MB name, and
// whose `exportKeys` property edges get a 10 MB name.
{
  const fixture = path.join(__dirname, '../fixtures/heap/shapes.heapsnapshot.gz');
  const s = JSON.parse(gunzipSync(readFileSync(fixture)).toString('utf8')) as { strings: string[] };
  s.strings[s.strings.indexOf('BuiltinModule')] = LONG_CLASS;
  s.strings[s.strings.indexOf('exportKeys')] = LONG_EDGE;
  writeFileSync(file, JSON.stringify(s));
}

const isShortened = (name: string, letter: string) => name.length === 1001 && name === `${letter.repeat(1000)}…`;

test('analyze --json of a snapshot with a 10 MB constructor name prints it as 1000 characters and "…"', async () => {
  const r = await runCli(['analyze', file, '--json', '--top', '0'], { timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { classes: Array<{ name: string }> };
  const long = doc.classes.filter((c) => c.name.startsWith('LLLL'));
  assert.equal(long.length, 1);
  assert.ok(isShortened(long[0]!.name, 'L'), `name of ${long[0]!.name.length} characters`);
  for (const c of doc.classes) assert.ok(c.name.length <= 1001, `${c.name.slice(0, 40)}… ${c.name.length}`);
  console.log(`snapshot ${statSync(file).size} bytes; analyze --json --top 0 stdout ${r.stdout.length} bytes`);
  assert.ok(r.stdout.length < 2_000_000, `stdout ${r.stdout.length} bytes`);
  const table = await runCli(['analyze', file], { timeoutMs: 120_000 });
  assert.equal(table.code, 0, table.stderr);
  assert.ok(table.stdout.length < 100_000, `table ${table.stdout.length} bytes`);
});

let ctx: ReturnType<typeof testContext>;
let document: vscode.CustomDocument;

before(() => {
  ctx = testContext();
  registerSnapshotViewer(ctx);
});
after(() => {
  document?.dispose();
  ctx.store.dispose();
});

test('viewer pages of a snapshot with a 10 MB class name and a 10 MB edge name stay small (1000-row page does not throw RangeError)', async () => {
  const provider = fake.editorProviders.items.get(ViewTypes.heapSnapshot)!;
  document = (await provider.openCustomDocument(Uri.file(file))) as vscode.CustomDocument;
  const panel = new FakeWebviewPanel(ViewTypes.heapSnapshot, 'snapshot');
  await provider.resolveCustomEditor(document, panel);
  panel.receive({ type: 'ready' });
  const posted = async (match: (m: ToViewerMessage) => boolean) => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const found = (panel.posted as ToViewerMessage[]).find(match);
      if (found) return found;
      assert.ok(
        Date.now() < deadline,
        `no such message; last: ${JSON.stringify(panel.posted.slice(-1)).slice(0, 300)}`,
      );
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await posted((m) => m.type === 'loaded' || m.type === 'error');
  let nextId = 1;
  const ask = async <M extends keyof ViewerMethods>(method: M, params: ViewerMethods[M]['params']) => {
    const requestId = nextId++;
    panel.receive({ type: 'request', requestId, method, params });
    const m = await posted((x) => (x.type === 'reply' || x.type === 'failed') && x.requestId === requestId);
    assert.equal(m.type, 'reply', JSON.stringify(m).slice(0, 300));
    return { result: (m as { result: ViewerMethods[M]['result'] }).result, bytes: JSON.stringify(m).length };
  };
  const page100 = await ask('classes', { filter: '', sort: 'retainedSize', descending: true, offset: 0, limit: 100 });
  const page1000 = await ask('classes', { filter: '', sort: 'name', descending: true, offset: 0, limit: 1000 });
  console.log(`viewer class page: 100 rows ${page100.bytes} bytes, 1000 rows ${page1000.bytes} bytes`);
  assert.ok(page100.bytes < 1_000_000 && page1000.bytes < 5_000_000, `${page100.bytes} / ${page1000.bytes}`);
  const cls = page1000.result.items.find((c) => c.name.startsWith('LLLL'));
  assert.ok(cls && isShortened(cls.name, 'L'), 'the long class, shortened');
  const instances = await ask('instances', { classKey: cls.key, offset: 0, limit: 100 });
  assert.equal(instances.result.total, 335);
  assert.ok(instances.bytes < 1_000_000, `instances page ${instances.bytes} bytes`);
  const children = await ask('children', { nodeId: instances.result.items[0]!.id, offset: 0, limit: 100 });
  const edge = children.result.items.find((e) => e.name.startsWith('EEEE'));
  assert.ok(edge && isShortened(edge.name, 'E'), 'the long edge name, shortened');
  assert.ok(children.bytes < 1_000_000, `children page ${children.bytes} bytes`);
});
