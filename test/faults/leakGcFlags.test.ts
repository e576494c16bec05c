// Fault suite (issue 10 item 17): leak detection forces GCs with V8's own gc function, but must leave the
// debuggee's V8 flags as they were. Real programs under `memmon run --detect-leaks`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli';

/**
 * Watches for 5 s whether a new vm context gets a `gc` global (what `--expose-gc` does) and counts full GCs, then
 * writes what it saw to the file named in argv[1] (as `node -e` gives it).
 */
const WATCHER = `
const fs = require('node:fs');
const vm = require('node:vm');
const { PerformanceObserver, constants } = require('node:perf_hooks');
let majorGcs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majorGcs++;
}).observe({ entryTypes: ['gc'] });
const seen = new Set();
const keep = [];
const timer = setInterval(() => {
  keep.push(new Array(1000).fill(keep.length));
  seen.add(vm.runInNewContext('typeof gc'));
}, 20);
setTimeout(() => {
  clearInterval(timer);
  fs.writeFileSync(process.argv[1], JSON.stringify({ seen: [...seen], globalGc: typeof gc, majorGcs }));
}, 5000);
`;

function tmp(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `memmon-${prefix}-`));
}

async function watchUnderLeakDetection(
  nodeFlags: string[],
): Promise<{ seen: string[]; globalGc: string; majorGcs: number }> {
  const out = path.join(tmp('gc-flags'), 'seen.json');
  const r = await runCli(
    ['run', '--detect-leaks', '--json', '--', process.execPath, ...nodeFlags, '-e', WATCHER, out],
    {
      timeoutMs: 40_000,
    },
  );
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(readFileSync(out, 'utf8'));
}

test("item 17: run --detect-leaks forces full GCs but leaves no --expose-gc behind (typeof gc and vm.runInNewContext('typeof gc') stay 'undefined')", async () => {
  const seen = await watchUnderLeakDetection([]);
  // The forced GCs happened (one at attach, then every ~3 s)…
  assert.ok(seen.majorGcs >= 2, `major GCs seen by the program: ${seen.majorGcs}`);
  // …and at no point did the program's own contexts get a gc function.
  assert.deepEqual(seen.seen, ['undefined']);
  assert.equal(seen.globalGc, 'undefined');
});

test('item 17: a program started with --expose-gc keeps its gc under run --detect-leaks', async () => {
  const seen = await watchUnderLeakDetection(['--expose-gc']);
  assert.deepEqual(seen.seen, ['function']);
  assert.equal(seen.globalGc, 'function');
});
