import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnapshotPace } from '../../src/core/heap/capture/snapshotPace';

describe('SnapshotPace: how long V8 still needs after a cancelled heap snapshot (issue 10 item 11b)', () => {
  it('no estimate before the first progress event', () => {
    const p = new SnapshotPace();
    assert.equal(p.remainingSeconds(5000), null);
    assert.match(p.stillBusyText('the debuggee', 5000), /for as long as a whole snapshot of its heap takes/);
  });

  it('while building: the rest at the pace so far plus half the building time', () => {
    const p = new SnapshotPace();
    p.progress(0, 1000, 10_000);
    p.progress(250, 1000, 20_000); // a quarter in 10 s: building takes 40 s, 30 s left, then 20 s
    assert.equal(p.remainingSeconds(20_000), 50);
    assert.match(
      p.stillBusyText('the debuggee at 127.0.0.1:9229', 20_000),
      /^the debuggee at 127\.0\.0\.1:9229 keeps taking the heap snapshot for about 50 s more, .*V8 cannot stop a heap snapshot once started/,
    );
  });

  it('while serializing: the rest of the expected bytes at the chunks’ pace, plus the tail', () => {
    const p = new SnapshotPace();
    p.progress(1, 100_000, 0);
    p.progress(100_000, 100_000, 10_000); // built in 10 s; 8.5 MB of JSON expected
    p.chunk(1_000_000, 12_000);
    p.chunk(1_000_000, 13_000); // 2 MB in 1 s: 6.5 MB left = 6.5 s, then 1.7 s
    assert.equal(p.remainingSeconds(14_000), 8);
  });

  it('built but no chunk yet: what is left of half the building time, at least 1 s', () => {
    const p = new SnapshotPace();
    p.progress(1, 10, 0);
    p.progress(10, 10, 20_000);
    assert.equal(p.remainingSeconds(24_000), 6);
    assert.equal(p.remainingSeconds(60_000), 1);
  });
});
