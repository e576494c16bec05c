import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { squarify } from '../../webview/src/snapshot/treemap';
import { timeStep } from '../../webview/src/monitor/timeStep';

describe('treemap layout', () => {
  it('fills the rectangle with areas proportional to the values, without overlap', () => {
    const values = [50, 25, 12, 8, 5];
    const rects = squarify(values, { x: 0, y: 0, w: 400, h: 200 });
    const total = rects.reduce((a, r) => a + r.w * r.h, 0);
    assert.ok(Math.abs(total - 80_000) < 1e-6);
    rects.forEach((r, i) => assert.ok(Math.abs(r.w * r.h - (values[i]! / 100) * 80_000) < 1e-6));
    for (let i = 0; i < rects.length; i++)
      for (let j = i + 1; j < rects.length; j++) {
        const a = rects[i]!;
        const b = rects[j]!;
        const overlap =
          Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) *
          Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
        assert.ok(overlap < 1e-6, `tiles ${i} and ${j} overlap`);
      }
  });

  it('handles empty and zero input', () => {
    assert.deepEqual(squarify([], { x: 0, y: 0, w: 10, h: 10 }), []);
    assert.equal(squarify([0, 0], { x: 0, y: 0, w: 10, h: 10 })[0]!.w, 0);
  });
});

describe('chart time axis step', () => {
  it('picks whole-second steps giving at most 10 ticks', () => {
    assert.equal(timeStep(5_000), 1000);
    assert.equal(timeStep(60_000), 10_000);
    assert.equal(timeStep(3_600_000), 600_000);
  });
});
