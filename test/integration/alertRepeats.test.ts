import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { jsonLines, runCli } from '../helpers/cli';

const FLAPPING = path.resolve(__dirname, '../fixtures/programs/flapping-heap.js');
const args = (json: boolean) => [
  'run',
  ...(json ? ['--json'] : []),
  '--duration',
  '10',
  '--interval',
  '0.25',
  '--memory-threshold-mb',
  '25',
  '--memory-alert-mb',
  '1000',
  '--',
  process.execPath,
  '--expose-gc',
  FLAPPING,
];

test('a level flapping at its boundary: every alert in JSON, told once on stderr, counted once in the summary', async () => {
  const [json, human] = await Promise.all([
    runCli(args(true), { timeoutMs: 40_000 }),
    runCli(args(false), { timeoutMs: 40_000 }),
  ]);
  assert.equal(json.code, 0, json.stderr);
  const heapCritical = jsonLines(json.stdout).filter(
    (l) => l.type === 'alert' && l.level === 'critical' && l.metric === 'heap',
  );
  // The fixture really flaps: the heap goes above 25 MB and back below 23.75 MB (hysteresis) every 2 s.
  assert.ok(heapCritical.length >= 3, `the heap level flaps: ${heapCritical.length} alerts`);

  assert.equal(human.code, 0, human.stderr);
  const told = human.stderr.split('\n').filter((l) => /^memmon: CRITICAL: heap /.test(l));
  assert.equal(told.length, 1, human.stderr);
  const listed = /\n {2}alerts: (.*)\n/.exec(human.stderr)?.[1].split(', ') ?? [];
  assert.match(listed.find((k) => k.startsWith('critical/heap')) ?? '', /^critical\/heap ×\d+$/, listed.join(', '));
  const kinds = listed.map((k) => k.replace(/ ×\d+$/, ''));
  assert.equal(new Set(kinds).size, kinds.length, `each kind once: ${listed.join(', ')}`);
});
