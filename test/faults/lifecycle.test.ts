// Fault suite (issue 10): how `memmon run` starts, ends and dies. Real programs, real signals, real files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { completeJsonLines, jsonLines, runCli, startCli } from '../helpers/cli';
import { waitFor } from '../helpers/debuggee';

const node = process.execPath;
/** Repetitions of the 0–200 ms exit-delay sweep (`MEMMON_FAULT_REPS=10 npm run test:faults` for a long soak). */
const REPS = Number(process.env.MEMMON_FAULT_REPS ?? 2);

/** True while `pid` runs (a zombie nobody reaped counts as gone: it holds no port and runs no code). */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

function tmp(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `memmon-${prefix}-`));
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

test(`item 0: run --json -- node -e 'process.exit(7)' after 0–200 ms (10 ms steps ×${REPS}) always exits 7 with a summary and a --report, never hangs`, async () => {
  const dir = tmp('exit-at-once');
  const delays: number[] = [];
  for (let r = 0; r < REPS; r++) for (let d = 0; d <= 200; d += 10) delays.push(d);
  let maxMs = 0;
  await pool(delays, 3, async (d) => {
    const report = path.join(dir, `report-${d}-${Math.random().toString(36).slice(2)}.json`);
    const r = await runCli(
      ['run', '--json', '--report', report, '--', node, '-e', `setTimeout(() => process.exit(7), ${d})`],
      { timeoutMs: 30_000 },
    );
    maxMs = Math.max(maxMs, r.ms);
    assert.equal(r.code, 7, `delay ${d} ms: exit ${r.code} after ${r.ms} ms; stderr: ${r.stderr}`);
    const summary = jsonLines(r.stdout).at(-1);
    assert.equal(summary?.type, 'summary', `delay ${d} ms: no summary line`);
    assert.equal(summary.programExitCode, 7);
    assert.equal(summary.exitCode, 7);
    assert.equal(JSON.parse(readFileSync(report, 'utf8')).programExitCode, 7, `delay ${d} ms: report`);
  });
  // Far below the 30 s kill: a hang would show up as a timeout (exit null) above.
  assert.ok(maxMs < 20_000, `slowest run took ${maxMs} ms`);
});

test('item 0: run --json -- node nosuchfile.js exits 1 (the program’s code) with a summary and a --report', async () => {
  const report = path.join(tmp('nosuchfile'), 'r.json');
  const r = await runCli(['run', '--json', '--report', report, '--', node, 'nosuchfile.js'], { timeoutMs: 30_000 });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /Cannot find module/);
  const summary = jsonLines(r.stdout).at(-1);
  assert.equal(summary?.type, 'summary');
  assert.equal(summary.programExitCode, 1);
  assert.ok(existsSync(report));
});

test('item 2: SIGKILL of `memmon run` does not orphan the program tree (program and its child die with memmon)', async () => {
  const program = `
    const { spawn } = require('node:child_process');
    const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' });
    console.log('PIDS ' + process.pid + ' ' + c.pid);
    setInterval(() => {}, 1000);`;
  const cli = startCli(['run', '--json', '--interval', '0.2', '--', node, '-e', program], { timeoutMs: 60_000 });
  let pids: number[] = [];
  try {
    pids = await cli.waitForOutput((o) => {
      const m = /PIDS (\d+) (\d+)/.exec(o.stderr);
      // Both processes opened an inspector and were sampled: the state the issue reproduces.
      const sampled = new Set(completeJsonLines(o.stdout).map((l) => l.pid));
      return m && sampled.has(Number(m[1])) && sampled.has(Number(m[2])) && [Number(m[1]), Number(m[2])];
    }, 'both processes sampled');
    cli.kill('SIGKILL');
    await cli.done;
    await waitFor(() => pids.every((p) => !running(p)), 15_000, `pids ${pids.join(', ')} to die`);
  } finally {
    for (const p of pids) if (running(p)) process.kill(p, 'SIGKILL');
  }
});

test('item 3: SIGTERM to `memmon run` exits 143 (128 + 15), with the summary saying so', async () => {
  const cli = startCli(['run', '--json', '--interval', '0.2', '--', node, '-e', 'setInterval(() => {}, 1000)'], {
    timeoutMs: 60_000,
  });
  await cli.waitForOutput((o) => completeJsonLines(o.stdout).some((l) => l.type === 'sample'), 'a sample');
  cli.kill('SIGTERM');
  const r = await cli.done;
  assert.equal(r.code, 143, r.stderr);
  const summary = jsonLines(r.stdout).at(-1);
  assert.equal(summary.reason, 'interrupted');
  assert.equal(summary.exitCode, 143);
  // 143 is memmon's (it got the signal), not a code the program exited with (item 11c).
  assert.equal(summary.exitCodeSource, 'memmon');
});

test("item 11c: run -- node -e 'process.exit(2)' exits 2 like a usage error, but the summary says it is the program's (programExitCode 2, exitCodeSource program)", async () => {
  const report = path.join(tmp('exit-2'), 'r.json');
  const r = await runCli(
    ['run', '--json', '--report', report, '--', node, '-e', 'setTimeout(() => process.exit(2), 300)'],
    {
      timeoutMs: 30_000,
    },
  );
  assert.equal(r.code, 2, r.stderr);
  const summary = jsonLines(r.stdout).at(-1);
  assert.equal(summary?.type, 'summary');
  assert.equal(summary.reason, 'program-exited');
  assert.equal(summary.programExitCode, 2);
  assert.equal(summary.exitCode, 2);
  assert.equal(summary.exitCodeSource, 'program');
  assert.equal(JSON.parse(readFileSync(report, 'utf8')).exitCodeSource, 'program');
  // A real usage error exits 2 too, but writes no summary at all: the two can always be told apart.
  const usage = await runCli(['run', '--json', '--no-such-option', '--', node, '-e', '0'], { timeoutMs: 30_000 });
  assert.equal(usage.code, 2);
  assert.equal(jsonLines(usage.stdout).length, 0, usage.stdout);
  // Without --json the human summary names whose code it is.
  const human = await runCli(['run', '--', node, '-e', 'setTimeout(() => process.exit(2), 300)'], {
    timeoutMs: 30_000,
  });
  assert.equal(human.code, 2);
  assert.match(human.stderr, /exit 2: the program's own exit code/);
});

test('item 11c: run --fail-on emergency over a program exiting 0 exits 3, marked exitCodeSource memmon with programExitCode 0', async () => {
  // An emergency level of 1 MB is reached at once; the program itself exits 0.
  const r = await runCli(
    [
      'run',
      '--json',
      '--memory-alert-mb',
      '1',
      '--memory-threshold-mb',
      '1',
      '--fail-on',
      'emergency',
      '--',
      node,
      '-e',
      'setTimeout(() => {}, 1500)',
    ],
    { timeoutMs: 30_000 },
  );
  const summary = jsonLines(r.stdout).at(-1);
  assert.equal(summary?.type, 'summary', r.stderr);
  assert.equal(summary.programExitCode, 0);
  assert.equal(summary.exitCode, 3, r.stderr);
  assert.equal(r.code, 3);
  assert.equal(summary.exitCodeSource, 'memmon');
});
