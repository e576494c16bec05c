// Produces the benchmark's snapshots: runs realistic-app.mjs under --inspect until its heap has the size that yields
// about `sizeMb` of snapshot, then captures it with `memmon snapshot` (our streaming capture). Cached in bench/.snapshots.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { measure } from './measure.mjs';

/** Snapshot bytes per heapUsed byte for realistic-app.mjs on Node 20 (measured: 1.14 at a 63 MB heap, 1.47 at 126 MB). */
const FILE_PER_HEAP = 1.45;

/** Path of the cached snapshot for a size, generating it when missing; returns {file, bytes, capture}. */
export async function ensureSnapshot(root, sizeMb, { regenerate = false } = {}) {
  const dir = path.join(root, 'bench/.snapshots');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `realistic-${sizeMb}.heapsnapshot`);
  if (existsSync(file) && !regenerate) return { file, bytes: statSync(file).size, capture: null };
  rmSync(file, { force: true });
  const heapMb = Math.ceil((sizeMb * 1e6) / FILE_PER_HEAP / 1048576);
  console.error(`generating ~${sizeMb} MB snapshot (app heap ${heapMb} MB)…`);
  const app = spawn(
    process.execPath,
    [
      `--max-old-space-size=${heapMb * 2 + 1024}`,
      '--inspect=127.0.0.1:0',
      path.join(root, 'bench/heap/realistic-app.mjs'),
      '--heap-mb',
      String(heapMb),
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  try {
    const wsUrl = await waitForApp(app);
    const capture = await measure(
      process.execPath,
      [path.join(root, 'bench/.competitors/ours/cli.js'), 'snapshot', wsUrl, '-o', file, '--json'],
      { timeoutMs: 3_600_000 },
    );
    if (capture.code !== 0) throw new Error(`memmon snapshot failed: ${capture.stderr.trim().split('\n').pop()}`);
    const line = JSON.parse(capture.stdout.trim().split('\n').pop());
    return {
      file,
      bytes: line.bytes,
      capture: { wallMs: capture.wallMs, durationMs: line.durationMs, peakBytes: capture.peakBytes },
    };
  } finally {
    app.kill('SIGKILL');
  }
}

function waitForApp(app) {
  return new Promise((resolve, reject) => {
    let err = '';
    let out = '';
    let wsUrl;
    const check = () => {
      if (wsUrl && /READY/.test(out)) resolve(wsUrl);
    };
    app.stderr.on('data', (d) => {
      err += d;
      wsUrl ??= /Debugger listening on (ws:\/\/\S+)/.exec(err)?.[1];
      check();
    });
    app.stdout.on('data', (d) => {
      out += d;
      check();
    });
    app.on('exit', (code) =>
      reject(new Error(`realistic-app exited (${code}) before it was ready: ${err.slice(-300)}`)),
    );
  });
}
