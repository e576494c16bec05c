import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HeapSnapshotModel, loadHeapSnapshot } from '../../src/core/heap';
import { fixtureBytes, tempSnapshot } from './fixtures';

describe('HeapSnapshotModel queries', () => {
  let model: HeapSnapshotModel;
  before(async () => {
    model = await loadHeapSnapshot(tempSnapshot(fixtureBytes('shapes')));
  });

  const orderKey = () => model.classes().find((r) => r.name === 'Order')!.key;

  it('pages the class summary, sorted by retained size', () => {
    const all = model.classes();
    const page = model.classSummary({ offset: 5, limit: 10 });
    assert.equal(page.total, all.length);
    assert.deepEqual(page.items, all.slice(5, 15));
    for (let i = 1; i < all.length; i++) assert.ok(all[i - 1]!.retainedSize >= all[i]!.retainedSize);
  });

  it('lists instances of a class by retained size, paged, consistent with the class row', () => {
    const row = model.classes().find((r) => r.name === 'Order')!;
    const first = model.classInstances(row.key, { limit: 100 });
    const rest = model.classInstances(row.key, { offset: 100, limit: 10000 });
    assert.equal(first.total, row.count);
    const all = [...first.items, ...rest.items];
    assert.equal(all.length, row.count);
    assert.equal(
      all.reduce((a, n) => a + n.selfSize, 0),
      row.selfSize,
    );
    for (let i = 1; i < all.length; i++) assert.ok(all[i - 1]!.retainedSize >= all[i]!.retainedSize);
    assert.ok(all.every((n) => n.className === 'Order' && n.type === 'object'));
    assert.equal(model.classInstances('no such key').total, 0);
  });

  it('shows node details with the constructor location', () => {
    const order = model.classInstances(orderKey(), { limit: 1 }).items[0]!;
    const details = model.nodeDetails(order.id)!;
    assert.equal(details.id, order.id);
    assert.equal(details.classKey, orderKey());
    assert.ok(details.location && details.location.line >= 0, 'Order instances carry a script location');
    assert.equal(
      `${details.location!.scriptId},${details.location!.line},${details.location!.column},Order`,
      orderKey(),
    );
    assert.ok(details.retainedSize >= details.selfSize);
    assert.equal(model.nodeDetails(0xfffffff0), null);
  });

  it('lists children (edges) and retainers of a node', () => {
    const order = model.classInstances(orderKey(), { limit: 1 }).items[0]!;
    const children = model.children(order.id, { limit: 1000 });
    const names = children.items.map((e) => e.name);
    assert.ok(names.includes('sku'));
    assert.ok(names.includes('map'));
    const sku = children.items.find((e) => e.name === 'sku')!;
    assert.equal(sku.edgeType, 'property');
    const retainers = model.retainers(sku.node.id, { limit: 1000 });
    assert.ok(retainers.items.some((e) => e.node.id === order.id && e.name === 'sku'));
    assert.throws(() => model.children(0xfffffff0), /no node with id/);
  });

  it('finds the shortest retainer path from the GC roots, never through weak edges', () => {
    const order = model.classInstances(orderKey(), { limit: 1 }).items[0]!;
    const paths = model.retainerPaths(order.id, { maxPaths: 3 });
    assert.ok(paths.length >= 1);
    const path = paths[0]!;
    assert.equal(path.at(-1)!.node.id, order.id);
    assert.equal(path.length, order.distance, 'path length equals the distance');
    for (const step of path) assert.notEqual(step.edge?.edgeType, 'weak');
    // Each step's edge really leads from the previous node.
    for (let i = 1; i < path.length; i++) {
      const kids = model.children(path[i - 1]!.node.id, { limit: 10000 }).items;
      assert.ok(kids.some((k) => k.node.id === path[i]!.node.id && k.name === path[i]!.edge!.name));
    }
  });

  it('lists the top dominators (dominator tree children by retained size)', () => {
    const top = model.dominatedChildren(undefined, { limit: 20 });
    assert.ok(top.total > 0);
    for (let i = 1; i < top.items.length; i++) assert.ok(top.items[i - 1]!.retainedSize >= top.items[i]!.retainedSize);
    const biggest = top.items[0]!;
    const below = model.dominatedChildren(biggest.id, { limit: 10000 });
    const sum = below.items.reduce((a, n) => a + n.retainedSize, 0);
    assert.ok(Math.abs(biggest.retainedSize - biggest.selfSize - sum) < 1e-6, 'retained = self + dominated children');
    assert.ok(below.items.every((n) => model.nodeDetails(n.id)!.dominatorId === biggest.id));
  });

  it('returns plain JSON-serialisable data', () => {
    const id = model.classInstances(orderKey(), { limit: 1 }).items[0]!.id;
    for (const value of [
      model.stats(),
      model.classSummary(),
      model.nodeDetails(id),
      model.children(id),
      model.retainers(id),
      model.retainerPaths(id),
      model.dominatedChildren(),
    ]) {
      assert.deepEqual(JSON.parse(JSON.stringify(value)), value);
    }
  });
});
