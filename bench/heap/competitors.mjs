// Installs the benchmark's competitors on demand into bench/.competitors (git-ignored), so that a plain `npm ci` of the
// project never pulls memlab's puppeteer (whose install would download a browser).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Pinned versions that work on Node 20. */
export const COMPETITOR_VERSIONS = { '@vscode/v8-heap-parser': '0.1.0', '@memlab/heap-analysis': '2.0.5' };

/** Returns the folder holding node_modules/<competitor>; installs them first when missing. */
export function ensureCompetitors(benchDir) {
  const dir = path.join(benchDir, '.competitors');
  const missing = Object.keys(COMPETITOR_VERSIONS).filter(
    (name) => !existsSync(path.join(dir, 'node_modules', name, 'package.json')),
  );
  if (!missing.length) return dir;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify(
      { name: 'memmon-bench-competitors', private: true, version: '0.0.0', dependencies: COMPETITOR_VERSIONS },
      null,
      2,
    ),
  );
  console.error(`installing benchmark competitors (${missing.join(', ')}) into ${dir} …`);
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    stdio: 'inherit',
    env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1', PUPPETEER_SKIP_CHROME_DOWNLOAD: '1' },
  });
  if (r.status !== 0) throw new Error(`npm install of the competitors failed (exit ${r.status})`);
  return dir;
}
