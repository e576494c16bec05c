// One way to own resources: everything a component creates goes into its store, and disposing the store releases
// all of it. Structurally compatible with vscode.Disposable, but free of the editor API so the core can use it too.

/** Anything that releases resources when disposed. */
export interface Disposable {
  dispose(): unknown;
}

/** A disposable that runs `release` once. */
export function toDisposable(release: () => unknown): Disposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      release();
    },
  };
}

/**
 * Owns a set of disposables and disposes them together, in the order they were added. Something added after the
 * store was disposed is disposed at once, so a late subscription or timer cannot outlive its owner.
 */
export class DisposableStore implements Disposable {
  private readonly items = new Set<Disposable>();
  private disposed = false;

  /** True once `dispose` ran. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Number of disposables held (for tests and leak checks). */
  get size(): number {
    return this.items.size;
  }

  /** Takes ownership of `item` and returns it; disposes it immediately when the store is already disposed. */
  add<T extends Disposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.add(item);
    return item;
  }

  /** Disposes `item` now and stops owning it (e.g. a panel the user closed). */
  delete(item: Disposable): void {
    if (this.items.delete(item)) item.dispose();
  }

  /** Disposes everything held so far but stays usable (e.g. subscriptions to whatever a view shows now). */
  clear(): void {
    const items = [...this.items];
    this.items.clear();
    disposeAll(items);
  }

  /** Disposes everything held, and anything added later. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clear();
  }
}

/** Disposes each item even when an earlier one throws; rethrows the first error afterwards. */
function disposeAll(items: readonly Disposable[]): void {
  const errors: unknown[] = [];
  for (const item of items) {
    try {
      item.dispose();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'several disposables failed to dispose');
}
