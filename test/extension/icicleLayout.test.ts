import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { layoutIcicle, nodeCategory } from '../../webview/src/snapshot/icicleLayout';

interface T {
  name: string;
  size: number;
  kids: T[] | null;
}
const t = (name: string, size: number, kids: T[] | null = []): T => ({ name, size, kids });

describe('icicle layout of the dominator tree', () => {
  const tree = t('root', 100, [t('a', 50, [t('a1', 25), t('a2', 1)]), t('b', 30, null), t('c', 0.1)]);
  const cells = layoutIcicle(
    tree,
    (x) => x.size,
    (x) => x.kids,
    1000,
    4,
    2,
  );
  const at = (name: string) => cells.find((c) => c.item.name === name);

  it('gives each child its share of its parent, left to right, under it', () => {
    assert.deepEqual(
      [at('root'), at('a'), at('b'), at('a1'), at('a2')].map((c) => c && [c.depth, c.x, c.w]),
      [
        [0, 0, 1000],
        [1, 0, 500],
        [1, 500, 300],
        [2, 0, 250],
        [2, 250, 10],
      ],
    );
  });

  it('drops cells narrower than the minimum and stops at the depth limit', () => {
    assert.equal(at('c'), undefined, '0.1 % of 1000 px is below 2 px');
    const shallow = layoutIcicle(
      tree,
      (x) => x.size,
      (x) => x.kids,
      1000,
      2,
    );
    assert.deepEqual(
      shallow.map((c) => c.item.name),
      ['root', 'a', 'b', 'c'],
    );
  });

  it('colours nodes by what they are', () => {
    assert.equal(nodeCategory({ type: 'closure', className: 'Function' }), 'closures');
    assert.equal(nodeCategory({ type: 'concatenated string', className: '(string)' }), 'strings');
    assert.equal(nodeCategory({ type: 'object', className: 'Map' }), 'arrays');
    assert.equal(nodeCategory({ type: 'object', className: 'SessionRecord' }), 'objects');
    assert.equal(nodeCategory({ type: 'code', className: '(compiled code)' }), 'code');
    assert.equal(nodeCategory({ type: 'synthetic', className: '(GC roots)' }), 'system');
  });
});
