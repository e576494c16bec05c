import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SamplingIntervalController } from '../../src/core/leak/samplingInterval';

const KB = 1024;

describe('SamplingIntervalController', () => {
  it('starts coarse and settles on the preferred interval for a quiet program', () => {
    const c = new SamplingIntervalController(16 * KB, 1000);
    assert.equal(c.interval, 128 * KB);
    assert.equal(c.observe(0, 0), null);
    assert.equal(c.observe(1000, 20), 16 * KB, '20 samples/s at 128 KB: 2.5 MB/s fits at 16 KB');
    assert.equal(c.observe(2000, 0), null, 'a restarted profiler counts from zero: new reference');
    assert.equal(c.observe(3000, 160), null);
  });
  it('stays coarse while no sample arrives (the program has not started working yet)', () => {
    const c = new SamplingIntervalController(16 * KB, 1000);
    c.observe(0, 7);
    assert.equal(c.observe(1000, 7), null);
    assert.equal(c.interval, 128 * KB);
    // Work starts: 4000 samples/s measured over the whole span since the last reference.
    assert.equal(c.observe(2000, 4007), 256 * KB);
    // Still no sample after 3 s at 128 KB: the program allocates little, so the preferred interval is affordable.
    const idle = new SamplingIntervalController(16 * KB, 1000);
    idle.observe(0, 0);
    assert.equal(idle.observe(1000, 0), null);
    assert.equal(idle.observe(3000, 0), 16 * KB);
  });
  it('settles on a power-of-two interval that fits the budget for a heavy allocator', () => {
    const c = new SamplingIntervalController(16 * KB, 1000);
    c.observe(0, 0);
    // 4000 samples/s at 128 KB = 500 MB/s: needs 512 KB.
    assert.equal(c.observe(1000, 4000), 512 * KB);
  });
  it('after settling, only ever gets coarser', () => {
    const c = new SamplingIntervalController(16 * KB, 1000, 10_000);
    c.observe(0, 0);
    assert.equal(c.observe(1000, 20), 16 * KB);
    c.observe(20_000, 0);
    assert.equal(c.observe(21_000, 30_000), 512 * KB, 'load arrived: 30 000 samples/s at 16 KB');
    c.observe(30_000, 0);
    assert.equal(c.observe(31_000, 10), null, 'quiet again, but no finer after the settling period');
  });
  it('goes finer on request only as far as 4× the budget allows', () => {
    const c = new SamplingIntervalController(16 * KB, 1000);
    c.observe(0, 0);
    c.observe(1000, 20);
    c.observe(2000, 0);
    c.observe(3000, 500); // 500 samples/s at 16 KB
    assert.equal(c.finer(), 2 * KB);
    const quiet = new SamplingIntervalController(16 * KB, 1000);
    quiet.observe(0, 0);
    quiet.observe(1000, 1);
    assert.equal(quiet.finer(), 1 * KB);
    assert.equal(quiet.finer(), null, 'already at the finest interval');
  });
});
