import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProcessMonitor } from '../../src/core/monitor/processMonitor';
import type { MemorySample } from '../../src/core/types';
import { Inspectee, startInspectee } from '../heap-capture/inspectee';

describe('ProcessMonitor.setIntervalMs (sampling interval changed without reconnecting)', () => {
  let target: Inspectee;
  before(async () => {
    target = await startInspectee(100);
  });
  after(() => target?.kill());

  it('samples at the new interval on the same connection and keeps the history', async () => {
    const monitor = await ProcessMonitor.attach(target.wsUrl, { intervalMs: 1500 });
    try {
      const times: number[] = [];
      monitor.on('sample', (s: MemorySample) => times.push(s.t));
      await new Promise((r) => setTimeout(r, 1700));
      const before = monitor.history.size;
      assert.ok(before >= 2, `samples at 1.5 s: ${before}`);
      const connection = monitor.connection;
      const switchedAt = Date.now();
      monitor.setIntervalMs(200);
      assert.equal(monitor.intervalMs, 200);
      await new Promise((r) => setTimeout(r, 1500));
      const fast = times.filter((t) => t >= switchedAt);
      // At 1.5 s there would be at most 2 samples in 1.5 s; at 200 ms about 7 (fewer on a loaded machine).
      assert.ok(fast.length >= 4, `samples after switching to 200 ms: ${fast.length}`);
      assert.equal(monitor.connection, connection);
      assert.ok(monitor.history.size >= before + fast.length, 'history carried on');
      monitor.setIntervalMs(5000);
      const slowFrom = Date.now();
      await new Promise((r) => setTimeout(r, 1200));
      assert.ok(times.filter((t) => t > slowFrom).length <= 1, 'a longer interval takes effect at once');
    } finally {
      await monitor.dispose();
    }
  });
});
