import { statSync } from 'node:fs';
import path from 'node:path';
import type { HeapSnapshotModel } from '../../core/heap';
import { loadSnapshotFile } from '../commands/analyze';
import { ToolError } from './toolOutput';

/** Models kept in memory: a diff of three snapshots needs three; more would hold gigabytes for nothing. */
const KEPT_MODELS = 3;

/**
 * Loaded snapshots by path, size and modification time, so paging, filtering and retainer queries on the same file
 * do not parse it again (a 2 GB snapshot takes seconds). Least recently used models are dropped first.
 */
export class SnapshotCache {
  private readonly models = new Map<string, Promise<HeapSnapshotModel>>();

  /** The model of a file, loading it (with progress, cancellable) when not cached; one-line ToolErrors. */
  async load(
    file: string,
    command: string,
    signal: AbortSignal,
    onProgress: (phase: string, fraction: number) => void,
  ): Promise<HeapSnapshotModel> {
    const full = path.resolve(file);
    let key: string;
    try {
      const st = statSync(full);
      if (!st.isFile()) throw new ToolError(`memmon ${command}: ${file}: not a file`);
      key = `${full}\0${st.size}\0${st.mtimeMs}`;
    } catch (err) {
      if (err instanceof ToolError) throw err;
      throw new ToolError(
        `memmon ${command}: ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
      );
    }
    let model = this.models.get(key);
    if (model) {
      this.models.delete(key);
    } else {
      model = loadSnapshotFile(full, { signal, onProgress });
      // A failed or cancelled load is not kept.
      model.catch(() => this.models.get(key) === model && this.models.delete(key));
    }
    this.models.set(key, model);
    while (this.models.size > KEPT_MODELS) this.models.delete(this.models.keys().next().value!);
    try {
      return await model;
    } catch (err) {
      throw new ToolError(`memmon ${command}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
}
