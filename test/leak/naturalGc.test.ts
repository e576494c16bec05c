import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InspectorConnection } from '../../src/core/inspector/connection';
import { NaturalGcWatch, type NaturalBaseline } from '../../src/core/leak/naturalGc';
import { startDebuggee } from '../helpers/debuggee';

describe("V8's own full GCs as baselines (NaturalGcWatch)", () => {
  it('gives each collection its own time even when a drain comes before Node.js delivered the GC entries', async () => {
    // The CI failure this guards: a drain during a busy stretch found 4 full GCs and no performance entries yet, all
    // 4 got the drain's time, the detector kept one of them, and a 20 MB/s leak had too few baselines for a verdict.
    const d = await startDebuggee('busy-majors.js');
    const conn = await InspectorConnection.connect(d.wsUrl);
    const watch = new NaturalGcWatch(conn);
    try {
      await watch.init();
      assert.ok(watch.active, 'v8.GCProfiler is available on this Node.js');
      const all: NaturalBaseline[] = [];
      const drainTimes: number[] = [];
      const started = Date.now();
      while (Date.now() - started < 12_000) {
        const r = await watch.drain();
        assert.ok(r, 'the watcher answers');
        drainTimes.push(Date.now());
        all.push(...r.baselines);
        await new Promise((res) => setTimeout(res, 300));
      }
      // Idle, 8–11 full GCs; with a CPU hog 5 (and the last window may still wait for its entries).
      assert.ok(all.length >= 3, `full GCs seen: ${all.length}`);
      // Strictly increasing, distinct times, none in the future nor before the watcher started.
      for (let i = 1; i < all.length; i++)
        assert.ok(all[i]!.t > all[i - 1]!.t, `baseline ${i}: ${all[i - 1]!.t} then ${all[i]!.t}`);
      assert.ok(all[0]!.t >= started - 1000 && all.at(-1)!.t <= Date.now());
      // Most drains during the busy stretches came before the entries: times are still spread, not stacked on drains
      // (a collection may really happen during a drain: 2 of 6 did with a CPU hog).
      const onADrain = all.filter((b) => drainTimes.some((t) => Math.abs(t - b.t) < 5)).length;
      assert.ok(onADrain <= all.length / 2, `${onADrain} of ${all.length} baselines carry a drain's time`);
    } finally {
      await watch.dispose();
      await conn.close();
      await d.kill();
    }
  });
});
