// Issue 10 item 8: `memmon compare` must never let a broken candidate recording pass a CI gate, must not crash on
// huge lines (readline builds each line as one string: > 512 MB throws), and must reject absurd values.
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli';

const dir = mkdtempSync(path.join(os.tmpdir(), 'memmon-compare-faults-'));

/** A --log-dir style recording: `n` samples one second apart, heap flat at 20 MB. */
function samples(n: number, over: Partial<Record<string, number>> = {}): string {
  let out = '';
  for (let i = 0; i < n; i++)
    out += `${JSON.stringify({ type: 'sample', t: 1_700_000_000_000 + 1000 * i, pid: 7, heapUsed: 20e6, heapTotal: 30e6, rss: 60e6, ...(i === n - 1 ? over : {}) })}\n`;
  return out;
}

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

const baseline = file('a.jsonl', samples(60));

async function compare(b: string) {
  return runCli(['compare', baseline, b], { timeoutMs: 60_000 });
}

test('compare: a candidate recording cut mid-line exits 1 "recording B is incomplete" (was judged not worse, exit 0)', async () => {
  const full = samples(60);
  const r = await compare(file('cut.jsonl', full.slice(0, full.length - 25)));
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stderr, /^memmon compare: recording B is incomplete \(cut mid-line: .*cut\.jsonl line 60\)\n$/);
});

test('compare: a candidate with a single sample exits 1 "recording B is too short (1 sample)"', async () => {
  const r = await compare(file('one.jsonl', samples(1)));
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stderr, /recording B is too short \(1 sample\)/);
});

test('compare: a candidate covering far less time than A (5 s of 59 s) exits 1 "recording B is too short"', async () => {
  const r = await compare(file('short.jsonl', samples(6)));
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stderr, /recording B is too short \(covers 5\.0 s, A covers 59\.0 s\)/);
  const ok = await compare(file('full.jsonl', samples(60)));
  assert.equal(ok.code, 0, ok.stderr);
});

test('compare: absurd values (heapUsed 1e308, t = 1e300, t = -1e300) exit 1 naming the value, never NaN', async () => {
  for (const [name, over, re] of [
    ['huge-heap', { heapUsed: 1e308 }, /heapUsed = 1e\+308 is out of range/],
    ['far-future', { t: 1e300 }, /t = 1e\+300 is out of range/],
    ['far-past', { t: -1e300 }, /t = -1e\+300 is out of range/],
  ] as const) {
    const r = await compare(file(`${name}.jsonl`, samples(60, over)));
    assert.equal(r.code, 1, `${name}: ${r.stdout}`);
    assert.match(r.stderr, re);
    assert.doesNotMatch(r.stdout + r.stderr, /NaN/);
  }
});

test(
  'compare: a recording with a 600 MB line (sparse file) does not crash readline: the line is skipped, exit 0',
  { timeout: 120_000 },
  async () => {
    const p = path.join(dir, 'huge-line.jsonl');
    const fd = openSync(p, 'w');
    // 600 MB of NUL bytes without a newline (a hole: no disk used), then an ordinary recording.
    writeSync(fd, Buffer.from(`\n${samples(60)}`), 0, undefined, 600 * 1024 * 1024);
    closeSync(fd);
    const r = await compare(p);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /RangeError|Invalid string length|at \S+ \(/);
    assert.match(r.stdout, /B is not worse than A/);
  },
);
