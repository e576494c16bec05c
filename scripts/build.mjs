// Builds every bundle with esbuild: the extension and CLI (Node, CommonJS), the analysis worker, and the webviews.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

/** Node entry points: name → source. A missing source is skipped so that features can land one at a time. */
const nodeEntries = {
  extension: 'src/extension/extension.ts',
  cli: 'src/cli/main.ts',
  heapWorker: 'src/core/heap/worker/heapWorker.ts',
};

/** Webview entry points, one bundle per panel. */
const webviewDir = path.join(root, 'webview/src');
const webviewEntries = Object.fromEntries(
  (existsSync(webviewDir) ? readdirSync(webviewDir) : [])
    .filter((f) => f.endsWith('.main.ts'))
    .map((f) => [f.replace(/\.main\.ts$/, ''), `webview/src/${f}`]),
);

const present = (entries) =>
  Object.fromEntries(Object.entries(entries).filter(([, src]) => existsSync(path.join(root, src))));

const builds = [
  {
    ...common,
    entryPoints: present(nodeEntries),
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    // chrome-remote-interface's optional ws peers are not used.
    define: { 'process.env.WS_NO_BUFFER_UTIL': '"1"', 'process.env.WS_NO_UTF_8_VALIDATE': '"1"' },
  },
  {
    ...common,
    entryPoints: webviewEntries,
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    loader: { '.css': 'text' },
  },
];

if (!process.argv.includes('--no-clean')) rmSync(path.join(root, 'dist'), { recursive: true, force: true });
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('watching…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
