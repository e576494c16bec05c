import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HeapAnalysisClient } from '../../src/core/heap/worker/heapAnalysisClient';
import { openSnapshot } from '../../src/extension/viewer/snapshotSource';
import { captureSeries, FIXTURE_CLASS, Inspectee, startInspectee } from '../heap-capture/inspectee';

describe('snapshot viewer source (analysis in the worker thread)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'memmon-viewer-source-'));
  const files = {
    before: path.join(dir, 'before.heapsnapshot'),
    after: path.join(dir, 'after.heapsnapshot'),
    final: path.join(dir, 'final.heapsnapshot'),
  };
  const client = new HeapAnalysisClient();
  let target: Inspectee;

  before(async () => {
    target = await startInspectee(300);
    await captureSeries(target, [
      { file: files.before },
      { evaluate: `for (let i = 0; i < 200; i++) keep.push(new ${FIXTURE_CLASS}(1e6 + i));`, file: files.after },
      { evaluate: `for (let i = 0; i < 100; i++) keep.push(new ${FIXTURE_CLASS}(2e6 + i));`, file: files.final },
    ]);
  });
  after(async () => {
    await client.dispose();
    target?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens in the worker with progress and answers filtered, sorted class pages', async () => {
    const phases = new Set<string>();
    const source = await openSnapshot(client, files.before, (phase) => phases.add(phase));
    try {
      assert.ok(phases.size > 0, 'progress reported');
      assert.equal(source.info.fileName, 'before.heapsnapshot');
      assert.ok(source.info.nodeCount > 1000);
      const page = await source.classes(FIXTURE_CLASS.toLowerCase().slice(0, 14), 'count', true, 0, 10);
      const row = page.items.find((r) => r.name === FIXTURE_CLASS);
      assert.ok(row, 'fixture class found by a case-insensitive filter');
      assert.equal(row.count, 300);
      const byName = await source.classes('', 'name', false, 0, 50);
      const names = byName.items.map((r) => r.name);
      assert.deepEqual(
        names,
        [...names].sort((a, b) => a.localeCompare(b)),
      );
      assert.equal(byName.total, source.info.classCount);
      const instances = await source.instances(row.key, 0, 5);
      assert.equal(instances.total, 300);
      const edges = await source.children(instances.items[0]!.id, 0, 20);
      assert.ok(edges.items.some((e) => e.name === 'label'));
      const path = await source.retainerPath(instances.items[0]!.id);
      assert.ok(path.length >= 2 && path.at(-1)!.node.id === instances.items[0]!.id);
      const top = await source.dominated(null, 0, 5);
      assert.ok(top.items.length > 0);
    } finally {
      source.dispose();
    }
  });

  it('compares two snapshots in the worker', async () => {
    const [a, b] = await Promise.all([
      openSnapshot(client, files.before, () => {}),
      openSnapshot(client, files.after, () => {}),
    ]);
    try {
      const diff = await b.compareWith(a);
      assert.equal(diff.against, 'before.heapsnapshot');
      const row = diff.rows.find((r) => r.name === FIXTURE_CLASS);
      assert.equal(row?.addedCount, 200);
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('lists the objects that grew in every step of three snapshots, with their paths (the Growth view)', async () => {
    const [a, b, c] = await Promise.all(
      [files.before, files.after, files.final].map((f) => openSnapshot(client, f, () => {})),
    );
    try {
      const g = await c!.growthSince([a!, b!]);
      assert.deepEqual(g.snapshots, ['before.heapsnapshot', 'after.heapsnapshot', 'final.heapsnapshot']);
      assert.deepEqual(g.warnings, []);
      const keep = g.rows.find((r) => r.kind === 'Array' && /keep/.test(r.path));
      assert.ok(keep, JSON.stringify(g.rows.slice(0, 5)));
      // 300 → 500 → 600 elements; retained sizes grow with them.
      assert.deepEqual(keep.sizes, [300, 500, 600]);
      assert.ok(keep.retainedSizes[2]! > keep.retainedSizes[1]! && keep.retainedSizes[1]! > keep.retainedSizes[0]!);
      // Out of order (newest first): a warning, no rows claimed.
      const swapped = await a!.growthSince([c!, b!]);
      assert.ok(
        swapped.warnings.some((w) => /swapped/.test(w)),
        JSON.stringify(swapped.warnings),
      );
      // Fewer than three: a clear error.
      await assert.rejects(c!.growthSince([a!]), /3 or more snapshots/);
    } finally {
      for (const s of [a, b, c]) s!.dispose();
    }
  });

  it('rejects a corrupt file with a one-line message', async () => {
    const bad = path.join(dir, 'bad.heapsnapshot');
    writeFileSync(bad, '{"snapshot":{"meta":');
    await assert.rejects(
      openSnapshot(client, bad, () => {}),
      (err: Error) => err.message.length > 0 && !err.message.includes('\n'),
    );
  });
});
