import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { HeapAnalysisClient } from '../../src/core/heap/worker/heapAnalysisClient';
import { RpcFailure } from '../../src/core/heap/worker/rpcFailure';
import { resolveHeapWorkerPath } from '../../src/core/heap/worker/workerLocation';

const isFailure = (code: string) => (err: unknown) => err instanceof RpcFailure && err.code === code;

describe('heap analysis worker RPC', () => {
  const client = new HeapAnalysisClient({ enableTestMethods: true });
  after(() => client.dispose());

  it('answers calls from another thread', async () => {
    const r = await client.ping('hello');
    assert.equal(r.echo, 'hello');
    assert.notEqual(r.threadId, threadId);
    assert.equal(r.heapLimitMb, client.heapLimitMb);
  });

  it('runs calls concurrently and matches results by id', async () => {
    const [slow, fast] = await Promise.all([client.call('sleep', { ms: 300 }), client.call('ping', { echo: 'fast' })]);
    assert.ok(slow.sleptMs >= 290);
    assert.equal(fast.echo, 'fast');
  });

  it('reports progress', async () => {
    const seen: number[] = [];
    await client.call('sleep', { ms: 400 }, { onProgress: (phase, f) => phase === 'sleep' && seen.push(f) });
    assert.ok(seen.length >= 2, `progress events: ${seen.length}`);
    assert.ok(seen.every((f) => f >= 0 && f <= 1));
  });

  it('returns an error result for an unknown method', async () => {
    await assert.rejects(client.call('nope' as 'ping', {}), isFailure('unknown-method'));
  });

  it('cancels a call through its AbortSignal without restarting the worker', async () => {
    const generation = client.generation;
    const controller = new AbortController();
    const started = Date.now();
    const call = client.call('sleep', { ms: 10_000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(call, isFailure('cancelled'));
    assert.ok(Date.now() - started < 2000);
    assert.equal((await client.ping('still here')).echo, 'still here');
    assert.equal(client.generation, generation);
    assert.equal(client.pendingCount, 0);
  });

  it('rejects pending calls when the worker exits, then starts a fresh one', async () => {
    const generation = client.generation;
    const waiting = client.call('sleep', { ms: 10_000 });
    const crash = client.call('crashForTest', { how: 'exit' });
    await assert.rejects(
      waiting,
      (err: unknown) => isFailure('worker-crashed')(err) && /exited unexpectedly/.test((err as Error).message),
    );
    await assert.rejects(crash, isFailure('worker-crashed'));
    assert.equal((await client.ping('again')).echo, 'again');
    assert.equal(client.generation, generation + 1);
  });

  it('survives an uncaught exception in the worker', async () => {
    const crashes: RpcFailure[] = [];
    client.on('crash', (f: RpcFailure) => crashes.push(f));
    await assert.rejects(
      client.call('crashForTest', { how: 'throw' }),
      (err: unknown) => isFailure('worker-crashed')(err) && /uncaught exception/.test((err as Error).message),
    );
    assert.equal(crashes.length, 1);
    assert.ok((await client.ping()).threadId > 0);
  });
});

describe('heap analysis worker limits and lifecycle', () => {
  it('bounds the worker heap and reports running out of it', async () => {
    const small = new HeapAnalysisClient({ enableTestMethods: true, maxOldGenerationSizeMb: 64 });
    try {
      await assert.rejects(
        small.call('crashForTest', { how: 'oom' }),
        (err: unknown) => isFailure('out-of-memory')(err) && /64 MB/.test((err as Error).message),
      );
      assert.equal((await small.ping('ok')).echo, 'ok');
    } finally {
      await small.dispose();
    }
  });

  it('keeps test-only methods off by default', async () => {
    const plain = new HeapAnalysisClient();
    try {
      await assert.rejects(plain.call('crashForTest', { how: 'exit' }), isFailure('unknown-method'));
      assert.equal((await plain.ping('alive')).echo, 'alive');
    } finally {
      await plain.dispose();
    }
  });

  it('dispose fails pending calls and refuses new ones', async () => {
    const c = new HeapAnalysisClient();
    const pending = assert.rejects(c.call('sleep', { ms: 10_000 }), isFailure('disposed'));
    await c.dispose();
    await pending;
    await assert.rejects(c.ping(), isFailure('disposed'));
  });

  it('finds the worker bundle, and honours an override', () => {
    const found = resolveHeapWorkerPath();
    assert.equal(path.basename(found), 'heapWorker.js');
    assert.equal(resolveHeapWorkerPath(found), found);
    assert.throws(() => resolveHeapWorkerPath('/nonexistent/heapWorker.js'), /not found/);
  });
});
