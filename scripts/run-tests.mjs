// `npm test`: builds, type-checks, runs the architecture lint, checks formatting (Prettier) and lints (ESLint), then
// runs every *.test.ts under test/ and src/ with Node's test runner.
// Usage: node scripts/run-tests.mjs [--no-build] [--no-lint] [filter…]  (filters are substrings of test file paths)
//   --no-build  skip everything before the tests (build, type-check, all linting): for re-running a few tests
//   --no-lint   skip Prettier and ESLint only
// Build, type-check and the architecture lint stop the run at once; a Prettier or ESLint failure is reported and the
// tests still run, so one run shows everything that is wrong, and the exit code is non-zero.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const noBuild = args.includes('--no-build');
const noLint = noBuild || args.includes('--no-lint');
const filters = args.filter((a) => !a.startsWith('--'));
const phases = [];
const failed = [];

/** Runs one phase with the output shown; returns whether it succeeded. */
function phase(name, cmdArgs, env = process.env) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, cmdArgs, { cwd: root, stdio: 'inherit', env });
  phases.push(`${name} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (r.status === 0) return true;
  failed.push(name);
  return false;
}

/** Runs a phase the later ones depend on: on failure the run ends here. */
function required(name, cmdArgs) {
  if (!phase(name, cmdArgs)) finish();
}

// On success the test runner's own summary stays the last thing printed (CI reads it).
function finish() {
  if (!failed.length) process.exit(0);
  console.error(`npm test: FAILED: ${failed.join(', ')} (${phases.join(', ')})`);
  process.exit(1);
}

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'fixtures' || name.startsWith('.')) continue;
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.ts')) out.push(path.relative(root, p));
  }
  return out;
}

if (!noBuild) {
  required('build', ['scripts/build.mjs']);
  required('tsc', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json']);
  required('tsc webview', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'webview/tsconfig.json']);
  required('architecture lint', ['scripts/lint.mjs']);
}
if (!noLint) {
  phase('prettier', ['node_modules/prettier/bin/prettier.cjs', '--check', '--cache', '--log-level', 'warn', '.']);
  phase('eslint', ['node_modules/eslint/bin/eslint.js', '.']);
}
let files = [...find(path.join(root, 'test')), ...find(path.join(root, 'src'))].sort();
// e2e tests run through `npm run test:e2e`; they need code-server and Chromium.
files = files.filter((f) => !f.includes(`${path.sep}e2e${path.sep}`));
if (filters.length) files = files.filter((f) => filters.some((s) => f.includes(s)));
if (!files.length) {
  console.error('no test files matched');
  process.exit(1);
}
console.log(`npm test: ${phases.join(', ') || 'no build'}; running ${files.length} test files`);
// The timeout bounds each test file as a whole: a file of sequential probes against real debuggees (retainers.test.ts)
// took over 120 s on a loaded 2-core machine; 240 s still ends a hung file.
// The tests' temporary files (snapshots, recordings, debuggee scratch: gigabytes over a run) go to one folder, removed
// at the end whatever the outcome.
const tmp = mkdtempSync(path.join(os.tmpdir(), 'memmon-tests-'));
phase('tests', ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=240000', ...files], {
  ...process.env,
  TMPDIR: tmp,
});
rmSync(tmp, { recursive: true, force: true });
finish();
