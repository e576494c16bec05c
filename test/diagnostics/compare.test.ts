import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { compareRecordings, parseTolerance } from '../../src/core/recording/compare';
import { loadRecording } from '../../src/core/recording/recordingLoader';
import { jsonLines, runCli } from '../helpers/cli';
import { FIXTURES } from '../helpers/debuggee';

const dir = mkdtempSync(path.join(os.tmpdir(), 'memmon-compare-'));
let small: string; // --log-dir recording of a program that grows to ~10 MB
let large: string; // --log-dir recording of the same program growing to ~40 MB (2 s of growth: margin for a loaded machine)
let captured: string; // stdout of `memmon run --json` for the small program

before(async () => {
  const record = async (name: string, mb: number, json: boolean) => {
    const logDir = path.join(dir, name);
    const r = await runCli(
      [
        'run',
        ...(json ? ['--json'] : []),
        '--interval',
        '0.25',
        '--diagnostic-interval',
        '1',
        '--log-dir',
        logDir,
        '--duration',
        '4',
        '--',
        process.execPath,
        path.join(FIXTURES, 'grow.js'),
        String(mb),
      ],
      { timeoutMs: 20_000 },
    );
    assert.equal(r.code, 0, r.stderr);
    return { file: path.join(logDir, readdirSync(logDir)[0]!), stdout: r.stdout };
  };
  const [a, b] = await Promise.all([record('small', 10, true), record('large', 40, false)]);
  small = a.file;
  large = b.file;
  captured = path.join(dir, 'captured.jsonl');
  writeFileSync(captured, a.stdout);
});

test('compare exits 0 when B is not worse (same run, or B smaller) and 5 when B is worse beyond the tolerance', async () => {
  const same = await runCli(['compare', small, small]);
  assert.equal(same.code, 0, same.stderr);
  assert.match(same.stdout, /B is not worse than A/);
  const better = await runCli(['compare', large, small]);
  assert.equal(better.code, 0, better.stderr);
  const worse = await runCli(['compare', small, large]);
  assert.equal(worse.code, 5, worse.stderr);
  assert.match(worse.stdout, /B is WORSE than A beyond the 10 % tolerance: .*peak heap/);
  assert.match(worse.stdout, /peak RSS/);
  // A tolerance wide enough to cover the difference turns the verdict around.
  const tolerant = await runCli(['compare', '--tolerance', '100000%', small, large]);
  assert.equal(tolerant.code, 0, tolerant.stdout);
});

test('compare --json prints one compare line with both summaries and the checks; a captured run --json stdout loads too', async () => {
  const r = await runCli(['compare', '--json', captured, large]);
  assert.equal(r.code, 5, r.stderr);
  const [line] = jsonLines(r.stdout);
  assert.equal(line.type, 'compare');
  assert.equal(line.tolerance, 0.1);
  assert.equal(line.worse, true);
  for (const s of [line.a, line.b]) {
    for (const k of ['peak', 'final']) assert.ok(s.heap[k] > 1e6 && s.rss[k] > s.heap[k] / 2, JSON.stringify(s));
    assert.ok(s.samples >= 8);
    assert.ok(s.gc.runs >= 1, 'diagnostic GCs counted');
    assert.equal(typeof s.heapGrowthBytesPerSec, 'number');
    assert.deepEqual(Object.keys(s.alerts).sort(), ['critical', 'emergency', 'leak', 'warning']);
  }
  assert.ok(line.b.heap.peak > line.a.heap.peak * 1.3, `${line.b.heap.peak} vs ${line.a.heap.peak}`);
  assert.deepEqual(
    line.checks.map((c: { metric: string }) => c.metric),
    ['peakRss', 'peakHeap', 'heapGrowth', 'maxAlertLevel'],
  );
  assert.equal(line.checks.find((c: { metric: string }) => c.metric === 'peakHeap').worse, true);
});

test('compare exits 1 on unreadable or foreign files and 2 on usage errors', async () => {
  const missing = await runCli(['compare', small, path.join(dir, 'nope.jsonl')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read recording .*nope\.jsonl: no such file/);
  const foreign = path.join(dir, 'foreign.jsonl');
  writeFileSync(foreign, 'hello\n{"a":1}\n');
  const notOurs = await runCli(['compare', foreign, small]);
  assert.equal(notOurs.code, 1);
  assert.match(notOurs.stderr, /holds no memory samples/);
  assert.equal((await runCli(['compare', small])).code, 2);
  assert.equal((await runCli(['compare', '--tolerance', 'ten', small, large])).code, 2);
  assert.equal((await runCli(['compare', '--bogus', small, large])).code, 2);
});

test('core: recordings of several processes compare their largest process; tolerance parsing', async () => {
  const multi = path.join(dir, 'multi.jsonl');
  const lines = [];
  for (let i = 0; i < 10; i++) {
    lines.push({
      type: 'sample',
      t: 1000 * i,
      pid: 1,
      heapUsed: 5e6,
      heapTotal: 6e6,
      rss: 30e6,
      external: null,
      arrayBuffers: null,
    });
    lines.push({
      type: 'sample',
      t: 1000 * i,
      pid: 2,
      heapUsed: 50e6 + i * 1e6,
      heapTotal: 80e6,
      rss: 120e6,
      external: null,
      arrayBuffers: null,
    });
  }
  lines.push({ type: 'alert', t: 5000, pid: 2, level: 'warning', metric: 'rss', value: 1, limit: 1 });
  writeFileSync(multi, `${lines.map((l) => JSON.stringify(l)).join('\n')}\nnot json from the program\n`);
  const rec = await loadRecording(multi);
  assert.equal(rec.skippedLines, 1);
  const c = compareRecordings(rec, rec);
  assert.equal(c.a.pid, 2);
  assert.equal(c.a.processCount, 2);
  assert.equal(c.a.heapGrowthBytesPerSec, 1e6);
  assert.equal(c.a.alerts.warning, 1);
  assert.equal(c.a.maxLevel, 'warning');
  assert.equal(c.worse, false);
  assert.equal(parseTolerance('10%'), 0.1);
  assert.equal(parseTolerance('2.5'), 0.025);
  assert.equal(parseTolerance('-5%'), null);
});
