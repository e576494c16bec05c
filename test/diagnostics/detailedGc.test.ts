import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runDiagnosticGc } from '../../src/core/gc/diagnosticGc';
import { InspectorConnection } from '../../src/core/inspector/connection';
import type { GcResult } from '../../src/core/types';
import { jsonLines, runCli } from '../helpers/cli';
import { Debuggee, startDebuggee } from '../helpers/debuggee';

let debuggee: Debuggee;
let conn: InspectorConnection;

before(async () => {
  debuggee = await startDebuggee('garbage.js', [], ['--max-semi-space-size=64']);
  conn = await InspectorConnection.connect(debuggee.wsUrl);
});
after(async () => {
  await conn?.close();
  await debuggee?.kill();
});

test('detailed GC reports every heap space; the spaces add up to the heap and account for the freed garbage', async () => {
  await conn.send('Runtime.evaluate', { expression: 'makeGarbage(30); dropGarbage()' });
  const r = await runDiagnosticGc(conn, { detailed: true, pid: debuggee.pid });
  assert.ok(r.spaces, 'spaces present');
  const names = r.spaces.map((s) => s.name);
  for (const name of ['new_space', 'old_space', 'code_space', 'large_object_space'])
    assert.ok(names.includes(name), `${name} in ${names}`);
  for (const s of r.spaces) {
    for (const k of ['usedBefore', 'usedAfter', 'availableBefore', 'availableAfter'] as const)
      assert.ok(Number.isInteger(s[k]) && s[k] >= 0, `${s.name}.${k} = ${s[k]}`);
    assert.ok(
      s.usedAfter <= s.sizeAfter || s.sizeAfter === 0,
      `${s.name}: used ${s.usedAfter} within its size ${s.sizeAfter}`,
    );
  }
  const sum = (k: 'usedBefore' | 'usedAfter') => r.spaces!.reduce((n, s) => n + s[k], 0);
  // Runtime.getHeapUsage and v8.getHeapSpaceStatistics describe the same heap, read a few µs apart.
  assert.ok(
    Math.abs(sum('usedBefore') - r.before.heapUsed) < 0.05 * r.before.heapUsed + 256_000,
    `spaces before ${sum('usedBefore')} vs heap ${r.before.heapUsed}`,
  );
  assert.ok(
    Math.abs(sum('usedAfter') - r.after.heapUsed) < 0.05 * r.after.heapUsed + 256_000,
    `spaces after ${sum('usedAfter')} vs heap ${r.after.heapUsed}`,
  );
  // 30 MB of arrays were garbage: the forced GC frees at least most of it, and the spaces show where from.
  assert.ok(r.freed > 25e6, `freed ${r.freed}`);
  assert.ok(sum('usedBefore') - sum('usedAfter') > 25e6, `space delta ${sum('usedBefore') - sum('usedAfter')}`);
});

test('without --detailed there is no spaces field; the GC leaves no globals behind', async () => {
  const keys = async () =>
    (await conn.send('Runtime.evaluate', { expression: 'Object.keys(globalThis).join()', returnByValue: true })).result
      .value;
  const before = await keys();
  const plain = await runDiagnosticGc(conn, { pid: debuggee.pid });
  assert.equal('spaces' in plain, false);
  await runDiagnosticGc(conn, { pid: debuggee.pid, detailed: true, testCycle: true });
  assert.equal(await keys(), before);
});

test('memmon gc --detailed --json prints one gc line with spaces; the text report lists the spaces', async () => {
  const j = await runCli(['gc', '--detailed', '--json', debuggee.wsUrl], { timeoutMs: 15_000 });
  assert.equal(j.code, 0, j.stderr);
  const lines = jsonLines(j.stdout);
  assert.equal(lines.length, 1);
  assert.equal(lines[0].type, 'gc');
  const spaces = (lines[0] as GcResult).spaces ?? [];
  assert.ok(spaces.some((s) => s.name === 'old_space' && s.usedBefore > 0 && s.usedAfter > 0));
  const t = await runCli(['gc', '--detailed', debuggee.wsUrl], { timeoutMs: 15_000 });
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /old_space\s+[\d.]+ MB →/);
});
