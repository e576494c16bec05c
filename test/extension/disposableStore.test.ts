import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DisposableStore, toDisposable } from '../../src/core/disposableStore';

function tracked(log: string[], name: string) {
  return toDisposable(() => log.push(name));
}

describe('DisposableStore', () => {
  it('disposes everything it holds once, in the order added', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    store.add(tracked(log, 'a'));
    store.add(tracked(log, 'b'));
    assert.equal(store.size, 2);
    store.dispose();
    store.dispose();
    assert.deepEqual(log, ['a', 'b']);
    assert.equal(store.isDisposed, true);
    assert.equal(store.size, 0);
  });

  it('disposes what is added after it was disposed at once, and returns it', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    store.dispose();
    const late = tracked(log, 'late');
    assert.equal(store.add(late), late);
    assert.deepEqual(log, ['late']);
    assert.equal(store.size, 0);
  });

  it('clear disposes the current items but keeps the store usable', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    store.add(tracked(log, 'first'));
    store.clear();
    store.add(tracked(log, 'second'));
    assert.deepEqual(log, ['first']);
    assert.equal(store.isDisposed, false);
    store.dispose();
    assert.deepEqual(log, ['first', 'second']);
  });

  it('delete disposes one item and forgets it; unknown items are left alone', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    const a = store.add(tracked(log, 'a'));
    store.add(tracked(log, 'b'));
    store.delete(a);
    store.delete(tracked(log, 'stranger'));
    assert.deepEqual(log, ['a']);
    store.dispose();
    assert.deepEqual(log, ['a', 'b']);
  });

  it('disposes the rest when one item throws, then rethrows', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    store.add(
      toDisposable(() => {
        throw new Error('boom');
      }),
    );
    store.add(tracked(log, 'after'));
    assert.throws(() => store.dispose(), /boom/);
    assert.deepEqual(log, ['after']);
  });

  it('nested stores go with their parent', () => {
    const log: string[] = [];
    const parent = new DisposableStore();
    const child = parent.add(new DisposableStore());
    child.add(tracked(log, 'child item'));
    parent.dispose();
    assert.equal(child.isDisposed, true);
    assert.deepEqual(log, ['child item']);
  });
});
