// `npm run package`: production build, then a .vsix with @vscode/vsce (no prompts), then a size and listing check.
// Usage: node scripts/package.mjs [--out <file.vsix>]
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const outArg = process.argv.indexOf('--out');
const out = path.resolve(root, outArg > 0 ? process.argv[outArg + 1] : `${pkg.name}-${pkg.version}.vsix`);
/** The package must stay small: bundles only, no sources, tests or node_modules. */
const MAX_BYTES = 6e6;

function run(args, capture = false) {
  const r = spawnSync(process.execPath, args, {
    cwd: root,
    stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    console.error(`package: ${args.join(' ')} failed`);
    process.exit(r.status ?? 1);
  }
  return r.stdout;
}

const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
run(['scripts/build.mjs', '--production']);
const listing = run([vsce, 'ls', '--no-dependencies'], true).trim().split('\n').filter(Boolean);
const forbidden = listing.filter((f) => /(^|\/)(src|test|node_modules|webview\/src)\/|\.map$|\.ts$/.test(f));
if (forbidden.length) {
  console.error(`package: unexpected files in the package:\n  ${forbidden.join('\n  ')}`);
  process.exit(1);
}
// Without a repository field vsce cannot rewrite the README's relative links; keep them relative (docs ship in the package).
const linkArgs = pkg.repository ? [] : ['--allow-missing-repository', '--no-rewrite-relative-links'];
run([vsce, 'package', '--no-dependencies', ...linkArgs, '--out', out]);
const size = statSync(out).size;
console.log(
  `package: ${path.relative(root, out)} — ${(size / 1e6).toFixed(2)} MB, ${listing.length} files:\n  ${listing.join('\n  ')}`,
);
if (size > MAX_BYTES) {
  console.error(
    `package: ${path.basename(out)} is ${(size / 1e6).toFixed(1)} MB, above the ${MAX_BYTES / 1e6} MB budget`,
  );
  process.exit(1);
}
