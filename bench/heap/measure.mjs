// Runs one benchmarked command in a fresh process: wall time, peak RSS (via peak-rss.cjs), exit status, output.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const peakPreload = path.join(path.dirname(fileURLToPath(import.meta.url)), 'peak-rss.cjs');

/** Spawns `node [nodeArgs] --require peak-rss.cjs script…`; never throws for a failing command. */
export function measure(node, args, { timeoutMs = 1_800_000, nodeArgs = [] } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'memmon-bench-'));
  const peakFile = path.join(dir, 'peak.json');
  const started = performance.now();
  const child = spawn(node, [...nodeArgs, '--require', peakPreload, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MEMMON_BENCH_PEAK_FILE: peakFile },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-20_000)));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      let peakBytes = null;
      try {
        peakBytes = JSON.parse(readFileSync(peakFile, 'utf8')).peakBytes;
      } catch {
        // Killed before its exit handler ran (timeout, OOM kill, WASM abort).
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, signal, wallMs, peakBytes, stdout, stderr });
    });
  });
}
