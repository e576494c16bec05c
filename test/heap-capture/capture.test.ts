import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InspectorConnection } from '../../src/core/inspector/connection';
import { captureHeapSnapshot, HeapSnapshotCaptureError } from '../../src/core/heap/capture/capture';
import { checkDiskSpace } from '../../src/core/heap/capture/diskSpace';
import { loadHeapSnapshot } from '../../src/core/heap/index';
import { FIXTURE_CLASS, Inspectee, startInspectee } from './inspectee';

describe('captureHeapSnapshot against a real node --inspect process', () => {
  let target: Inspectee;
  let conn: InspectorConnection;
  const dir = mkdtempSync(path.join(tmpdir(), 'memmon-capture-'));

  before(async () => {
    target = await startInspectee(30_000);
    conn = await InspectorConnection.connect(target.wsUrl);
  });
  after(async () => {
    await conn?.close();
    target?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams a valid snapshot to a 0600 file and reports progress', async () => {
    const file = path.join(dir, 'a.heapsnapshot');
    const progress: Array<[number, number]> = [];
    const result = await captureHeapSnapshot(conn, file, { onProgress: (d, t) => progress.push([d, t]) });
    assert.equal(result.file, file);
    assert.equal(result.bytes, statSync(file).size);
    assert.ok(result.chunks > 1, 'snapshot arrives in several chunks');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.ok(progress.length > 0, 'progress callback called');
    const last = progress.at(-1)!;
    assert.equal(last[0], last[1], 'progress ends at total');
    const snapshot = JSON.parse(readFileSync(file, 'utf8'));
    assert.ok(Array.isArray(snapshot.snapshot.meta.node_fields));
    assert.equal(snapshot.nodes.length, snapshot.snapshot.node_count * snapshot.snapshot.meta.node_fields.length);
    assert.ok(snapshot.strings.includes(FIXTURE_CLASS), 'fixture class name is in the snapshot');
    const model = await loadHeapSnapshot(file);
    const fixture = model.classes().find((c) => c.name === FIXTURE_CLASS);
    assert.equal(fixture?.count, 30_000, 'the engine finds every fixture instance');
  });

  it('narrows the mode of an existing file to 0600', async () => {
    const file = path.join(dir, 'existing.heapsnapshot');
    writeFileSync(file, 'old', { mode: 0o644 });
    await captureHeapSnapshot(conn, file);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.ok(statSync(file).size > 1000);
  });

  it('cancellation stops, deletes the partial file and ignores later chunks', async () => {
    const file = path.join(dir, 'cancelled.heapsnapshot');
    const controller = new AbortController();
    const pending = captureHeapSnapshot(conn, file, {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await assert.rejects(
      pending,
      (err: unknown) => err instanceof HeapSnapshotCaptureError && err.code === 'cancelled',
    );
    assert.equal(existsSync(file), false);
    // V8 keeps streaming the snapshot we no longer want; the next capture starts right away and must not get any of it.
    const again = await captureHeapSnapshot(conn, path.join(dir, 'after-cancel.heapsnapshot'));
    assert.ok(again.bytes > 1000);
    const parsed = JSON.parse(readFileSync(again.file, 'utf8'));
    assert.equal(parsed.nodes.length, parsed.snapshot.node_count * parsed.snapshot.meta.node_fields.length);
    assert.equal(existsSync(file), false);
  });

  it('refuses an already aborted signal without creating a file', async () => {
    const file = path.join(dir, 'never.heapsnapshot');
    await assert.rejects(captureHeapSnapshot(conn, file, { signal: AbortSignal.abort() }), /cancelled/);
    assert.equal(existsSync(file), false);
  });

  it('refuses a second capture on the same connection while one runs', async () => {
    const first = captureHeapSnapshot(conn, path.join(dir, 'first.heapsnapshot'));
    await assert.rejects(
      captureHeapSnapshot(conn, path.join(dir, 'second.heapsnapshot')),
      (err: unknown) => err instanceof HeapSnapshotCaptureError && err.code === 'busy',
    );
    assert.ok((await first).bytes > 1000);
    assert.equal(existsSync(path.join(dir, 'second.heapsnapshot')), false);
  });

  it('with waitIfBusy, captures started together run one after the other and all three files are whole', async () => {
    const files = ['one', 'two', 'three'].map((n) => path.join(dir, `queued-${n}.heapsnapshot`));
    const results = await Promise.all(files.map((f) => captureHeapSnapshot(conn, f, { waitIfBusy: true })));
    for (const r of results) {
      const parsed = JSON.parse(readFileSync(r.file, 'utf8'));
      assert.equal(parsed.nodes.length, parsed.snapshot.node_count * parsed.snapshot.meta.node_fields.length);
    }
  });

  it('fails with a write error when the directory does not exist', async () => {
    await assert.rejects(captureHeapSnapshot(conn, path.join(dir, 'missing', 'x.heapsnapshot')), /cannot write|ENOENT/);
  });
});

describe('disk space check', () => {
  it('refuses when the heap clearly does not fit on the disk', async () => {
    const verdict = await checkDiskSpace(path.join(tmpdir(), 'x.heapsnapshot'), 1e18);
    assert.equal(verdict.enough, false);
    assert.match(verdict.message!, /not enough disk space/);
    assert.ok(verdict.freeBytes > 0);
  });
  it('accepts a small heap', async () => {
    const verdict = await checkDiskSpace(path.join(tmpdir(), 'x.heapsnapshot'), 1e6);
    assert.equal(verdict.enough, true);
  });
});
