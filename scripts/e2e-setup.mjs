// Installs what the end-to-end suite needs beyond `npm ci`: Debian packages (Chromium, code-server's build deps)
// and code-server 4.100.3 in a folder of its own (.e2e/code-server), reused when already there.
// Usage: node scripts/e2e-setup.mjs   (prints the code-server binary path as its last line)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync, readFileSync, cpSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const CODE_SERVER_VERSION = '4.100.3';
const installDir = path.join(root, '.e2e', 'code-server');
export const codeServerBin = path.join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status}`);
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** Installs the Debian packages that are missing (apt-get update once first). */
function ensureAptPackages() {
  const wanted = ['chromium', 'libkrb5-dev', 'pkg-config', 'ripgrep'];
  const missing = wanted.filter((p) => !dpkgInstalled(p));
  if (!missing.length) return;
  console.log(`e2e-setup: installing ${missing.join(' ')}`);
  const asRoot = process.getuid?.() === 0 ? [] : has('sudo') ? ['sudo'] : null;
  if (!asRoot) throw new Error(`missing Debian packages ${missing.join(' ')} and no root rights to install them`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (...args) =>
    asRoot.length ? run('sudo', ['-E', 'apt-get', ...args], { env }) : run('apt-get', args, { env });
  apt('update');
  apt('install', '-y', '--no-install-recommends', ...missing);
}

function installedVersion() {
  const pj = path.join(installDir, 'node_modules', 'code-server', 'package.json');
  if (!existsSync(pj) || !existsSync(codeServerBin)) return null;
  return JSON.parse(readFileSync(pj, 'utf8')).version;
}

/** Installs code-server from npm into .e2e/code-server, seeding @vscode/ripgrep's download with Debian's rg. */
function ensureCodeServer() {
  if (installedVersion() === CODE_SERVER_VERSION) return;
  console.log(`e2e-setup: installing code-server ${CODE_SERVER_VERSION} into ${path.relative(root, installDir)}`);
  rmSync(installDir, { recursive: true, force: true });
  mkdirSync(installDir, { recursive: true });
  writeFileSync(
    path.join(installDir, 'package.json'),
    JSON.stringify({ name: 'e2e-code-server', private: true }, null, 2),
  );
  // @vscode/ripgrep downloads a binary from GitHub at install time; offline we hand it Debian's rg instead.
  const tmp = process.env.TMPDIR || os.tmpdir();
  const cacheDir = path.join(tmp, 'vscode-ripgrep-cache-1.15.11');
  const tarball = path.join(cacheDir, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (!existsSync(tarball)) {
    mkdirSync(cacheDir, { recursive: true });
    const stage = mkdtempSync(path.join(tmp, 'rg-stage-'));
    cpSync('/usr/bin/rg', path.join(stage, 'rg'));
    run('tar', ['-czf', tarball, '-C', stage, 'rg']);
    rmSync(stage, { recursive: true, force: true });
  }
  run('npm', ['install', '--no-audit', '--no-fund', '--unsafe-perm', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: installDir,
    env: { ...process.env, npm_config_yes: 'true' },
  });
  if (installedVersion() !== CODE_SERVER_VERSION)
    throw new Error('code-server install did not produce the expected version');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  try {
    ensureAptPackages();
    ensureCodeServer();
  } catch (err) {
    console.error(`e2e-setup: ${err.message}`);
    process.exit(1);
  }
  console.log(`e2e-setup: ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(codeServerBin);
}
