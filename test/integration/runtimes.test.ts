import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonLines, runCli } from '../helpers/cli';
import { killProcess } from '../helpers/debuggee';

/** Temporary folders of the snapshot tests, removed at the end. */
const tempDirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
};
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

const PROGRAM = path.resolve(__dirname, '../fixtures/runtimes/leak.js');
const BIN = path.resolve(__dirname, '../../node_modules/.bin');

/** The runtime from the devDependencies, else from PATH; undefined (the tests say why) when neither has it. */
function findRuntime(name: string): string | undefined {
  const dirs = [BIN, ...(process.env.PATH ?? '').split(path.delimiter)];
  return dirs.map((d) => path.join(d, name)).find((f) => existsSync(f));
}

/** Starts a runtime with its inspector on a free port; resolves with the ws:// URL it printed. */
async function startInspected(bin: string, args: string[]) {
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no inspector URL: ${err}`)), 20_000);
    child.stderr!.on('data', (d) => {
      err += d;
      const m = /(wss?:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${err}`)));
  });
  return { url, kill: () => killProcess(child) };
}

// npm ci installs both (devDependencies). Without one, a developer machine skips its tests and says so; CI (CI=true)
// fails instead, so a runtime that did not install is never passed off as green.
const deno = findRuntime('deno') ?? (process.env.CI ? 'deno' : undefined);
const bun = findRuntime('bun') ?? (process.env.CI ? 'bun' : undefined);
if (!deno) console.log('# SKIP Deno tests: no `deno` binary in node_modules/.bin or on PATH (npm ci installs it)');
if (!bun) console.log('# SKIP Bun tests: no `bun` binary in node_modules/.bin or on PATH (npm ci installs it)');

