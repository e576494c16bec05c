import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { memmonInProcess } from '../helpers/cliInProcess';
import { runCli } from '../helpers/cli';
import { expected, fixtureBytes, tempSnapshot } from './fixtures';

const FIXTURE_DIR = path.resolve(__dirname, '../fixtures/heap');

const memmon = memmonInProcess;

describe('memmon analyze', () => {
  const file = tempSnapshot(fixtureBytes('shapes'), 'shapes.heapsnapshot');

  it('--json prints exactly the documented document, classes by retained size', async () => {
    const { code, stdout, stderr } = await memmon('analyze', file, '--json');
    assert.equal(code, 0, stderr);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const doc = JSON.parse(lines[0]!);
    assert.deepEqual(Object.keys(doc), ['nodeCount', 'edgeCount', 'totalSize', 'statistics', 'classes']);
    assert.deepEqual(doc.statistics, expected('shapes').statistics);
    const want = expected('shapes');
    assert.equal(doc.nodeCount, want.nodeCount);
    assert.equal(doc.edgeCount, want.edgeCount);
    assert.equal(doc.totalSize, want.totalSelfSize);
    assert.equal(doc.classes.length, 20);
    for (const c of doc.classes) {
      for (const k of ['name', 'count', 'selfSize', 'retainedSize', 'distance']) assert.ok(k in c, k);
    }
    for (let i = 1; i < doc.classes.length; i++)
      assert.ok(doc.classes[i - 1].retainedSize >= doc.classes[i].retainedSize);
    assert.equal(doc.classes[0].retainedSize, want.classes[0]!.retained);
  });

  it('--top N and --top 0', async () => {
    const three = JSON.parse((await memmon('analyze', file, '--json', '--top', '3')).stdout);
    assert.equal(three.classes.length, 3);
    const all = JSON.parse((await memmon('analyze', '--top', '0', '--json', file)).stdout);
    assert.equal(
      all.classes.length,
      expected('shapes').classes.length + expected('shapes').droppedByClassKeyCollision.length,
    );
  });

  it('prints a readable table with heap strings escaped', async () => {
    const { code, stdout } = await memmon('analyze', file, '--top', '0');
    assert.equal(code, 0);
    assert.match(stdout, /Class\s+Count\s+Self size\s+Retained/);
    assert.match(stdout, /name\\u0009with\\u0007control/);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(stdout, /[\u0000-\u0008\u000b-\u001f]/);
  });

  it('exits 1 with one line on bad input, 2 on usage errors', async () => {
    const empty = tempSnapshot('', 'empty.heapsnapshot');
    const bad = await memmon('analyze', empty);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^memmon analyze: .*empty file \(0 bytes\).*\n$/);
    const truncated = await memmon('analyze', tempSnapshot(fixtureBytes('shapes').subarray(0, 300000)), '--json');
    assert.equal(truncated.code, 1);
    assert.equal(truncated.stdout, '');
    assert.equal(truncated.stderr.trim().split('\n').length, 1);
    assert.equal((await memmon('analyze', '/nonexistent.heapsnapshot')).code, 1);
    assert.equal((await memmon('analyze')).code, 2);
    assert.equal((await memmon('analyze', file, '--top', 'x')).code, 2);
    assert.equal((await memmon('analyze', file, '--bogus')).code, 2);
  });
});

describe('memmon diff', () => {
  const [a, b, c] = ['leak-baseline', 'leak-target', 'leak-final'].map((f) =>
    tempSnapshot(fixtureBytes(f), `${f}.heapsnapshot`),
  );

  it('two snapshots → one JSON document with per-class deltas', async () => {
    const { code, stdout } = await memmon('diff', a!, b!, '--json');
    assert.equal(code, 0);
    const doc = JSON.parse(stdout);
    assert.equal(doc.mode, 'diff');
    assert.equal(doc.classes.find((r: { name: string }) => r.name === 'Session').addedCount, 200);
  });

  it('three snapshots → leaks', async () => {
    const { code, stdout } = await memmon('diff', a!, b!, c!, '--json');
    assert.equal(code, 0);
    const doc = JSON.parse(stdout);
    assert.equal(doc.mode, 'leaks');
    assert.equal(doc.groups[0].name, 'Session');
    assert.equal(doc.groups[0].count, 200);
    const text = await memmon('diff', a!, b!, c!);
    assert.match(text.stdout, /Session × 200/);
  });

  it('usage and bad input', async () => {
    assert.equal((await memmon('diff', a!)).code, 2);
    assert.equal((await memmon('diff', a!, tempSnapshot('not json'))).code, 1);
  });
});

describe('memmon analyze, built bundle', () => {
  it('runs the edge and dominator helper threads (MEMMON_HEAP_TIMINGS says so; their fallback is never silent)', async () => {
    // Above 16 MB, so that the parser starts its edge thread on its own.
    const dir = mkdtempSync(path.join(tmpdir(), 'memmon-threads-'));
    const file = path.join(dir, 'big.heapsnapshot');
    try {
      execFileSync(process.execPath, [path.join(FIXTURE_DIR, 'synthetic-big.cjs'), file, '300000']);
      assert.ok(statSync(file).size > 16 * 1024 * 1024);
      const r = await runCli(['analyze', file, '--json'], { env: { MEMMON_HEAP_TIMINGS: '1', MEMMON_DEBUG: '1' } });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /memmon heap threads: edgeThread=ran dominatorThread=ran\n/, r.stderr);
      assert.doesNotMatch(r.stderr, /was not used/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
