import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { InspectorConnection } from '../../src/core/inspector/connection';
import { LeakMonitor } from '../../src/core/leak/leakMonitor';
import { SamplingProfiler, type ProfilerState } from '../../src/core/leak/samplingProfiler';
import { jsonLines, runCli } from '../helpers/cli';
import { startDebuggee, waitFor } from '../helpers/debuggee';

const CORPUS = path.resolve(__dirname, '../fixtures/leaks');

describe('fast leaks are flagged fast (issue 12 §3)', () => {
  // Both run at once. The targets (a verdict within 30 s of the first sample whatever the rate, at ≤ 1 % of a core)
  // are measured by `npm run bench:leaks`; this test guards them with the margin a loaded CI machine needs (before
  // natural GCs counted as baselines, the 5 MB/s leak took 99 s).
  it('flags a 5 MB/s and a 20 MB/s leak within 45 s, within the cost budget', async () => {
    const run = (program: string) =>
      runCli(
        ['run', '--detect-leaks', '--json', '--duration', '50', '--', process.execPath, path.join(CORPUS, program)],
        { timeoutMs: 120_000 },
      );
    const results = await Promise.all([run('leak-5mb.js'), run('leak-20mb.js')]);
    for (const [i, r] of results.entries()) {
      const [name, minRate, maxRate] = i === 0 ? ['5 MB/s', 2.5e6, 10e6] : ['20 MB/s', 10e6, 40e6];
      assert.equal(r.code, 4, `${name}: ${r.stderr}`);
      const lines = jsonLines(r.stdout);
      const startedAt = lines.find((l) => l.type === 'sample').t;
      const first = lines.find((l) => l.type === 'leak');
      assert.ok(first, `${name}: a leak line`);
      assert.equal(first.metric, 'heap');
      const afterSec = (first.t - startedAt) / 1000;
      assert.ok(afterSec <= 45, `${name}: first leak line ${afterSec.toFixed(1)} s after the first sample`);
      assert.ok(
        first.rateBytesPerSec >= minRate && first.rateBytesPerSec <= maxRate,
        `${name}: rate ${first.rateBytesPerSec}`,
      );
      const proc = lines.at(-1).leaks.processes[0];
      // V8's own full GCs gave baselines: forced ones alone cannot keep up with such a heap within the budget.
      assert.ok(proc.overhead.naturalBaselines >= 1, `${name}: ${JSON.stringify(proc.overhead)}`);
      assert.ok(proc.overhead.cpuPercent <= 2, `${name}: detection cost ${proc.overhead.cpuPercent} % of a core`);
      assert.doesNotMatch(r.stderr, /stopped by another tool/);
    }
  });
});

describe('the sampling heap profiler and "stopped by another tool"', () => {
  it('a read that overlaps our own restart keeps the profiler ours; a real stop by another client is reported', async () => {
    const d = await startDebuggee(path.join(CORPUS, 'leak-1mb.js'));
    const ours = await InspectorConnection.connect(d.wsUrl);
    const other = await InspectorConnection.connect(d.wsUrl);
    try {
      const profiler = new SamplingProfiler(ours, 16 * 1024, 1000);
      const states: ProfilerState[] = [];
      profiler.on('state', (s: ProfilerState) => states.push(s));
      await profiler.start();
      assert.equal(profiler.state.state, 'running');
      // The restart (a new sampling interval) stops the profiler for a moment; reads sent meanwhile used to be
      // answered "not started" and reported as another tool's doing.
      const restart = (profiler as unknown as { restart(): Promise<void> }).restart.bind(profiler);
      for (let i = 0; i < 5; i++) {
        const [, a, b] = await Promise.all([restart(), profiler.read(Date.now()), profiler.read(Date.now())]);
        assert.ok(a?.head && b?.head, 'both reads return a profile');
      }
      assert.equal(profiler.state.state, 'running');
      assert.ok(
        states.every((s) => s.state === 'running'),
        JSON.stringify(states.filter((s) => s.state !== 'running')),
      );
      // Another client really stops it: that is said.
      await other.send('HeapProfiler.stopSampling');
      assert.equal(await profiler.read(Date.now()), null);
      assert.equal(profiler.state.state, 'unavailable');
      assert.match((profiler.state as { reason: string }).reason, /stopped by another tool/);
      await profiler.dispose();
    } finally {
      await other.close();
      await ours.close();
      await d.kill();
    }
  });

  it('on a busy 1 GB heap: no false "stopped by another tool", cost within the budget', async () => {
    const d = await startDebuggee(
      path.resolve(__dirname, '../fixtures/programs/big-heap-busy.js'),
      ['1100'],
      ['--max-old-space-size=3000'],
    );
    const conn = await InspectorConnection.connect(d.wsUrl);
    const monitor = new LeakMonitor(conn, {});
    const states: ProfilerState[] = [];
    monitor.on('profiler', (s: ProfilerState) => states.push(s));
    monitor.on('error', () => undefined);
    try {
      await waitFor(() => d.stdout().includes('built'), 120_000, 'the 1.1 GB heap to be built');
      await monitor.start();
      await new Promise((r) => setTimeout(r, 30_000));
      const o = monitor.overhead();
      assert.ok(
        states.every((s) => s.state !== 'unavailable'),
        JSON.stringify(states.filter((s) => s.state !== 'running')),
      );
      assert.equal(monitor.profilerState.state, 'running');
      assert.ok(o.cpuPercent <= 2, `detection cost ${o.cpuPercent.toFixed(2)} % of a core: ${JSON.stringify(o)}`);
      // Baselines are counted, so a report without a verdict can say "not enough data (N baselines)".
      assert.ok(monitor.detector.dataStatus().baselines >= 1, JSON.stringify(monitor.detector.dataStatus()));
    } finally {
      await monitor.dispose();
      await conn.close();
      await d.kill();
    }
  });
});
