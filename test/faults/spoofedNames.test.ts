// Fault suite (issue 10 item 15): class names holding bidi controls or zero-width characters, from a real program's
// heap, are shown escaped (`\u202E`) in the CLI's tables, never raw.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli';
import { Debuggee, startDebuggee } from '../helpers/debuggee';

/** Bidi controls, zero-width characters and line separators: none may reach the terminal raw. */
const INVISIBLE = /[\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/;

let debuggee: Debuggee;
const dir = mkdtempSync(path.join(os.tmpdir(), 'memmon-spoofed-'));
const file = path.join(dir, 'spoofed.heapsnapshot');

before(async () => {
  debuggee = await startDebuggee('spoofed-names.js');
  const r = await runCli(['snapshot', debuggee.wsUrl, '-o', file], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
});
after(async () => {
  await debuggee?.kill();
  rmSync(dir, { recursive: true, force: true });
});

test('item 15: memmon snapshot of a program keeping `Ev\\u202Eil` (toStringTag) and `class Ev\\u200Dil` objects, then memmon analyze, prints both names escaped', async () => {
  const r = await runCli(['analyze', file, '--top', '0'], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, INVISIBLE, 'no raw bidi or zero-width character in the table');
  const row = (name: string) => r.stdout.split('\n').find((l) => l.startsWith(`${name} `));
  assert.match(row('Ev\\u202Eil') ?? '', /^Ev\\u202Eil\s+50\s/, r.stdout);
  assert.match(row('Ev\\u200Dil') ?? '', /^Ev\\u200Dil\s+50\s/, r.stdout);
  // The escapes stand in for the characters: the table's columns still line up.
  assert.equal(row('Ev\\u202Eil')!.indexOf(' 50 '), row('Ev\\u200Dil')!.indexOf(' 50 '));
});

test('item 15: memmon analyze --duplicate-strings on the same snapshot prints a string holding U+202E escaped; --json keeps the exact names', async () => {
  const r = await runCli(['analyze', file, '--duplicate-strings', '--top', '0'], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, INVISIBLE);
  assert.match(r.stdout, /"invoice\\u202Efdp\.exe0"\s+20\s/, r.stdout);
  // JSON is data, not display: the name stays exact (JSON readers get the real string back).
  const json = await runCli(['analyze', file, '--json', '--top', '0'], { timeoutMs: 60_000 });
  assert.equal(json.code, 0, json.stderr);
  const names: string[] = JSON.parse(json.stdout).classes.map((c: { name: string }) => c.name);
  assert.ok(names.includes('Ev\u202eil'), 'the exact name in --json');
  assert.ok(names.includes('Ev\u200dil'));
});
