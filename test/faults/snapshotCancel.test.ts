// Fault suite (issue 10 item 11b): Ctrl-C during `memmon snapshot`. V8 cannot stop a heap snapshot once started, so
// the debuggee stays busy; memmon must delete the partial file and say for about how long, and that must be true.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCli } from '../helpers/cli';
import { Debuggee, startDebuggee } from '../helpers/debuggee';
import { InspectorConnection } from '../../src/core/inspector/connection';
import { parseEndpoint } from '../../src/core/inspector/endpoint';

const CLK_TCK = 100;
/** CPU seconds (user + system) the process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}
/** The share of one core `pid` used over the next `ms` milliseconds. */
async function cpuShare(pid: number, ms: number): Promise<number> {
  const c0 = cpuSeconds(pid);
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, ms));
  return (cpuSeconds(pid) - c0) / ((Date.now() - t0) / 1000);
}

let debuggee: Debuggee | undefined;
const dir = mkdtempSync(path.join(os.tmpdir(), 'memmon-snapshot-cancel-'));
after(async () => {
  await debuggee?.kill();
  rmSync(dir, { recursive: true, force: true });
});

test('item 11b: Ctrl-C during memmon snapshot of a ~60 MB heap deletes the partial file and says the debuggee keeps taking the snapshot for about N s, which holds', async () => {
  debuggee = await startDebuggee('big-heap.js', ['60']);
  const file = path.join(dir, 'cancelled.heapsnapshot');
  const cli = startCli(['snapshot', debuggee.wsUrl, '-o', file], { timeoutMs: 300_000 });
  // Progress lines come per 25 % when stderr is not a terminal: cancel once V8 has shown its pace.
  await cli.waitForOutput((o) => /snapshot 25%/.test(o.stderr), 'the 25 % progress line', 240_000);
  cli.kill('SIGINT');
  const r = await cli.done;
  const cancelledAt = Date.now();
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /heap snapshot cancelled; partial file deleted/);
  assert.equal(existsSync(file), false, 'the partial file is gone');
  const m = /keeps taking the heap snapshot for about (\d+) s more.*V8 cannot stop a heap snapshot once started/.exec(
    r.stderr,
  );
  assert.ok(m, `one line saying for how long, and why: ${r.stderr}`);
  const estimate = Number(m[1]);

  // The line is true: the debuggee is still at it (its main thread answers no inspector request, here a second
  // session's)…
  const busyShare = cpuShare(debuggee.pid, 1000);
  const conn = await InspectorConnection.connect(parseEndpoint(debuggee.wsUrl), {
    connectTimeoutMs: 5000,
    requestTimeoutMs: 300_000,
  });
  let answered: number | null = null;
  let busy = 0;
  try {
    const answer = conn.send('Runtime.evaluate', { expression: '1' }, 300_000).then(() => (answered = Date.now()));
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(answered, null, 'the debuggee answered at once: it was not busy');
    busy = await busyShare;
    // …until V8 is done.
    await answer;
  } finally {
    await conn.close();
  }
  const actual = (Date.now() - cancelledAt) / 1000;
  assert.ok(
    actual >= estimate / 4 - 3 && actual <= estimate * 4 + 10,
    `estimated about ${estimate} s, the debuggee was busy ${actual.toFixed(1)} s more`,
  );
  // And then its CPU drops back to an idle program's.
  const idle = await cpuShare(debuggee.pid, 1500);
  assert.ok(
    idle < 0.3 && idle < busy,
    `debuggee CPU: ${(busy * 100).toFixed(0)} % of a core after the cancel, ${(idle * 100).toFixed(0)} % once done`,
  );
  process.stderr.write(
    `# 11b: estimate ${estimate} s, actual ${actual.toFixed(1)} s, CPU ${(busy * 100).toFixed(0)} % → ${(idle * 100).toFixed(0)} %\n`,
  );
});
