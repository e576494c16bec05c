import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, utimesSync, writeFileSync, existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RingBuffer } from '../../src/core/recording/ringBuffer';
import { JsonlWriter, parseJsonl } from '../../src/core/recording/jsonlWriter';
import { pruneOldRecordings } from '../../src/core/recording/retention';

test('ring buffer keeps the newest items up to its capacity', () => {
  const rb = new RingBuffer<{ t: number }>(3);
  for (let i = 0; i < 5; i++) rb.push({ t: i });
  assert.deepEqual(
    rb.toArray().map((x) => x.t),
    [2, 3, 4],
  );
  assert.equal(rb.size, 3);
  assert.equal(rb.last()!.t, 4);
  assert.deepEqual(
    rb.toArray(3).map((x) => x.t),
    [3, 4],
  );
});

test('ring buffer drops items older than its maximum age', () => {
  const rb = new RingBuffer<{ t: number }>(100, 1000);
  for (const t of [0, 500, 1000, 1600, 2100]) rb.push({ t });
  assert.deepEqual(
    rb.toArray().map((x) => x.t),
    [1600, 2100],
  );
  rb.clear();
  assert.equal(rb.size, 0);
  assert.throws(() => new RingBuffer(0));
});

test('JSONL writer appends one line per record, creates a user-only file, and survives a torn last line', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'memmon-jsonl-'));
  const file = path.join(dir, 'sub', 'rec.jsonl');
  const w = new JsonlWriter(file);
  w.write({ type: 'sample', t: 1 });
  // Written synchronously: visible before close (a crash loses nothing already written).
  assert.equal(readFileSync(file, 'utf8'), '{"type":"sample","t":1}\n');
  w.write({ type: 'sample', t: 2 });
  w.close();
  w.write({ type: 'ignored' });
  assert.equal((statSync(file).mode & 0o777).toString(8), '600');
  writeFileSync(file, readFileSync(file, 'utf8') + '{"type":"sam');
  assert.deepEqual(
    parseJsonl<{ t: number }>(readFileSync(file, 'utf8')).map((r) => r.t),
    [1, 2],
  );
  assert.throws(() => parseJsonl('{"a":1}\nnot json\n{"b":2}\n'), /line 2/);
});

test('retention removes recordings older than the limit and nothing else', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'memmon-ret-'));
  const old = path.join(dir, 'memmon-1-old.jsonl');
  const fresh = path.join(dir, 'memmon-2-new.jsonl');
  const other = path.join(dir, 'notes.jsonl');
  for (const f of [old, fresh, other]) writeFileSync(f, '{}\n');
  const tenDaysAgo = (Date.now() - 10 * 86_400_000) / 1000;
  utimesSync(old, tenDaysAgo, tenDaysAgo);
  utimesSync(other, tenDaysAgo, tenDaysAgo);
  assert.equal(pruneOldRecordings(dir, 7), 1);
  assert.deepEqual(
    [old, fresh, other].map((f) => existsSync(f)),
    [false, true, true],
  );
  assert.equal(pruneOldRecordings(path.join(dir, 'missing'), 7), 0);
});
