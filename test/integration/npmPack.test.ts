// The npm package of the project installs globally and gives a working `memmon` (issue 14): `npm pack` of the built
// tree, `npm i -g` into a temporary prefix (dependencies from npm's cache, filled by `npm ci`), then the installed bin.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(cmd: string, args: string[], cwd = root) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 90_000 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe('npm pack → npm i -g → memmon', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'memmon-pack-'));
  const prefix = path.join(dir, 'prefix');
  const memmon = path.join(prefix, 'bin', 'memmon');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('packs only the CLI bundles and the docs', () => {
    const [packed] = JSON.parse(run(npm, ['pack', '--json', '--pack-destination', dir])) as Array<{
      filename: string;
      files: { path: string }[];
    }>;
    assert.equal(packed.filename, `${pkg.name}-${pkg.version}.tgz`);
    assert.deepEqual(packed.files.map((f) => f.path).sort(), [
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'dist/cli.js',
      'dist/heapWorker.js',
      'package.json',
    ]);
  });

  it('installs globally into a prefix and `memmon --version` prints the package version', () => {
    const tgz = path.join(dir, `${pkg.name}-${pkg.version}.tgz`);
    run(npm, ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tgz], dir);
    assert.ok(existsSync(memmon), `${memmon} installed`);
    // Run from outside the repository, so nothing resolves from the source tree.
    assert.equal(run(memmon, ['--version'], dir).trim(), pkg.version);
  });

  it('the installed `memmon analyze` reads a heap snapshot', () => {
    const file = path.join(dir, 'shapes.heapsnapshot');
    writeFileSync(file, gunzipSync(readFileSync(path.join(root, 'test/fixtures/heap/shapes.heapsnapshot.gz'))));
    const out = run(memmon, ['analyze', file], dir);
    assert.match(out, /^\d+ nodes, \d+ edges, \d+(\.\d+)? MB in \d+ classes/);
    assert.match(out, /\nTotal +\d+(\.\d+)? MB 100\.0%/);
    assert.match(out, /\nClass +Count +Self size +Retained +Dist\n/);
  });
});
