import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { ProcessMonitor } from '../../src/core/monitor/processMonitor';
import type { MemorySample } from '../../src/core/types';
import { Inspectee, startInspectee } from '../heap-capture/inspectee';
import { ManualClock } from '../helpers/manualClock';

// The schedule is the subject: a manual clock says when each next sample is due, so nothing here depends on how
// fast the machine is; the samples themselves come from a real debuggee.
describe('ProcessMonitor.setIntervalMs (sampling interval changed without reconnecting)', () => {
  let target: Inspectee;
  before(async () => {
    target = await startInspectee(100);
  });
  after(() => target?.kill());

  it('samples at the new interval on the same connection and keeps the history', async () => {
    const clock = new ManualClock();
    const monitor = await ProcessMonitor.attach(target.wsUrl, { intervalMs: 1500, clock });
    /** Fires the next timer (a tick) and waits for its sample; the debuggee answers, so no wait timer fires. */
    const tick = async (): Promise<MemorySample> => {
      const sample = once(monitor, 'sample');
      assert.ok(clock.runNext(), 'a sample is scheduled');
      return (await sample)[0] as MemorySample;
    };
    try {
      const first = monitor.history.toArray().at(-1)!;
      assert.deepEqual(clock.pending(), [first.t + 1500], 'the next sample one interval after the first');
      const second = await tick();
      assert.equal(second.t, first.t + 1500);
      const before = monitor.history.size;
      assert.ok(before >= 2, `samples at 1.5 s: ${before}`);
      const connection = monitor.connection;

      // Shorter, switched 100 ms into a wait: the next sample comes 200 ms after the last one started.
      clock.advance(100);
      monitor.setIntervalMs(200);
      assert.equal(monitor.intervalMs, 200);
      assert.deepEqual(clock.pending(), [second.t + 200]);
      const fast: MemorySample[] = [];
      for (let i = 0; i < 5; i++) fast.push(await tick());
      assert.deepEqual(
        fast.map((s) => s.t - second.t),
        [200, 400, 600, 800, 1000],
      );
      assert.equal(monitor.connection, connection);
      assert.equal(monitor.history.size, before + fast.length, 'history carried on');

      // Longer: takes effect at once for the wait in progress.
      const last = fast.at(-1)!;
      monitor.setIntervalMs(5000);
      assert.deepEqual(clock.pending(), [last.t + 5000], 'a longer interval takes effect at once');
      // Shorter again, when the new interval has already passed since the last sample: at once.
      clock.advance(1000);
      monitor.setIntervalMs(300);
      assert.deepEqual(clock.pending(), [clock.now()]);
      assert.equal((await tick()).t, last.t + 1000);
    } finally {
      await monitor.dispose();
    }
    assert.deepEqual(clock.pending(), [], 'dispose cancels the next sample');
  });
});
