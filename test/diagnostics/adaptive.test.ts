import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { AdaptiveScheduler, SkippedRun } from '../../src/core/scheduling/adaptiveScheduler';
import type { LoadState } from '../../src/core/scheduling/debuggeeLoad';
import { ProcessMonitor } from '../../src/core/monitor/processMonitor';
import { MonitorDiagnostics } from '../../src/core/scheduling/monitorDiagnostics';
import { jsonLines, runCli } from '../helpers/cli';
import { FIXTURES, startDebuggee, waitFor } from '../helpers/debuggee';

// The threshold is low because the machine running the tests may be shared: a spinning process then gets well under
// one core (measured 45 % at a load average of 5 on 2 cores), while the same process idles at 1–3 %.
test('diagnostic GCs back off while a CPU-bound program spins and resume once it idles; every skip is a JSON line and a log line', async () => {
  const r = await runCli(
    [
      'run',
      '--json',
      '--interval',
      '0.5',
      '--diagnostic-interval',
      '1',
      '--busy-cpu',
      '20',
      '--duration',
      '9',
      '--',
      process.execPath,
      path.join(FIXTURES, 'cpu-bound.js'),
      '4',
    ],
    { timeoutMs: 20_000 },
  );
  assert.equal(r.code, 0, r.stderr);
  const lines = jsonLines(r.stdout);
  const pid = lines.find((l) => l.type === 'sample').pid;
  const skipped = lines.filter((l) => l.type === 'skipped');
  const gcs = lines.filter((l) => l.type === 'gc');
  assert.ok(skipped.length >= 2, `skipped ${skipped.length}: ${r.stderr}`);
  for (const s of skipped) {
    assert.equal(s.pid, pid);
    assert.equal(s.task, 'gc');
    assert.equal(s.reason, 'busy');
    assert.ok(s.cpuPercent > 20, `cpu ${s.cpuPercent}`);
    assert.equal(typeof s.t, 'number');
  }
  // Resumed: GCs ran after the last skip (the program idles after 4 s).
  const lastSkip = Math.max(...skipped.map((s) => s.t));
  assert.ok(
    gcs.some((g) => g.t > lastSkip),
    `gc after the last skip: ${gcs.map((g) => g.t - lastSkip)}`,
  );
  assert.equal(
    (r.stderr.match(/skipped diagnostic GC of pid \d+: debuggee busy \(CPU [\d.]+ %\)/g) ?? []).length,
    skipped.length,
  );
  assert.equal(lines.at(-1).skippedDiagnostics, skipped.length);
});

test('a debuggee blocked in native code (not answering) is skipped as paused, and counting resumes once it answers again', async () => {
  // Blocks from 1 s to 7 s; the first count is due at 4.5 s, when samples have been stale for > 3 s.
  const d = await startDebuggee('busy.js', ['6']);
  const monitor = await ProcessMonitor.attach(d.wsUrl, { intervalMs: 250, pid: d.pid });
  const diagnostics = new MonitorDiagnostics(monitor, {
    watchedClasses: ['Array'],
    objectsIntervalMs: 500,
    objectsFirstDelayMs: 4500,
    retryMs: 500,
  });
  const skipped: SkippedRun[] = [];
  diagnostics.on('skipped', (s: SkippedRun) => skipped.push(s));
  let counted = 0;
  diagnostics.on('objects', () => counted++);
  try {
    await waitFor(() => skipped.some((s) => s.reason === 'paused'), 10_000, 'a paused skip');
    const s = skipped.find((x) => x.reason === 'paused')!;
    assert.equal(s.task, 'objects');
    assert.equal(s.detail, 'not answering');
    const before = counted;
    await waitFor(() => d.stdout().includes('done blocking'), 10_000, 'the block to end');
    await waitFor(() => counted > before, 10_000, 'counting to resume');
  } finally {
    await diagnostics.dispose();
    await monitor.dispose();
    await d.kill();
  }
});

test('scheduler logic: skips double their retry delay up to the interval, then the period resumes', async () => {
  let state: LoadState = { reason: 'busy', cpuPercent: 99 };
  let runs = 0;
  const scheduler = new AdaptiveScheduler(
    () => state,
    [{ name: 'gc', intervalMs: 160, firstDelayMs: 0, run: async () => void runs++ }],
    { pid: 1, retryMs: 20 },
  );
  const skipped: SkippedRun[] = [];
  scheduler.on('skipped', (s: SkippedRun) => skipped.push(s));
  scheduler.start();
  await waitFor(() => skipped.length >= 5, 5000, 'five skips');
  assert.deepEqual(
    skipped.slice(0, 5).map((s) => s.retryInMs),
    [20, 40, 80, 160, 160],
  );
  assert.equal(runs, 0);
  state = { reason: null, cpuPercent: 3 };
  await waitFor(() => runs >= 2, 5000, 'runs to resume');
  await scheduler.runNow('gc');
  assert.ok(runs >= 3);
  await scheduler.stop();
});

test('--snapshot-interval takes periodic heap snapshots (snapshot JSON lines, 0600 files); without a folder it is a usage error', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'memmon-snapshots-'));
  const r = await runCli(
    [
      'run',
      '--json',
      '--snapshot-interval',
      '1',
      '--snapshot-dir',
      dir,
      '--duration',
      '3.5',
      '--',
      process.execPath,
      path.join(FIXTURES, 'idle.js'),
    ],
    { timeoutMs: 20_000 },
  );
  assert.equal(r.code, 0, r.stderr);
  const snaps = jsonLines(r.stdout).filter((l) => l.type === 'snapshot');
  assert.ok(snaps.length >= 1, r.stderr);
  for (const s of snaps) {
    assert.equal(path.dirname(s.file), dir);
    assert.equal(statSync(s.file).size, s.bytes);
    assert.equal(statSync(s.file).mode & 0o777, 0o600);
    assert.ok(readFileSync(s.file, 'utf8').startsWith('{"snapshot":'));
  }
  const usage = await runCli(['run', '--snapshot-interval', '1', '--', process.execPath, '-e', '0'], {
    timeoutMs: 10_000,
  });
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--snapshot-dir/);
});
