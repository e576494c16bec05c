import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli, startCli } from '../helpers/cli';
import { Inspectee, startInspectee, unusedPort } from './inspectee';

/** Runs `memmon` from the built bundle in `cwd`. */
const memmon = (args: string[], cwd: string) => runCli(args, { cwd });

describe('memmon snapshot', () => {
  let target: Inspectee;
  const dir = mkdtempSync(path.join(tmpdir(), 'memmon-snapshot-cli-'));
  before(async () => {
    target = await startInspectee(20_000);
  });
  after(() => {
    target?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the file given by -o and prints one JSON line', async () => {
    const file = path.join(dir, 'out.heapsnapshot');
    const r = await memmon(['snapshot', target.wsUrl, '-o', file, '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const line = JSON.parse(lines[0]!);
    assert.equal(line.type, 'snapshot');
    assert.equal(line.file, file);
    assert.equal(line.bytes, statSync(file).size);
    assert.ok(typeof line.t === 'number' && line.t > 1.6e12);
    assert.ok(typeof line.durationMs === 'number' && line.durationMs >= 0);
    assert.ok(Array.isArray(JSON.parse(readFileSync(file, 'utf8')).snapshot.meta.node_fields));
    assert.match(r.stderr, /snapshot 100%/);
  });

  it('defaults to Heap-<timestamp>.heapsnapshot in the current directory, target given as a port', async () => {
    const cwd = mkdtempSync(path.join(dir, 'cwd-'));
    const r = await memmon(['snapshot', String(target.port)], cwd);
    assert.equal(r.code, 0, r.stderr);
    const files = readdirSync(cwd);
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^Heap-\d{8}T\d{6}\.heapsnapshot$/);
    assert.equal(r.stdout, '');
  });

  it('fails fast with one line and exit 1 when nothing listens on the port', async () => {
    const port = await unusedPort();
    const r = await memmon(['snapshot', `127.0.0.1:${port}`, '-o', path.join(dir, 'none.heapsnapshot')], dir);
    assert.equal(r.code, 1);
    assert.ok(r.ms < 5000, `took ${r.ms} ms`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /cannot connect|refused/);
    assert.equal(existsSync(path.join(dir, 'none.heapsnapshot')), false);
  });

  it('refuses a remote host without --allow-remote (usage error)', async () => {
    const r = await memmon(['snapshot', '192.0.2.1:9229'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--allow-remote/);
  });

  it('Ctrl-C cancels and deletes the partial file', async () => {
    const big = await startInspectee(600_000);
    try {
      const file = path.join(dir, 'interrupted.heapsnapshot');
      const cli = startCli(['snapshot', big.wsUrl, '-o', file], { cwd: dir });
      // Interrupted as soon as the first progress line shows, well before the 600k-object snapshot is complete.
      await cli.waitForOutput(({ stderr }) => /snapshot \d+%/.test(stderr), 'snapshot progress');
      cli.kill('SIGINT');
      const r = await cli.done;
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /cancelled/);
      assert.equal(existsSync(file), false);
    } finally {
      big.kill();
    }
  });
});
