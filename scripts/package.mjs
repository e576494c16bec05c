// `npm run package`: production build, then a .vsix with @vscode/vsce (no prompts), then a size and listing check.
// Usage: node scripts/package.mjs [--out <file.vsix>]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
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
// Not named README.*: npm pack ships every README* file, and the npm package is the CLI's.
const README = 'MARKETPLACE.md';
const listing = run([vsce, 'ls', '--no-dependencies', '--readme-path', README], true)
  .trim()
  .split('\n')
  .filter(Boolean);
// Without these the editor shows `%command.….title%` keys and untranslatable messages.
const required = ['package.nls.json', pkg.l10n ? `${path.posix.normalize(pkg.l10n)}/bundle.l10n.json` : null].filter(
  Boolean,
);
const absent = required.filter((f) => !listing.includes(f));
if (absent.length) {
  console.error(`package: missing from the package: ${absent.join(', ')}`);
  process.exit(1);
}
const forbidden = listing.filter((f) => /(^|\/)(src|test|node_modules|webview\/src)\/|\.map$|\.ts$/.test(f));
if (forbidden.length) {
  console.error(`package: unexpected files in the package:\n  ${forbidden.join('\n  ')}`);
  process.exit(1);
}
// The package's README is the user-facing MARKETPLACE.md (what it does, screenshots), not the developer
// README.md. The Marketplace web page cannot show an image packed in the .vsix: vsce rewrites the README's relative
// links against `repository` (images to https://github.com/<owner>/<repo>/raw/HEAD/…, links to …/blob/HEAD/…), so
// the screenshots are committed under media/screenshots/ and load from the public repository — on the Marketplace and
// in VS Code's extension page alike. The alternative, relative links left as they are, shows them in VS Code only
// (from the installed files) and as broken images on the Marketplace; so media/screenshots/ stays out of the .vsix
// (.vscodeignore) and a private repository would need --baseImagesUrl pointing at a public host instead.
const readme = readFileSync(path.join(root, README), 'utf8');
const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
const missing = images.filter((src) => !/^https:\/\//.test(src) && !existsSync(path.join(root, src)));
if (missing.length) {
  console.error(`package: ${README} shows images that are not in the repository: ${missing.join(', ')}`);
  process.exit(1);
}
if (!pkg.repository) {
  console.error('package: package.json needs `repository`: the README images are served from it');
  process.exit(1);
}
const packed = spawnSync(
  process.execPath,
  [vsce, 'package', '--no-dependencies', '--readme-path', README, '--out', out],
  {
    cwd: root,
    encoding: 'utf8',
  },
);
process.stdout.write(packed.stdout);
process.stderr.write(packed.stderr);
if (packed.status !== 0) {
  console.error('package: vsce package failed');
  process.exit(packed.status ?? 1);
}
// A warning is a problem the Marketplace would show (a missing field, an unsupported badge…): fail on it.
const warnings = `${packed.stdout}\n${packed.stderr}`.split('\n').filter((l) => /\bWARNING\b/.test(l));
if (warnings.length) {
  console.error(`package: vsce warned:\n  ${warnings.join('\n  ')}`);
  process.exit(1);
}
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
