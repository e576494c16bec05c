import { readdirSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';

/** Deletes memmon recordings (`memmon-*.jsonl`) older than `days` in `dir`; returns how many were removed. */
export function pruneOldRecordings(dir: string, days: number, now = Date.now()): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0; // no folder yet, or not readable: nothing to prune
  }
  for (const name of names) {
    if (!/^memmon-.*\.jsonl$/.test(name)) continue;
    const file = path.join(dir, name);
    try {
      if (now - statSync(file).mtimeMs > days * 86_400_000) {
        unlinkSync(file);
        removed++;
      }
    } catch {
      // Gone meanwhile, or not ours to delete.
    }
  }
  return removed;
}
