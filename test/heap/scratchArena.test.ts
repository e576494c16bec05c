// Paged-in scratch memory lent to queries on an open snapshot (the analysis's own scratch space first).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Carver, ScratchArena, scratchArenaOf } from '../../src/core/heap/scratchArena';
import { loadHeapSnapshot } from '../../src/core/heap';
import { fixtureBytes, tempSnapshot } from './fixtures';

describe('ScratchArena', () => {
  it('lends its seed first, then the smallest buffer given back that fits, else a new one', () => {
    const seed = new ArrayBuffer(100);
    let seeded = 0;
    const arena = new ScratchArena(() => (seeded++, seed));
    assert.equal(seeded, 0, 'the seed is asked for on the first borrow, not before');
    assert.equal(arena.take(80), seed);
    assert.equal(seeded, 1);
    const fresh = arena.take(80);
    assert.notEqual(fresh, seed, 'a lent buffer is not lent twice');
    assert.equal(fresh.byteLength, 80);
    arena.give(seed);
    arena.give(fresh);
    assert.equal(arena.take(50), fresh, 'the smallest that fits');
    assert.equal(arena.take(50), seed);
    assert.equal(seeded, 1);
  });

  it('keeps the two largest buffers given back', () => {
    const arena = new ScratchArena();
    for (const size of [10, 40, 20, 30]) arena.give(new ArrayBuffer(size));
    assert.equal(arena.keptBytes, 70);
    assert.equal(arena.take(5).byteLength, 30);
  });

  it('carves aligned typed arrays one after another and refuses to overrun', () => {
    const parts: [number, number][] = [
      [1, 3],
      [4, 5],
      [4, 2],
    ];
    const bytes = Carver.bytesFor(parts);
    assert.equal(bytes, 8 + 24 + 8);
    const buffer = new ArrayBuffer(bytes);
    const carve = new Carver(buffer);
    const a = carve.uint8(3);
    const b = carve.int32(5);
    const c = carve.uint32(2);
    assert.deepEqual([a.byteOffset, b.byteOffset, c.byteOffset], [0, 8, 32]);
    b.fill(-1);
    assert.deepEqual([...a], [0, 0, 0], 'no overlap');
    assert.deepEqual([...c], [0, 0]);
    assert.throws(() => carve.uint8(1), RangeError);
  });

  it("lends the analysis's own scratch space of an opened snapshot (12 bytes per node, paged in)", async () => {
    const model = await loadHeapSnapshot(tempSnapshot(fixtureBytes('shapes')));
    const { raw } = model.analysis;
    const buffer = scratchArenaOf(raw).take(12 * raw.nodeCount);
    assert.ok(buffer instanceof SharedArrayBuffer, 'the shared scratch the analysis used, not a new ArrayBuffer');
    assert.equal(buffer.byteLength, 12 * raw.nodeCount);
  });
});
