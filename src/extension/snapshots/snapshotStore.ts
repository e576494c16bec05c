// Where heap snapshots are saved, and the retention limit. Pure Node (no vscode import) so it can be unit tested.
import { chmod, mkdir, readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

/** Snapshots the extension captured are named `memmon-<stem>-<time>.heapsnapshot`; only those are ever pruned. */
const OWN_SNAPSHOT = /^memmon-.*\.heapsnapshot$/;

/** Path of a new snapshot file for a session in `dir`. */
export function snapshotPath(dir: string, sessionName: string, t: number): string {
  const stem =
    sessionName
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/\.{2,}/g, '.')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 40) || 'session';
  return path.join(dir, `memmon-${stem}-${new Date(t).toISOString().replace(/[:.]/g, '-')}.heapsnapshot`);
}

/** Creates the snapshot folder, readable by the user only when we create it. */
export async function ensureSnapshotDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

/** Makes a snapshot readable and writable by its owner only (snapshots hold secrets and personal data). */
export async function restrictToOwner(file: string): Promise<void> {
  await chmod(file, 0o600);
}

/** Deletes our oldest snapshots in `dir` beyond `keep` (never touches other files); returns the deleted paths. */
export async function pruneSnapshots(dir: string, keep: number, protect: readonly string[] = []): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => OWN_SNAPSHOT.test(n));
  } catch {
    // No folder (nothing captured there yet) or not readable: nothing of ours to prune.
    return [];
  }
  const files = await Promise.all(
    names.map(async (n) => {
      const p = path.join(dir, n);
      try {
        return { p, mtime: (await stat(p)).mtimeMs };
      } catch {
        // Deleted meanwhile: not counted.
        return null;
      }
    }),
  );
  const sorted = files.filter((f): f is { p: string; mtime: number } => f !== null).sort((a, b) => b.mtime - a.mtime);
  const doomed = sorted.slice(Math.max(0, keep)).filter((f) => !protect.includes(f.p));
  const deleted: string[] = [];
  for (const f of doomed) {
    try {
      await unlink(f.p);
      deleted.push(f.p);
    } catch {
      // Already gone or not ours to delete.
    }
  }
  return deleted;
}

/** The newest snapshot Memory Monitor captured in `dir` (by modification time), or null when there is none. */
export async function latestSnapshot(dir: string): Promise<string | null> {
  let newest: { p: string; mtime: number } | null = null;
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => OWN_SNAPSHOT.test(n));
  } catch {
    // No folder yet: no snapshot.
    return null;
  }
  for (const n of names) {
    const p = path.join(dir, n);
    try {
      const mtime = (await stat(p)).mtimeMs;
      if (!newest || mtime > newest.mtime) newest = { p, mtime };
    } catch {
      // Deleted meanwhile.
    }
  }
  return newest?.p ?? null;
}
