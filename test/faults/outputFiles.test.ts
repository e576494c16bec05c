// Fault suite (issue 10, items 9, 11a, 12): output folders are created, output files are private and never written
// through a symbolic link or over someone else's file, and a snapshot that could not be written fails the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chownSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { completeJsonLines, jsonLines, runCli, startCli } from '../helpers/cli';
import { FIXTURES, startDebuggee } from '../helpers/debuggee';

const node = process.execPath;
const exitWith = path.join(FIXTURES, 'exit-with.js');

function tmp(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `memmon-${prefix}-`));
}

const mode = (p: string) => statSync(p).mode & 0o777;

test('item 9: run --snapshot-at 0.2 --snapshot-dir <missing/nested dir> creates it 0700 and writes the snapshot 0600', async () => {
  const dir = path.join(tmp('snapdir'), 'not', 'there');
  const stop = path.join(tmp('stop'), 'stop');
  const cli = startCli([
    'run',
    '--json',
    '--snapshot-at',
    '0.2',
    '--snapshot-dir',
    dir,
    '--',
    node,
    exitWith,
    '0',
    '60',
    stop,
  ]);
  await cli.waitForOutput(
    (o) => completeJsonLines(o.stdout).find((l) => l.type === 'snapshot'),
    'a snapshot line',
    60_000,
  );
  writeFileSync(stop, '');
  const r = await cli.done;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(mode(dir), 0o700);
  const [file] = readdirSync(dir);
  assert.match(file, /\.heapsnapshot$/);
  assert.equal(mode(path.join(dir, file)), 0o600);
  assert.equal(jsonLines(r.stdout).at(-1).snapshots.length, 1);
});

test("item 9: a --snapshot-at snapshot that cannot be written (sh -c 'ulimit -f 8') is an error: summary.errors, exit 1", async () => {
  const dir = tmp('snapfail');
  const stop = path.join(tmp('stop'), 'stop');
  const cli = startCli(
    ['run', '--json', '--snapshot-at', '0.2', '--snapshot-dir', dir, '--', node, exitWith, '0', '60', stop],
    { prefix: ['/bin/sh', '-c', 'ulimit -f 8; exec "$@"', 'sh'] },
  );
  await cli.waitForOutput((o) => /heap snapshot of pid \d+ at 0.2 s failed/.test(o.stderr), 'the failure', 60_000);
  writeFileSync(stop, '');
  const r = await cli.done;
  assert.equal(r.code, 1, r.stderr);
  const summary = jsonLines(r.stdout).at(-1);
  assert.equal(summary.exitCode, 1);
  assert.equal(summary.programExitCode, 0);
  assert.match(summary.errors.join('\n'), /heap snapshot .* failed/);
  assert.deepEqual(readdirSync(dir), [], 'the partial snapshot was removed');
});

test('item 9: --snapshot-dir naming an existing file fails at once with one line, exit 1', async () => {
  const file = path.join(tmp('snapfile'), 'a-file');
  writeFileSync(file, 'x');
  const r = await runCli(['run', '--snapshot-interval', '5', '--snapshot-dir', file, '--', node, '-e', '0']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cannot create --snapshot-dir .*a-file/);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
});

test('item 11a: hunt --keep <missing dir> creates it (0700) and keeps the three snapshots there', async () => {
  const keep = path.join(tmp('hunt'), 'kept', 'here');
  const d = await startDebuggee('idle.js');
  try {
    const r = await runCli(['hunt', '--interval', '0.2', '--settle', '0.2', '--keep', keep, String(d.port)], {
      timeoutMs: 90_000,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(mode(keep), 0o700);
    assert.deepEqual(readdirSync(keep).sort(), ['baseline.heapsnapshot', 'final.heapsnapshot', 'target.heapsnapshot']);
    for (const f of readdirSync(keep)) assert.equal(mode(path.join(keep, f)), 0o600);
  } finally {
    await d.kill();
  }
});

test('item 12: run --report <symlink to another file> refuses to follow it (O_NOFOLLOW): target untouched, exit 1', async () => {
  const dir = tmp('report-link');
  const victim = path.join(dir, 'victim.txt');
  writeFileSync(victim, 'precious\n', { mode: 0o644 });
  const link = path.join(dir, 'report.json');
  symlinkSync(victim, link);
  const r = await runCli(['run', '--json', '--report', link, '--', node, '-e', 'process.exitCode = 3']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /refusing to write .*report\.json: it is a symbolic link/);
  assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
  assert.equal(mode(victim), 0o644);
  // The summary is not lost: it is the last line on stdout.
  assert.equal(jsonLines(r.stdout).at(-1).programExitCode, 3);
});

test('item 12: run --report writes 0600, also over an existing 0644 report of ours', async () => {
  const dir = tmp('report-mode');
  const fresh = path.join(dir, 'fresh.json');
  const old = path.join(dir, 'old.json');
  writeFileSync(old, 'x'.repeat(100_000), { mode: 0o644 });
  for (const report of [fresh, old]) {
    const r = await runCli(['run', '--report', report, '--', node, '-e', '0']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(mode(report), 0o600);
    assert.equal(JSON.parse(readFileSync(report, 'utf8')).type, 'summary', 'whole file replaced, no leftover tail');
  }
});

test('item 12: snapshot -o <symlink> refuses to follow it: the link target keeps its content and mode', async () => {
  const dir = tmp('snap-link');
  const victim = path.join(dir, 'victim.txt');
  writeFileSync(victim, 'precious\n', { mode: 0o644 });
  const link = path.join(dir, 'out.heapsnapshot');
  symlinkSync(victim, link);
  const d = await startDebuggee('idle.js');
  try {
    const r = await runCli(['snapshot', '-o', link, String(d.port)]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /refusing to write .*out\.heapsnapshot: it is a symbolic link/);
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
    assert.equal(mode(victim), 0o644);
  } finally {
    await d.kill();
  }
});

test(
  "item 12: run --report <another user's file> refuses to overwrite it: content untouched, exit 1",
  { skip: process.getuid?.() === 0 ? false : 'needs root to create a file owned by another user' },
  async () => {
    const dir = tmp('report-foreign');
    const foreign = path.join(dir, 'theirs.json');
    writeFileSync(foreign, 'theirs\n', { mode: 0o666 });
    chownSync(foreign, 65534, 65534);
    const before = mode(foreign);
    const r = await runCli(['run', '--report', foreign, '--', node, '-e', '0']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /refusing to overwrite .*theirs\.json: it belongs to another user/);
    assert.equal(readFileSync(foreign, 'utf8'), 'theirs\n');
    assert.equal(mode(foreign), before);
  },
);
