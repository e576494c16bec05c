// `npm run test:e2e`: installs what the suite needs (scripts/e2e-setup.mjs), packages the extension,
// and runs test/e2e/*.e2e.test.mjs with Node's test runner. Prints the time of each phase.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const started = Date.now();
const phases = [];

function phase(name, args) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  phases.push(`${name} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (r.status !== 0) {
    console.error(`e2e: ${name} failed (exit ${r.status}); phases: ${phases.join(', ')}`);
    process.exit(r.status ?? 1);
  }
}

mkdirSync(path.join(root, '.e2e'), { recursive: true });
phase('setup', ['scripts/e2e-setup.mjs']);
phase('package', ['scripts/package.mjs', '--out', '.e2e/memory-monitor.vsix']);
const filters = process.argv.slice(2);
const tests = readdirSync(path.join(root, 'test', 'e2e'))
  .filter((f) => f.endsWith('.e2e.test.mjs') && (!filters.length || filters.some((s) => f.includes(s))))
  .map((f) => path.join('test', 'e2e', f));
// The timeout bounds each test file as a whole too: the main file's steps take 190–260 s on a 2-core machine (the leak
// step alone up to 150 s), so 300 s left no room for one slow step; 600 s still ends a hung file.
phase('tests', ['--test', '--test-concurrency=1', '--test-timeout=600000', ...tests]);
console.log(
  `e2e: done in ${((Date.now() - started) / 1000).toFixed(1)} s (${phases.join(', ')}); screenshots in .e2e/screenshots/`,
);
