// Architecture lint: src/core must never import the editor API, so it stays usable from the CLI and in tests.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const forbidden = /(?:from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/;

/** Returns `file:line` for every line under `dir` that imports vscode. */
export function findVscodeImports(dir) {
  const hits = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|js|mjs|cjs)$/.test(name)) {
        readFileSync(p, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (forbidden.test(line)) hits.push(`${path.relative(root, p)}:${i + 1}`);
          });
      }
    }
  };
  walk(dir);
  return hits;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const hits = findVscodeImports(path.join(root, 'src/core'));
  if (hits.length) {
    console.error(`src/core must not import vscode:\n  ${hits.join('\n  ')}`);
    process.exit(1);
  }
  console.log('lint: src/core is free of vscode imports');
}
