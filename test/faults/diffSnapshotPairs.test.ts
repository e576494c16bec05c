// Issue 10 item 10: `memmon diff` of snapshots from different processes, or given in the wrong order, reported
// nonsense silently. It now warns and says how it can tell (object ids are per process and grow with allocation).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { runCli } from '../helpers/cli';

const dir = mkdtempSync(path.join(os.tmpdir(), 'memmon-diff-pairs-'));
// One real process writes two snapshots, 5000 Maps allocated in between.
const PROGRAM = `
const v8 = require('v8');
const [first, second] = process.argv.slice(1);
globalThis.keep = [];
for (let i = 0; i < 2000; i++) keep.push({ i, s: 'x' + i });
v8.writeHeapSnapshot(first);
for (let i = 0; i < 5000; i++) keep.push(new Map([[i, i]]));
v8.writeHeapSnapshot(second);
`;
const snap = (name: string) => path.join(dir, `${name}.heapsnapshot`);

before(() => {
  for (const p of ['p1', 'p2'])
    execFileSync(process.execPath, ['-e', PROGRAM, snap(`${p}-early`), snap(`${p}-late`)], { timeout: 60_000 });
});

test('diff of two snapshots of one process in the right order prints no warning', async () => {
  const r = await runCli(['diff', snap('p1-early'), snap('p1-late'), '--json'], { timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /warning/);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(doc.warnings, []);
  assert.ok(doc.addedCount >= 5000);
});

test('diff LATE EARLY (wrong order) warns "look swapped" and says V8 numbers objects in allocation order', async () => {
  const r = await runCli(['diff', snap('p1-late'), snap('p1-early')], { timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /memmon diff: warning: the snapshots look swapped: the newest object id in the second \(@\d+\) is older than in the first \(@\d+\).*allocation order/,
  );
});

test('diff of snapshots from two different processes warns "different processes" with the share of ids naming other classes', async () => {
  const r = await runCli(['diff', snap('p1-early'), snap('p2-late'), '--json'], { timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /warning: the snapshots look like they come from different processes, or from separate inspector sessions of one process .*: \d+ of \d+ objects with the same id \([\d.]+ %\) have a different name or type/,
  );
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.warnings.length, 1);
  assert.match(doc.warnings[0], /different processes/);
  const three = await runCli(['diff', snap('p1-early'), snap('p2-late'), snap('p1-late'), '--json'], {
    timeoutMs: 120_000,
  });
  assert.equal(three.code, 0, three.stderr);
  assert.match(three.stderr, /different processes/);
});
