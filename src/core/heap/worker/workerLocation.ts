import { existsSync } from 'node:fs';
import path from 'node:path';

/** Environment variable that points at a heapWorker.js to use instead of the bundled one. */
const HEAP_WORKER_ENV = 'MEMMON_HEAP_WORKER';

/**
 * Finds dist/heapWorker.js: an explicit override, then $MEMMON_HEAP_WORKER, then next to the running bundle
 * (dist/cli.js, dist/extension.js share its folder), then dist/ of the package that holds this file (tests run from src).
 */
export function resolveHeapWorkerPath(override?: string, fromDir: string = __dirname): string {
  const explicit = override ?? process.env[HEAP_WORKER_ENV];
  if (explicit) {
    const p = path.resolve(explicit);
    if (!existsSync(p)) throw new Error(`heap analysis worker not found at ${p}`);
    return p;
  }
  const candidates = [path.join(fromDir, 'heapWorker.js')];
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) {
      candidates.push(path.join(dir, 'dist', 'heapWorker.js'));
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  const found = candidates.find((c) => existsSync(c));
  if (!found)
    throw new Error(`heap analysis worker not found (looked for ${candidates.join(', ')}); run \`npm run build\``);
  return found;
}
