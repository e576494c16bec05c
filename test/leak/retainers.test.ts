import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { InspectorConnection } from '../../src/core/inspector/connection';
import { LeakMonitor } from '../../src/core/leak/leakMonitor';
import type { LeakReportLine } from '../../src/core/leak/types';
import { startDebuggee, waitFor } from '../helpers/debuggee';
import { CORPUS, manifest, probe } from '../helpers/retainers';

describe('retainers: two heap snapshots name the holder that keeps a real leak, and the line that adds to it', () => {
  // One program per holder kind; each probe pauses its debuggee twice for a small snapshot.
  const cases = [
    'leak-closure-state.js', // module-level array of closures: undoHandlers.push(() => …)
    'leak-map-cache.js', // Map set, never pruned
    'leak-listeners.js', // listeners on a long-lived EventEmitter
    'leak-timers.js', // an uncleared setInterval per job
    'leak-static-registry.js', // a static registry filled by a constructor
    'leak-promise-reactions.js', // reactions on a promise that never settles
    'ts/leak-typescript.js', // a property array, source-mapped to the .ts line
  ];
  for (const program of cases) {
    it(program, async () => {
      const expected = manifest.find((m) => m.program === program)!.retainer!;
      const result = await probe(program);
      const top = result.retainers[0];
      assert.ok(top, `a retainer for ${program}`);
      assert.equal(top.path, expected.path);
      assert.equal(top.kind, expected.kind);
      assert.equal(top.file, path.join(CORPUS, expected.file));
      assert.equal(top.line, expected.line);
      assert.ok(top.retainedBytes! > 0);
      if (top.kind !== 'promise') {
        assert.ok(top.count! > 0, `count ${top.count}`);
        assert.ok(top.countGrowthPerSec! > 0, `growth ${top.countGrowthPerSec}`);
      }
      assert.equal(result.pausesMs.length, 2);
      assert.ok(result.pausesMs.every((ms) => ms > 0));
      // One listener every 100 ms. The probe starts as the program does, so the one listener function usually becomes
      // an array between the snapshots: the holder is then `_events`, and its count must still be listeners (it
      // was 1 key, growth 0).
      if (program === 'leak-listeners.js')
        assert.ok(top.count! >= 5 && top.countGrowthPerSec! > 3 && top.countGrowthPerSec! < 20, JSON.stringify(top));
      if (program === 'leak-static-registry.js')
        assert.deepEqual(top.keeps, {
          className: 'Connection',
          file: path.join(CORPUS, 'leak-static-registry.js'),
          line: 8,
        });
    });
  }
});

describe('retainers above the snapshot limit: none taken automatically, one probe on demand', () => {
  it('reports over-limit with an expected pause, then findRetainersNow names the holder', async () => {
    const d = await startDebuggee(path.join(CORPUS, 'leak-map-cache.js'));
    const conn = await InspectorConnection.connect(d.wsUrl);
    // A 1-byte limit: every heap is "too big" for automatic snapshots.
    const monitor = new LeakMonitor(conn, { gcIntervalMs: 1000, retainerSnapshotLimitBytes: 1, retainerGapMs: 2000 });
    const lines: LeakReportLine[] = [];
    monitor.on('leak', (l: LeakReportLine) => lines.push(l));
    monitor.on('error', () => undefined);
    try {
      await monitor.start();
      await waitFor(() => lines.length > 0, 90_000, 'a leak verdict');
      const status = monitor.retainerStatus();
      assert.equal(status.state, 'over-limit');
      assert.ok(status.heapBytes! > 0 && status.estimatedPauseMs! > 0, JSON.stringify(status));
      assert.deepEqual(monitor.overhead().snapshotPausesMs, [], 'no automatic snapshot above the limit');
      assert.deepEqual(lines.at(-1)!.retainers, []);

      const retainers = await monitor.findRetainersNow();
      assert.equal(retainers[0]?.path, 'cache (Map) in module leak-map-cache.js');
      assert.equal(retainers[0]?.line, 10);
      assert.equal(monitor.retainerStatus().state, 'done');
      assert.equal(monitor.overhead().snapshotPausesMs.length, 2);
      assert.deepEqual(
        lines.at(-1)!.retainers.map((r) => r.path),
        retainers.map((r) => r.path),
        'a new leak line carries the retainers',
      );
    } finally {
      await monitor.dispose();
      await conn.close();
      await d.kill();
    }
  });
});
