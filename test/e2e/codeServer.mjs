// Starts code-server 4.100.3 (installed by scripts/e2e-setup.mjs) with our .vsix installed, on a free loopback port.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const e2eDir = path.join(root, '.e2e');
export const codeServerEntry = path.join(
  e2eDir,
  'code-server',
  'node_modules',
  'code-server',
  'out',
  'node',
  'entry.js',
);
export const vsixPath = path.join(e2eDir, 'memory-monitor.vsix');

/** Runs the built CLI (dist/cli.js) with `args`, output ignored; rejects unless it exits 0. */
export function runBuiltCli(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'dist', 'cli.js'), ...args], { stdio: 'ignore' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`memmon ${args[0]} exited ${code}`))));
  });
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Prepares a fresh user-data and extensions folder, installs the .vsix, copies the fixture workspace, and
 * starts code-server. Returns `{ url, workspace, userDataDir, stop() }`.
 */
export async function startCodeServer({ name = 'run' } = {}) {
  const runDir = path.join(e2eDir, name);
  rmSync(runDir, { recursive: true, force: true });
  const userDataDir = path.join(runDir, 'user-data');
  const extensionsDir = path.join(runDir, 'extensions');
  const workspace = path.join(runDir, 'workspace');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  cpSync(path.join(root, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
  writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'security.workspace.trust.enabled': false,
        'debug.internalConsoleOptions': 'neverOpen',
        'debug.openDebug': 'neverOpen',
        'telemetry.telemetryLevel': 'off',
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'update.mode': 'none',
        'git.enabled': false,
        'git.openRepositoryInParentFolders': 'never',
        'memoryMonitor.snapshotDirectory': path.join(runDir, 'snapshots'),
        'memoryMonitor.logDirectory': path.join(runDir, 'recordings'),
      },
      null,
      2,
    ),
  );
  const base = [codeServerEntry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  const caller = await packageToolCaller();
  const install = spawnSync(
    process.execPath,
    [...base, '--install-extension', vsixPath, '--install-extension', caller],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (install.status !== 0 || (install.stdout + install.stderr).match(/successfully installed/gi)?.length !== 2) {
    throw new Error(`installing the .vsix into code-server failed:\n${install.stdout}\n${install.stderr}`);
  }
  const port = await freePort();
  const logs = [];
  const child = spawn(
    process.execPath,
    [
      ...base,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      workspace,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VSCODE_PROXY_URI: '' } },
  );
  child.stdout.on('data', (d) => logs.push(String(d)));
  child.stderr.on('data', (d) => logs.push(String(d)));
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 30_000, () => logs.join(''));
  return {
    url,
    workspace,
    runDir,
    userDataDir,
    logs: () => logs.join(''),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          r();
        }, 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          r();
        });
      });
    },
  };
}

/** Packages the test-only extension that calls the language-model tools (test/e2e/lmToolsExtension). */
async function packageToolCaller() {
  const out = path.join(e2eDir, 'memory-monitor-e2e-lm-tools.vsix');
  const { createVSIX } = await import('@vscode/vsce');
  await createVSIX({
    cwd: path.join(root, 'test', 'e2e', 'lmToolsExtension'),
    packagePath: out,
    dependencies: false,
    allowMissingRepository: true,
    skipLicense: true,
  });
  return out;
}

async function waitForHttp(url, timeoutMs, logs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer at ${url} within ${timeoutMs} ms:\n${logs()}`);
}
