// Issue 10 item 6: FIFOs and devices given to analyze/diff/compare used to hang forever (open() blocks until a
// writer appears, ignoring SIGINT/SIGTERM) and starve libuv's threadpool. Each must be refused with one line, exit 1.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadHeapSnapshot } from '../../src/core/heap';
import { runCli } from '../helpers/cli';

const dir = mkdtempSync(path.join(os.tmpdir(), 'memmon-fifo-'));
const fifo = path.join(dir, 'snap.heapsnapshot');
execFileSync('mkfifo', [fifo]);
const recording = path.join(dir, 'a.jsonl');
writeFileSync(recording, `${JSON.stringify({ type: 'sample', t: 0, pid: 1, heapUsed: 1, rss: 2 })}\n`);

/** Runs memmon on a path that would block; the 20 s kill turns a hang into a clear failure (code null). */
async function refuses(args: string[], what: RegExp): Promise<number> {
  const r = await runCli(args, { timeoutMs: 20_000 });
  assert.equal(r.code, 1, `expected exit 1, got ${r.code} after ${r.ms} ms\n${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, what);
  assert.doesNotMatch(r.stderr, /\bat \S+ \(/, 'no stack trace');
  return r.ms;
}

test('analyze of a FIFO (mkfifo, no writer) exits 1 at once with "a FIFO (named pipe), not a regular file" instead of hanging', async () => {
  const ms = await refuses(['analyze', fifo], /snap\.heapsnapshot: a FIFO \(named pipe\), not a regular file/);
  console.log(`analyze refused a FIFO in ${ms} ms (process start included)`);
});

test('diff with a FIFO as the second snapshot exits 1 instead of hanging', async () => {
  await refuses(['diff', fifo, fifo], /a FIFO \(named pipe\), not a regular file/);
});

test('compare with a FIFO or /dev/zero as recording B exits 1 instead of hanging or reading forever', async () => {
  await refuses(['compare', recording, fifo], /cannot read recording .*a FIFO \(named pipe\), not a regular file/);
  await refuses(['compare', recording, '/dev/zero'], /\/dev\/zero: a character device, not a regular file/);
});

test('analyze of /dev/zero (a device that never ends) and /dev/null exits 1 with one line', async () => {
  await refuses(['analyze', '/dev/zero'], /a character device, not a regular file/);
  await refuses(['analyze', '/dev/null'], /a character device, not a regular file/);
});

test(
  'four FIFO loads in one process do not starve the libuv threadpool: an ordinary file read still completes',
  { timeout: 20_000 },
  async () => {
    const loads = [1, 2, 3, 4].map(() =>
      loadHeapSnapshot(fifo).then(
        () => 'loaded',
        (err: Error) => err.message,
      ),
    );
    // Before the fix the four opens occupied all four pool threads and this read never completed.
    const text = await readFile(recording, 'utf8');
    assert.match(text, /"sample"/);
    for (const msg of await Promise.all(loads)) assert.match(msg, /a FIFO \(named pipe\), not a regular file/);
  },
);
