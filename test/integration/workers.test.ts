import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { completeJsonLines, jsonLines, runCli, startCli } from '../helpers/cli';
import { startDebuggee } from '../helpers/debuggee';
import { InspectorConnection, InspectorError } from '../../src/core/inspector/connection';
import { learnThreadId } from '../../src/core/sampling/sampler';

const FIXTURES = path.resolve(__dirname, '../fixtures/workers');
type Line = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

test('run --detect-leaks: a leaking worker_threads Worker is its own row, named by threadId and source line', async () => {
  const program = path.join(FIXTURES, 'worker-leak.js');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'memmon-workers-'));
  const snapDir = mkdtempSync(path.join(os.tmpdir(), 'memmon-workers-snap-'));
  const r = await runCli(
    [
      'run',
      '--detect-leaks',
      '--json',
      '--log-dir',
      dir,
      '--snapshot-at',
      '12',
      '--snapshot-dir',
      snapDir,
      '--duration',
      '38',
      '--',
      process.execPath,
      program,
    ],
    { timeoutMs: 90_000 },
  );
  assert.equal(r.code, 4, r.stderr);
  const lines = jsonLines(r.stdout);
  const samples = lines.filter((l) => l.type === 'sample');
  const main = samples.filter((s) => !('threadId' in s));
  const worker = samples.filter((s) => 'threadId' in s);
  assert.ok(main.length >= 10 && worker.length >= 10, `${main.length} main, ${worker.length} worker samples`);
  const threadId = worker[0].threadId;
  assert.ok(Number.isInteger(threadId) && threadId >= 1, `threadId ${threadId}`);
  assert.ok(worker.every((s) => s.threadId === threadId && s.pid === main[0].pid && typeof s.heapUsed === 'number'));
  // The worker's heap grows by megabytes, the main thread's barely moves.
  assert.ok(worker.at(-1)!.heapUsed - worker[0].heapUsed > 5_000_000, 'worker heap grew');

  const leaks = lines.filter((l) => l.type === 'leak');
  assert.ok(leaks.length >= 1, r.stderr);
  assert.ok(
    leaks.every((l) => l.threadId === threadId && l.pid === main[0].pid),
    'every verdict is the worker, none the main thread',
  );
  const site = leaks.at(-1)!.sites[0];
  assert.equal(site.file, program);
  assert.equal(site.line, 17);
  const leakAlerts = lines.filter((l) => l.type === 'alert' && l.level === 'leak');
  assert.ok(leakAlerts.length >= 1 && leakAlerts.every((a) => a.threadId === threadId));

  const summary = lines.at(-1)!;
  assert.equal(summary.type, 'summary');
  assert.equal(summary.processes.length, 2);
  assert.equal(summary.processes.filter((p: Line) => p.threadId === threadId).length, 1);
  const verdicts = summary.leaks.processes;
  assert.equal(verdicts.find((p: Line) => !('threadId' in p)).verdicts.length, 0, 'main thread: no leak');
  assert.ok(verdicts.find((p: Line) => p.threadId === threadId).verdicts.length >= 1);
  assert.match(r.stderr, new RegExp(`worker thread ${threadId}: LEAK SUSPECTED in JS heap`));
  assert.match(r.stderr, /pid \d+: no leak suspected/);
  // One recording per row, the worker's named with its thread.
  const files = readdirSync(dir);
  assert.equal(files.length, 2, files.join(', '));
  assert.ok(files.some((f) => f.includes(`-t${threadId}-`)));
  // --snapshot-at snapshots each thread: the Worker's own heap, with its kept batches, in a file named by its thread.
  const snaps = lines.filter((l) => l.type === 'snapshot');
  assert.equal(snaps.length, 2, JSON.stringify(snaps));
  const workerSnap = snaps.find((l) => l.threadId === threadId);
  assert.ok(workerSnap && snaps.some((l) => !('threadId' in l)), JSON.stringify(snaps));
  assert.ok(path.basename(workerSnap.file).includes(`-t${threadId}-`), workerSnap.file);
  const analyzed = await runCli(['analyze', workerSnap.file, '--json', '--top', '20']);
  assert.equal(analyzed.code, 0, analyzed.stderr);
  // ~25,000 `{i, at}` objects a second (named Object here: they are almost all the plain objects, so no shape class).
  const kept = JSON.parse(analyzed.stdout).classes.find((c: Line) => c.name === 'Object' || c.name === '{i, at}');
  assert.ok(kept && kept.count >= 100_000, `the Worker's kept batches: ${JSON.stringify(kept)}`);
});

test('attach: a Worker that starts later gets its own row, which closes when the Worker ends', async () => {
  const d = await startDebuggee(path.join(FIXTURES, 'late-worker.js'));
  const cli = startCli(['attach', '--json', '--interval', '0.25', String(d.port)]);
  try {
    const threadId = await cli.waitForOutput(
      ({ stdout }) => completeJsonLines(stdout).find((l) => l.type === 'sample' && 'threadId' in l)?.threadId,
      'a sample of the worker',
      30_000,
    );
    // The worker ends after ~3 s; the main thread goes on being sampled afterwards.
    await cli.waitForOutput(
      ({ stdout }) => {
        const s = completeJsonLines(stdout).filter((l) => l.type === 'sample');
        const lastWorker = s.findLastIndex((l) => l.threadId === threadId);
        return s.slice(lastWorker + 1).filter((l) => !('threadId' in l)).length >= 12;
      },
      'main-thread samples after the worker ended',
      60_000,
    );
    const out = completeJsonLines(cli.output().stdout).filter((l) => l.type === 'sample');
    assert.ok(out.every((l) => l.pid === d.pid));
  } finally {
    await d.kill();
  }
  const r = await cli.done;
  const summary = jsonLines(r.stdout).at(-1)!;
  assert.equal(summary.type, 'summary');
  assert.equal(summary.processes.length, 2, JSON.stringify(summary.processes));
});

test("a Worker's tunnelled connection: the Worker tells its threadId (js-debug's case), and closes with the process", async () => {
  const d = await startDebuggee(path.join(FIXTURES, 'worker-leak.js'));
  const main = await InspectorConnection.connect(d.wsUrl);
  try {
    const attached = main.waitForEvent('NodeWorker.attachedToWorker', 10_000);
    await main.send('NodeWorker.enable', { waitForDebuggerOnStart: false });
    const { sessionId, workerInfo } = await attached;
    const worker = main.forWorker(sessionId, Number(workerInfo.workerId));
    assert.match(worker.description, /worker thread \d+/);
    assert.equal(await learnThreadId(worker), Number(workerInfo.workerId));
    assert.equal(await learnThreadId(main), null, 'the main thread is not a Worker');
    const heap = await worker.send('Runtime.getHeapUsage', {});
    assert.ok(heap.usedSize > 0);
    const closed = new Promise<InspectorError>((resolve) => worker.once('close', resolve));
    await d.kill();
    assert.equal((await closed).code, 'closed');
    await assert.rejects(worker.send('Runtime.getHeapUsage', {}), (e: InspectorError) => e.code === 'closed');
  } finally {
    await main.close();
    await d.kill();
  }
});
