// Fault suite (issue 10, items 4 and 5): a paused or blocked debuggee never makes memmon hang or overrun --duration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonLines, runCli } from '../helpers/cli';
import { startDebuggee, type Debuggee } from '../helpers/debuggee';
import { InspectorConnection } from '../../src/core/inspector/connection';

/** Makes paused.js stop at its `debugger;` statement, as an editor's debugger would; resolves with that session. */
async function pauseAtDebuggerStatement(d: Debuggee): Promise<InspectorConnection> {
  const editor = await InspectorConnection.connect(d.wsUrl);
  const paused = new Promise<void>((resolve) =>
    editor.on('event', (e: { method: string }) => e.method === 'Debugger.paused' && resolve()),
  );
  await editor.send('Debugger.enable', {});
  await paused;
  return editor;
}

test('item 4: memmon gc against a debuggee paused at a `debugger;` statement says "debuggee is paused" and exits 1 within ~2 s', async () => {
  const d = await startDebuggee('paused.js');
  const editor = await pauseAtDebuggerStatement(d);
  try {
    const r = await runCli(['gc', String(d.port)], { timeoutMs: 60_000 });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /debuggee is paused/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    // ~1 s of probing plus start-up; generous for a loaded machine, far below the old 60 s.
    assert.ok(r.ms < 6000, `took ${r.ms} ms`);
  } finally {
    await editor.close();
    await d.kill();
  }
});

test('item 4: memmon gc against node --inspect-brk (waiting for the debugger) says "debuggee is paused", exit 1', async () => {
  const d = await startDebuggee('idle.js', [], ['--inspect-brk=127.0.0.1:0']);
  try {
    const r = await runCli(['gc', '--json', String(d.port)], { timeoutMs: 60_000 });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /debuggee is paused/);
    assert.equal(r.stdout, '');
    assert.ok(r.ms < 6000, `took ${r.ms} ms`);
  } finally {
    await d.kill();
  }
});

test('item 4: attach --duration 4 --diagnostic-interval 1 to a paused debuggee ends on time and reports the GCs as skipped (paused)', async () => {
  const d = await startDebuggee('paused.js');
  const editor = await pauseAtDebuggerStatement(d);
  try {
    const r = await runCli(['attach', '--json', '--duration', '4', '--diagnostic-interval', '1', String(d.port)], {
      timeoutMs: 90_000,
    });
    assert.equal(r.code, 0, r.stderr);
    // --duration is never overrun by more than ~2 s (plus process start-up on a loaded machine).
    assert.ok(r.ms < 4000 + 4000, `took ${r.ms} ms`);
    const lines = jsonLines(r.stdout);
    const skipped = lines.filter((l) => l.type === 'skipped');
    assert.ok(skipped.length >= 1, 'at least one diagnostic GC was skipped');
    for (const s of skipped) {
      assert.equal(s.task, 'gc');
      assert.equal(s.reason, 'paused');
    }
    assert.equal(lines.filter((l) => l.type === 'gc').length, 0, 'no GC ran in a paused debuggee');
    const summary = lines.at(-1);
    assert.equal(summary.reason, 'duration');
    assert.ok(summary.skippedDiagnostics >= 1);
  } finally {
    await editor.close();
    await d.kill();
  }
});

const BLOCKED = ['-e', "setTimeout(() => require('node:child_process').execFileSync('sleep', ['30']), 50)"];

test("item 5: attach --duration 5 to a debuggee blocked in native code (execFileSync('sleep')) ends on time, names its pid and RSS, exits 1", async () => {
  const d = await startBlocked();
  try {
    const r = await runCli(['attach', '--json', '--duration', '5', String(d.port)], { timeoutMs: 90_000 });
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.ms < 5000 + 4000, `took ${r.ms} ms`);
    const summary = jsonLines(r.stdout).at(-1);
    assert.equal(summary.type, 'summary');
    assert.equal(summary.exitCode, 1);
    assert.equal(summary.processes[0]?.pid, d.pid, 'pid learned from the inspector, not from the blocked debuggee');
    assert.match(summary.errors.join('\n'), new RegExp(`pid ${d.pid} gave no memory reading .*RSS \\d`));
  } finally {
    await d.kill();
  }
});

test('item 5: memmon gc against a debuggee blocked in native code says it is not answering, exit 1, quickly', async () => {
  const d = await startBlocked();
  try {
    const r = await runCli(['gc', String(d.port)], { timeoutMs: 60_000 });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /not answering/);
    assert.doesNotMatch(r.stderr, /pid \?/);
    assert.ok(r.ms < 8000, `took ${r.ms} ms`);
  } finally {
    await d.kill();
  }
});

/** A debuggee whose main thread sits in a synchronous child process once its first timer fires. */
async function startBlocked(): Promise<Debuggee> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', ...BLOCKED], { stdio: ['ignore', 'pipe', 'pipe'] });
  const wsUrl = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (b) => {
      err += b;
      const m = /ws:\/\/\S+/.exec(err);
      if (m) resolve(m[0]);
    });
    child.once('exit', () => reject(new Error(err)));
  });
  // Blocked once the timer ran: the inspector no longer answers heap requests.
  const conn = await InspectorConnection.connect(wsUrl);
  for (;;) {
    const answered = await conn.send('Runtime.getHeapUsage', {}, 300).then(
      () => true,
      () => false,
    );
    if (!answered) break;
  }
  await conn.close();
  return {
    child,
    pid: child.pid!,
    wsUrl,
    port: Number(new URL(wsUrl).port),
    stdout: () => '',
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await gone;
      }
    },
  };
}
