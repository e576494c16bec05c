import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { HeapAnalysisClient } from '../../src/core/heap/worker/heapAnalysisClient';
import type { HeapRpcMethods } from '../../src/core/heap/worker/protocol';
import { RpcFailure } from '../../src/core/heap/worker/rpcFailure';
import { resolveHeapWorkerPath } from '../../src/core/heap/worker/workerLocation';
import { startTestWorkerClient, TestWorkerMethods } from './testWorkerClient';

const isFailure = (code: string) => (err: unknown) => err instanceof RpcFailure && err.code === code;
/** A day: a call that only ends when the test ends it. */
const FOREVER_MS = 86_400_000;

describe('heap analysis worker RPC', () => {
  const client = startTestWorkerClient();
  after(() => client.dispose());

  it('answers calls from another thread', async () => {
    const r = await client.ping('hello');
    assert.equal(r.echo, 'hello');
    assert.notEqual(r.threadId, threadId);
    assert.equal(r.heapLimitMb, client.heapLimitMb);
  });

  it('runs calls concurrently and matches results by id', async () => {
    const controller = new AbortController();
    let slowSettled = false;
    const slow = client.call('sleep', { ms: FOREVER_MS }, { signal: controller.signal });
    void slow.catch(() => undefined).finally(() => (slowSettled = true));
    const fast = await client.call('ping', { echo: 'fast' });
    assert.equal(fast.echo, 'fast');
    assert.equal(slowSettled, false, 'the ping was answered while the sleep was still running');
    controller.abort();
    await assert.rejects(slow, isFailure('cancelled'));
    const done = await client.call('sleep', { ms: 50 });
    assert.ok(done.sleptMs >= 49, `slept ${done.sleptMs} ms`);
  });

  it('reports progress', async () => {
    const seen: number[] = [];
    const controller = new AbortController();
    const call = client.call(
      'sleep',
      { ms: FOREVER_MS },
      {
        signal: controller.signal,
        onProgress: (phase, f) => {
          if (phase === 'sleep') seen.push(f);
          if (seen.length >= 2) controller.abort();
        },
      },
    );
    await assert.rejects(call, isFailure('cancelled'));
    assert.ok(seen.length >= 2, `progress events: ${seen.length}`);
    assert.ok(seen.every((f) => f >= 0 && f <= 1));
  });

  it('returns an error result for an unknown method', async () => {
    await assert.rejects(client.call('nope' as 'ping', {}), isFailure('unknown-method'));
  });

  it('cancels a call through its AbortSignal without restarting the worker', async () => {
    const generation = client.generation;
    const controller = new AbortController();
    // Cancelled once the worker is known to run it (its first progress report).
    const call = client.call(
      'sleep',
      { ms: FOREVER_MS },
      { signal: controller.signal, onProgress: () => controller.abort() },
    );
    await assert.rejects(call, isFailure('cancelled'));
    // The worker itself stopped the call (it would sleep for a day otherwise).
    while ((await client.call('sleeping', {})).count > 0) await new Promise((r) => setTimeout(r, 20));
    assert.equal((await client.ping('still here')).echo, 'still here');
    assert.equal(client.generation, generation);
    assert.equal(client.pendingCount, 0);
  });

  it('rejects pending calls when the worker exits, then starts a fresh one', async () => {
    const generation = client.generation;
    const waiting = client.call('sleep', { ms: FOREVER_MS });
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
    const small = startTestWorkerClient({ maxOldGenerationSizeMb: 64 });
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

  it('ships no test-only method in the production worker', async () => {
    // The production bundle, called as if it had the tests' methods: it must refuse every one of them.
    const plain = new HeapAnalysisClient() as unknown as HeapAnalysisClient<HeapRpcMethods & TestWorkerMethods>;
    try {
      await assert.rejects(plain.call('crashForTest', { how: 'exit' }), isFailure('unknown-method'));
      await assert.rejects(plain.call('sleep', { ms: 1 }), isFailure('unknown-method'));
      await assert.rejects(plain.call('spin', { ms: 1 }), isFailure('unknown-method'));
      assert.equal((await plain.ping('alive')).echo, 'alive');
    } finally {
      await plain.dispose();
    }
  });

  it('dispose fails pending calls and refuses new ones', async () => {
    const c = startTestWorkerClient();
    const pending = assert.rejects(c.call('sleep', { ms: FOREVER_MS }), isFailure('disposed'));
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
