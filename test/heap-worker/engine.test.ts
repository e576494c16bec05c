import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RpcFailure } from '../../src/core/heap/worker/rpcFailure';
import { captureSeries, FIXTURE_CLASS, Inspectee, startInspectee } from '../heap-capture/inspectee';
import { startTestWorkerClient } from './testWorkerClient';

const isFailure = (code: string) => (err: unknown) => err instanceof RpcFailure && err.code === code;

describe('heap engine through the worker, on snapshots of a real process', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'memmon-worker-engine-'));
  const files = {
    base: path.join(dir, 'base.heapsnapshot'),
    target: path.join(dir, 'target.heapsnapshot'),
    final: path.join(dir, 'final.heapsnapshot'),
  };
  let target: Inspectee;
  const client = startTestWorkerClient();

  before(async () => {
    target = await startInspectee(5_000);
    await captureSeries(target, [
      { file: files.base },
      {
        evaluate: `globalThis.leaked = []; for (let i = 0; i < 1234; i++) leaked.push(new ${FIXTURE_CLASS}(1e6 + i));`,
        file: files.target,
      },
      {
        evaluate: `globalThis.temp = []; for (let i = 0; i < 300; i++) temp.push(new ${FIXTURE_CLASS}(2e6 + i)); globalThis.temp = null;`,
        file: files.final,
      },
    ]);
  });
  after(async () => {
    await client.dispose();
    target?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens a snapshot with progress and answers paged queries', async () => {
    const phases = new Set<string>();
    const snap = await client.openSnapshot(files.target, { onProgress: (phase) => phases.add(phase) });
    assert.ok(snap.handle > 0 && snap.nodeCount > 10_000 && snap.edgeCount > snap.nodeCount);
    assert.ok(phases.has('parse'), `phases: ${[...phases]}`);

    const summary = await client.classSummary(snap.handle, { limit: 500 });
    assert.ok(summary.items.length <= 500 && summary.total >= summary.items.length);
    const fixture = summary.items.find((c) => c.name === FIXTURE_CLASS);
    assert.ok(fixture, 'fixture class listed');
    assert.equal(fixture.count, 5_000 + 1_234);
    for (let i = 1; i < summary.items.length; i++)
      assert.ok(summary.items[i - 1]!.retainedSize >= summary.items[i]!.retainedSize);

    const instances = await client.classInstances(snap.handle, fixture.key, { limit: 10 });
    assert.equal(instances.total, fixture.count);
    assert.equal(instances.items.length, 10);
    const node = instances.items[0]!;
    const details = await client.nodeDetails(snap.handle, node.id);
    assert.equal(details?.className, FIXTURE_CLASS);
    const children = await client.children(snap.handle, node.id, { limit: 50 });
    assert.ok(
      children.items.some((e) => e.name === 'label'),
      'instance has its label property',
    );
    const retainers = await client.retainers(snap.handle, node.id);
    assert.ok(retainers.total >= 1);
    const paths = await client.retainerPaths(snap.handle, node.id);
    assert.ok(paths.length >= 1 && paths[0]!.at(-1)!.node.id === node.id);
    const top = await client.dominators(snap.handle, undefined, { limit: 5 });
    assert.ok(top.items.length > 0 && top.items.length <= 5);
    await assert.rejects(client.children(snap.handle, 0xfffffff0), isFailure('not-found'));
    assert.deepEqual(await client.closeSnapshot(snap.handle), { closed: true });
    await assert.rejects(client.classSummary(snap.handle), isFailure('not-found'));
  });

  it('diffs two snapshots and finds the three-snapshot leak', async () => {
    const [base, tgt, fin] = await Promise.all([
      client.openSnapshot(files.base),
      client.openSnapshot(files.target),
      client.openSnapshot(files.final),
    ]);
    const diff = await client.diff(base.handle, tgt.handle, { limit: 1000 });
    const row = diff.classes.items.find((c) => c.name === FIXTURE_CLASS);
    assert.equal(row?.addedCount, 1234);
    const leaks = await client.leaks(base.handle, tgt.handle, fin.handle, { limit: 1000 });
    const leakedFixtures = leaks.byClass.items.find((c) => c.name === FIXTURE_CLASS);
    assert.equal(leakedFixtures?.count, 1234, 'the 300 temporary objects are not leaks');
    await Promise.all([base, tgt, fin].map((s) => client.closeSnapshot(s.handle)));
  });

  it('returns bad-input errors for files that are not snapshots', async () => {
    const empty = path.join(dir, 'empty.heapsnapshot');
    const text = path.join(dir, 'text.heapsnapshot');
    writeFileSync(empty, '');
    writeFileSync(text, 'this is not json');
    for (const file of [empty, text, path.join(dir, 'missing.heapsnapshot')]) {
      await assert.rejects(
        client.openSnapshot(file),
        (err: unknown) => isFailure('bad-input')(err) && !(err as Error).message.includes('\n'),
      );
    }
    assert.equal((await client.ping('alive')).echo, 'alive');
  });

  it('cancels an open', async () => {
    const controller = new AbortController();
    const pending = client.openSnapshot(files.final, {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await assert.rejects(pending, isFailure('cancelled'));
    assert.equal((await client.ping('after cancel')).echo, 'after cancel');
  });

  it('invalidates handles when the worker restarts', async () => {
    const snap = await client.openSnapshot(files.base);
    await assert.rejects(client.call('crashForTest', { how: 'exit' }), isFailure('worker-crashed'));
    await assert.rejects(
      client.classSummary(snap.handle),
      (err: unknown) => isFailure('not-found')(err) && /restarted/.test((err as Error).message),
    );
    const again = await client.openSnapshot(files.base);
    assert.notEqual(again.handle, snap.handle);
    assert.ok((await client.classSummary(again.handle, { limit: 1 })).items.length === 1);
  });
});
