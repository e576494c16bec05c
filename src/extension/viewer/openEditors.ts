// Which viewers are open for which file. Pure (no vscode import).
import { toDisposable, type Disposable } from '../../core/disposableStore';

/** Open editors grouped by file, so a command can reach every editor of a file; a closed editor is forgotten. */
export class OpenEditors<E> {
  private readonly byFile = new Map<string, Set<E>>();

  /** Records an open editor of `file`; disposing the result forgets it (and the file, once it has no editor left). */
  add(file: string, editor: E): Disposable {
    let editors = this.byFile.get(file);
    if (!editors) this.byFile.set(file, (editors = new Set()));
    editors.add(editor);
    return toDisposable(() => {
      editors.delete(editor);
      if (editors.size === 0 && this.byFile.get(file) === editors) this.byFile.delete(file);
    });
  }

  /** The open editors of `file`. */
  of(file: string): E[] {
    return [...(this.byFile.get(file) ?? [])];
  }

  /** Number of files with at least one open editor. */
  get fileCount(): number {
    return this.byFile.size;
  }
}
