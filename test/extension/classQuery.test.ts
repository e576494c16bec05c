import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filterAndSortClasses } from '../../src/core/heap/query/classQuery';

const rows = [
  { key: ',Order', name: 'Order', count: 10, selfSize: 400, retainedSize: 9000, distance: 3 },
  { key: ',OrderLine', name: 'OrderLine', count: 200, selfSize: 6400, retainedSize: 6400, distance: 4 },
  { key: ',(string)', name: '(string)', count: 5000, selfSize: 90000, retainedSize: 90000, distance: 2 },
  {
    key: ',<img src=x onerror=alert(1)>',
    name: '<img src=x onerror=alert(1)>',
    count: 1,
    selfSize: 16,
    retainedSize: 16,
    distance: 5,
  },
];

describe('class summary query', () => {
  it('filters by case-insensitive substring and sorts by the chosen column', () => {
    const page = filterAndSortClasses(rows, 'order', 'count', true, 0, 10);
    assert.deepEqual(
      page.items.map((r) => r.name),
      ['OrderLine', 'Order'],
    );
    assert.equal(page.total, 2);
    assert.deepEqual(filterAndSortClasses(rows, '', 'name', false, 0, 10).items.map((r) => r.name)[0], '(string)');
    assert.deepEqual(
      filterAndSortClasses(rows, '', 'retainedSize', true, 0, 1).items.map((r) => r.name),
      ['(string)'],
    );
  });

  it('pages and clamps out-of-range offsets', () => {
    const p = filterAndSortClasses(rows, '', 'retainedSize', true, 2, 1);
    assert.equal(p.offset, 2);
    assert.equal(p.items.length, 1);
    assert.equal(filterAndSortClasses(rows, '', 'retainedSize', true, 99, 10).items.length, 0);
  });

  it('matches hostile names as plain text', () => {
    assert.equal(
      filterAndSortClasses(rows, '<img', 'name', false, 0, 10).items[0]!.name,
      '<img src=x onerror=alert(1)>',
    );
  });
});