describe('Deno and Bun', { concurrency: true }, () => {
  it(
    'Deno: memmon run -- deno run … samples, detects the leak and names its line',
    { skip: !deno && 'no deno binary' },
    async () => {
      const dir = tempDir('memmon-deno-');
      const r = await runCli(
        [
          'run',
          '--detect-leaks',
          '--json',
          '--snapshot-at',
          '3',
          '--snapshot-dir',
          dir,
          '--duration',
          '38',
          '--',
          deno!,
          'run',
          PROGRAM,
        ],
        { timeoutMs: 90_000 },
      );
      assert.equal(r.code, 4, r.stderr);
      const lines = jsonLines(r.stdout);
      const samples = lines.filter((l) => l.type === 'sample');
      assert.ok(samples.length >= 20 && samples.every((s) => typeof s.pid === 'number' && s.heapUsed > 0 && s.rss > 0));
      const leak = lines.filter((l) => l.type === 'leak').at(-1);
      assert.ok(leak, r.stderr);
      assert.equal(leak.sites[0].file, PROGRAM);
      assert.equal(leak.sites[0].line, 4);
      const snap = lines.find((l) => l.type === 'snapshot');
      assert.ok(snap && snap.bytes > 100_000, 'a heap snapshot of the Deno program');
      assert.equal(readdirSync(dir).length, 1);
      assert.doesNotMatch(r.stderr, /Visit chrome:\/\/inspect/, "Deno's inspector banner is kept off stderr");
    },
  );

  it(
    'Deno: memmon gc --test-cycle and memmon attach on `deno run --inspect`',
    { skip: !deno && 'no deno binary' },
    async () => {
      const d = await startInspected(deno!, ['run', '--inspect=127.0.0.1:0', PROGRAM]);
      try {
        const r = await runCli(['gc', '--json', '--test-cycle', d.url]);
        assert.equal(r.code, 0, r.stderr);
        const g = jsonLines(r.stdout).find((l) => l.type === 'gc');
        assert.equal(g.testCycle.collected, true);
        // memmon attach to the same inspector: samples of a growing heap, the pid, then a summary at --duration.
        const a = await runCli(['attach', '--json', '--interval', '0.5', '--duration', '5', d.url], {
          timeoutMs: 40_000,
        });
        assert.equal(a.code, 0, a.stderr);
        const lines = jsonLines(a.stdout);
        const samples = lines.filter((l) => l.type === 'sample');
        assert.ok(samples.length >= 4, `${samples.length} samples: ${a.stderr}`);
        assert.ok(
          samples.every((l) => l.heapUsed > 0 && l.heapTotal >= l.heapUsed),
          JSON.stringify(samples[0]),
        );
        assert.ok(samples.at(-1).heapUsed > samples[0].heapUsed, 'the leaking program grows while attached');
        assert.equal(lines.at(-1).type, 'summary');
        assert.equal(lines.at(-1).reason, 'duration');
      } finally {
        await d.kill();
      }
    },
  );

  it(
    'Bun: memmon run -- bun … samples heap and RSS and detects the leak (no allocation sites: no HeapProfiler)',
    { skip: !bun && 'no bun binary' },
    async () => {
      const r = await runCli(['run', '--detect-leaks', '--json', '--duration', '38', '--', bun!, PROGRAM], {
        timeoutMs: 90_000,
      });
      assert.equal(r.code, 4, r.stderr);
      const lines = jsonLines(r.stdout);
      const samples = lines.filter((l) => l.type === 'sample');
      assert.ok(samples.length >= 20, `${samples.length} samples`);
      assert.ok(samples.every((s) => typeof s.pid === 'number' && s.heapUsed > 0 && s.rss > 0));
      const leak = lines.filter((l) => l.type === 'leak').at(-1);
      assert.ok(leak && leak.metric === 'heap' && leak.rateBytesPerSec > 100_000, r.stderr);
      assert.equal((r.stderr.match(/no sampling heap profiler/g) ?? []).length, 1, 'the missing profiler is said once');
      assert.doesNotMatch(r.stderr, /Bun Inspector|debug\.bun\.sh/, "Bun's inspector banner is kept off stderr");
    },
  );

  it(
    "Bun: memmon attach and gc --test-cycle on Bun's inspector URL (Heap.gc)",
    { skip: !bun && 'no bun binary' },
    async () => {
      const b = await startInspected(bun!, ['--inspect=127.0.0.1:0', PROGRAM]);
      try {
        const g = await runCli(['gc', '--json', '--test-cycle', b.url]);
        assert.equal(g.code, 0, g.stderr);
        assert.equal(jsonLines(g.stdout).find((l) => l.type === 'gc').testCycle.collected, true);
        const a = await runCli(['attach', '--json', '--interval', '0.25', '--duration', '2', b.url]);
        assert.equal(a.code, 0, a.stderr);
        assert.ok(jsonLines(a.stdout).filter((l) => l.type === 'sample' && l.heapUsed > 0).length >= 4);
        // A snapshot over Bun's inspector: JavaScriptCore's Heap.snapshot, converted to V8's format.
        const dir = tempDir('memmon-bun-');
        const s = await runCli(['snapshot', '--json', b.url, '-o', path.join(dir, 'x.heapsnapshot')]);
        assert.equal(s.code, 0, s.stderr);
        const line = jsonLines(s.stdout).find((l) => l.type === 'snapshot');
        assert.equal(line.file, path.join(dir, 'x.heapsnapshot'));
        assert.ok(line.bytes > 100_000, JSON.stringify(line));
        assert.equal(statSync(line.file).mode & 0o777, 0o600);
      } finally {
        await b.kill();
      }
    },
  );

  it(
    "Bun: memmon snapshot of `bun --inspect` (JavaScriptCore's Heap.snapshot) opens in memmon analyze with the program's Leaky objects",
    { skip: !bun && 'no bun binary' },
    async () => {
      const b = await startInspected(bun!, [
        '--inspect=127.0.0.1:0',
        path.resolve(__dirname, '../fixtures/runtimes/bun-leaky.js'),
      ]);
      const file = path.join(tempDir('memmon-bun-'), 'bun.heapsnapshot');
      try {
        const s = await runCli(['snapshot', '--json', b.url, '-o', file]);
        assert.equal(s.code, 0, s.stderr);
        assert.deepEqual(Object.keys(jsonLines(s.stdout).find((l) => l.type === 'snapshot')).sort(), [
          'bytes',
          'durationMs',
          'file',
          't',
          'type',
        ]);
      } finally {
        await b.kill();
      }
      const r = await runCli(['analyze', file, '--json', '--top', '0']);
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout);
      const leaky = report.classes.find((c: { name: string }) => c.name === 'Leaky');
      assert.ok(leaky && leaky.count >= 5000 && leaky.retainedSize >= leaky.selfSize, JSON.stringify(leaky));
      // The module's array holds them: an Array whose retained size covers the 5000 objects.
      const array = report.classes.find((c: { name: string }) => c.name === 'Array');
      assert.ok(array && array.retainedSize > leaky.selfSize, JSON.stringify(array));
    },
  );

  it(
    "Bun: a V8-format snapshot from Bun.generateHeapSnapshot('v8') opens in memmon analyze",
    { skip: !bun && 'no bun binary' },
    async () => {
      const file = path.join(tempDir('memmon-bun-'), 'bun.heapsnapshot');
      await new Promise<void>((resolve, reject) =>
        spawn(bun!, [path.resolve(__dirname, '../fixtures/runtimes/bun-v8-snapshot.js'), file], { stdio: 'ignore' })
          .on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bun exited with ${code}`))))
          .on('error', reject),
      );
      const r = await runCli(['analyze', file, '--top', '0']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Leaky\s+5000\s/m);
    },
  );
});
