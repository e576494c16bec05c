// The JSON contracts of `memmon analyze`, `memmon diff` and `memmon run --json` stay as they were recorded in
// test/fixtures/golden/ (by scripts/golden.mjs). Outputs may gain fields, never lose or rename one: analyze/diff
// must contain every golden value unchanged, and every line type of `run --json` every golden key path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { jsonLines, runCli } from '../helpers/cli';
import { GOLDEN_RUN_ARGS, keyPathsByType, readRecordings, type KeyPathsByType } from '../helpers/jsonShape';
import { FIXTURES } from '../helpers/debuggee';

const ROOT = path.resolve(__dirname, '../..');
const GOLDEN = path.join(ROOT, 'test/fixtures/golden');
const HEAP = path.join(ROOT, 'test/fixtures/heap');

/** Asserts that `actual` holds every value of `expected` at the same place (objects may have more keys). */
function assertContains(actual: unknown, expected: unknown, where = '$'): void {
  if (expected === null || typeof expected !== 'object') {
    assert.deepEqual(actual, expected, `${where} changed`);
    return;
  }
  assert.ok(actual !== null && typeof actual === 'object', `${where} is no longer an object/array`);
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where} is no longer an array`);
    assert.equal(actual.length, expected.length, `${where} length changed`);
    expected.forEach((e, i) => assertContains(actual[i], e, `${where}[${i}]`));
    return;
  }
  for (const [k, v] of Object.entries(expected)) {
    assert.ok(k in (actual as object), `${where}.${k} disappeared`);
    assertContains((actual as Record<string, unknown>)[k], v, `${where}.${k}`);
  }
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'memmon-golden-'));
const snapshot = (name: string) => {
  const file = path.join(tmp, `${name}.heapsnapshot`);
  writeFileSync(file, gunzipSync(readFileSync(path.join(HEAP, `${name}.heapsnapshot.gz`))));
  return file;
};
const golden = (name: string) => JSON.parse(readFileSync(path.join(GOLDEN, name), 'utf8'));

test.after(() => rmSync(tmp, { recursive: true, force: true }));

for (const name of ['shapes', 'leak-final']) {
  test(`analyze --json --top 0 on ${name}.heapsnapshot is unchanged`, async () => {
    const r = await runCli(['analyze', snapshot(name), '--json', '--top', '0']);
    assert.equal(r.code, 0, r.stderr);
    assertContains(JSON.parse(r.stdout), golden(`analyze-${name}.json`));
  });
}

test('diff --json of two and of three snapshots is unchanged', async () => {
  const [a, b, c] = [snapshot('leak-baseline'), snapshot('leak-target'), snapshot('leak-final')];
  const two = await runCli(['diff', a, b, '--json']);
  assert.equal(two.code, 0, two.stderr);
  assertContains(JSON.parse(two.stdout), golden('diff2.json'));
  const three = await runCli(['diff', a, b, c, '--json']);
  assert.equal(three.code, 0, three.stderr);
  assertContains(JSON.parse(three.stdout), golden('diff3.json'));
});

test('run --json keeps every key path of every line type it printed before', async () => {
  const dir = path.join(tmp, 'run');
  const r = await runCli(GOLDEN_RUN_ARGS(dir, FIXTURES), { timeoutMs: 60_000 });
  assert.equal(r.code, 3, `--fail-on emergency with a 2 MB alert threshold exits 3: ${r.stderr}`);
  assertKeepsKeyPaths(keyPathsByType(jsonLines(r.stdout)), golden('run-key-paths.json'), 'run --json');
  assertKeepsKeyPaths(
    keyPathsByType(readRecordings(dir)),
    golden('recording-key-paths.json'),
    'the --log-dir recording',
  );
});

function assertKeepsKeyPaths(actual: KeyPathsByType, expected: KeyPathsByType, what: string): void {
  for (const [type, paths] of Object.entries(expected)) {
    assert.ok(actual[type], `${what} no longer has "${type}" lines`);
    const missing = paths.filter((p) => !actual[type].includes(p));
    assert.deepEqual(missing, [], `"${type}" lines of ${what} lost key paths`);
  }
}
