// Heap snapshots leave V8's snapshot writer's memory in the debuggee's allocator: RSS jumps by hundreds of MB and
// stays. The CI run that found it: after Hunt Leak's three snapshots the e2e's leaky server was flagged for "native
// memory (RSS) grows +275 MB/min". Whoever takes the snapshot, the RSS trend must not read that jump as growth.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { captureHeapSnapshot } from '../../src/core/heap/capture/capture';
import { LeakMonitor } from '../../src/core/leak/leakMonitor';
import { ProcessMonitor } from '../../src/core/monitor/processMonitor';
import type { MemorySample } from '../../src/core/types';
import { startDebuggee } from '../helpers/debuggee';

const MB = 1e6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RSS after heap snapshots', () => {
  it("discounts the memory a snapshot leaves behind from the RSS baselines (any sender's snapshot)", async () => {
    const d = await startDebuggee('big-heap.js', ['80']);
    const dir = mkdtempSync(path.join(tmpdir(), 'memmon-rss-'));
    const monitor = await ProcessMonitor.attach(d.wsUrl, { pid: d.pid, intervalMs: 500 });
    // A generous GC budget: the test needs post-GC RSS readings (forced GCs), not the detector's cost discipline.
    const leaks = new LeakMonitor(monitor.connection, { pid: d.pid, samplingIntervalBytes: 0, budget: 0.2 });
    leaks.on('error', () => undefined);
    const samples: MemorySample[] = [];
    monitor.on('sample', (s: MemorySample) => {
      samples.push(s);
      leaks.addSample(s);
    });
    try {
      await leaks.start();
      await sleep(4000);
      const before = Math.max(...samples.map((s) => s.rss ?? 0));
      // Sent the way the extension's Take Snapshot and Hunt Leak send them: on the monitor's own connection.
      for (let i = 0; i < 3; i++) {
        await captureHeapSnapshot(monitor.connection, path.join(dir, `s${i}.heapsnapshot`));
        await sleep(3000);
      }
      await sleep(3000);
      const after = Math.max(...samples.map((s) => s.rss ?? 0));
      // The precondition: V8 kept the writer's memory (1.2 GB for an 87 MB heap when measured).
      assert.ok(after - before > 150 * MB, `raw RSS ${before / MB} → ${after / MB} MB`);
      const rss = leaks.detector.points('rss').map((p) => p.v);
      assert.ok(rss.length >= 4, `RSS baselines: ${rss.length}`);
      const spread = Math.max(...rss) - Math.min(...rss);
      assert.ok(
        spread < 0.3 * (after - before),
        `post-GC RSS spread ${(spread / MB).toFixed(0)} MB (raw jump ${((after - before) / MB).toFixed(0)} MB): ${rss.map((v) => (v / MB).toFixed(0)).join(', ')}`,
      );
      assert.ok(!leaks.verdicts.some((v) => v.metric === 'rss'), 'no RSS verdict');
    } finally {
      await leaks.dispose();
      await monitor.dispose();
      await d.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
