import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { FIXTURES } from '../helpers/debuggee';
import { CORPUS, manifest, probe } from '../helpers/retainers';

// Holders the JS heap alone does not show: memory behind ArrayBuffers, and queues inside Node's own code.
describe('retainers behind off-heap memory and Node internals', () => {
  it('Buffer slices: the array of 16-byte slices is charged the 64 KB parents it keeps, and ranks first', async () => {
    const expected = manifest.find((m) => m.program === 'leak-buffer-slice.js')!.retainer!;
    const [top] = (await probe('leak-buffer-slice.js')).retainers;
    assert.ok(top, 'a retainer for leak-buffer-slice.js');
    assert.deepEqual(
      [top.path, top.kind, top.file, top.line],
      [expected.path, expected.kind, path.join(CORPUS, expected.file), 8],
    );
    assert.ok(
      top.countGrowthPerSec! > 2 && top.countGrowthPerSec! < 10,
      `growth ${top.countGrowthPerSec} (5 slices/s)`,
    );
    // Without the parents' memory a slice keeps ~200 bytes of JS heap (the count is read later than the snapshot).
    assert.ok(top.retainedBytes! >= top.count! * 30_000, `${top.retainedBytes} bytes for ${top.count} slices`);
  });

  it('off-heap growth outranks a holder that grows faster on the JS heap', async () => {
    const program = path.join(FIXTURES, 'buffer-slices-and-log.js');
    const paths = (await probe(program)).retainers.map((r) => r.path);
    assert.deepEqual(paths.slice(0, 2), [
      'headers (Array) in module buffer-slices-and-log.js',
      'log (Array) in module buffer-slices-and-log.js',
    ]);
  });

  it("events.on(): the iterator's queue is named by event and emitter, at the on() call, counted in events", async () => {
    const expected = manifest.find((m) => m.program === 'leak-async-iterator.js')!.retainer!;
    const [top] = (await probe('leak-async-iterator.js')).retainers;
    assert.ok(top, 'a retainer for leak-async-iterator.js');
    assert.equal(top.path, "events.on() iterator of 'tick' on feed");
    assert.deepEqual([top.kind, top.file, top.line], [expected.kind, path.join(CORPUS, expected.file), expected.line]);
    // One 10 KB event every 100 ms: the count is queued events, not the queue's 2048 slots.
    assert.ok(top.count! > 10 && top.count! < 2048, `count ${top.count}`);
    // 10 events/s when the machine keeps up (one CI rehearsal, with other suites running, measured 5.2/s): a queue
    // counted in slots or doubled would be far outside these bounds.
    assert.ok(top.countGrowthPerSec! > 3 && top.countGrowthPerSec! < 14, `growth ${top.countGrowthPerSec}`);
    assert.ok(top.retainedBytes! >= top.count! * 10_000, `${top.retainedBytes} bytes for ${top.count} events`);
  });

  it('events.on() on a property, with a close event: the queued event, not the close or error listener', async () => {
    const program = path.join(FIXTURES, 'events-on-property.js');
    const [top] = (await probe(program)).retainers;
    assert.ok(top, 'a retainer for events-on-property.js');
    assert.deepEqual(
      [top.path, top.kind, top.file, top.line],
      ["events.on() iterator of 'msg' on bus", 'other', program, 15],
    );
    assert.ok(
      top.countGrowthPerSec! > 5 && top.countGrowthPerSec! < 25,
      `growth ${top.countGrowthPerSec} (20 events/s)`,
    );
  });
});
