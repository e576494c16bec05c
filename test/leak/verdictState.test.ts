import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LeakDetector } from '../../src/core/leak/detector';
import { forecastLeak, formatEta, formatForecast } from '../../src/core/leak/forecast';
import { SENSITIVITY } from '../../src/core/leak/settings';
import { VerdictChange, VerdictTracker } from '../../src/core/leak/verdictState';

const KB = 1024;
const MB = 1024 * 1024;
const T0 = 1_700_000_000_000;

/** Deterministic noise in [-amp, amp] (mulberry32). */
function noise(seed: number, amp: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return (((x ^ (x >>> 14)) >>> 0) / 4294967296 - 0.5) * 2 * amp;
  };
}

/** Feeds a heap baseline every 3 s through the detector and the tracker; returns every change with its second. */
function run(
  heap: (s: number) => number,
  seconds: number,
  seed = 3,
  amp = 16 * KB,
  each?: (s: number, tracker: VerdictTracker) => void,
) {
  const d = new LeakDetector('normal');
  const tracker = new VerdictTracker(d.settings);
  const rand = noise(seed, amp);
  const changes: Array<{ at: number; change: VerdictChange }> = [];
  for (let s = 3; s <= seconds; s += 3) {
    const t = T0 + s * 1000;
    each?.(s, tracker);
    d.addBaseline({ t, heapUsed: 8 * MB + heap(s) + rand(), external: MB + rand(), rss: null });
    for (const change of tracker.update(t, d.evaluate(), (m) => d.points(m))) changes.push({ at: s, change });
  }
  return { changes, tracker };
}

const kinds = (r: ReturnType<typeof run>) => r.changes.filter((c) => c.change.kind !== 'updated');

describe('VerdictTracker: verdicts are raised, confirmed and withdrawn', () => {
  it('a cache that fills at 1 MB/s for 30 s and then stays flat: raised, then cleared about 20 s into the plateau', () => {
    const r = run((s) => Math.min(s, 30) * MB, 120);
    const seen = kinds(r);
    assert.equal(seen[0]?.change.kind, 'raised', JSON.stringify(seen));
    assert.ok(seen[0].at <= 30, `raised at ${seen[0].at} s`);
    const cleared = seen.find((c) => c.change.kind === 'cleared');
    assert.ok(cleared, 'cleared');
    // The plateau starts at 30 s; the settle span for a 1 MB/s verdict is the minimum duration (20 s).
    assert.ok(cleared.at >= 45 && cleared.at <= 60, `cleared at ${cleared.at} s`);
    assert.equal(r.tracker.standing.length, 0);
    assert.equal(r.tracker.cleared.length, 1);
    assert.match(r.tracker.cleared[0].reason, /growth stopped: post-GC heap flat for \d+ s/);
    // No verdict comes back on the flat heap.
    assert.equal(seen.filter((c) => c.change.kind === 'raised').length, 1);
  });

  it('a leak paused by our own retainer snapshots looks flat meanwhile: not cleared for that (it is without the pause marked)', () => {
    // 1 MB/s, but the program is stopped from 30 s to 60 s (two long snapshots): no allocation, a flat heap.
    const heap = (s: number) => (s <= 30 ? s : s <= 60 ? 30 : s - 30) * MB;
    const marked = run(heap, 90, 3, 16 * KB, (s, tracker) => {
      if (s === 30) tracker.pausedByUs(Infinity);
      if (s === 60) tracker.pausedByUs(T0 + 60_000);
    });
    assert.equal(
      kinds(marked).find((c) => c.change.kind === 'cleared'),
      undefined,
      JSON.stringify(kinds(marked)),
    );
    assert.equal(marked.tracker.standing.length, 1);
    const unmarked = run(heap, 90);
    assert.ok(
      kinds(unmarked).some((c) => c.change.kind === 'cleared'),
      'without the mark the pause clears it (the case this guards)',
    );
  });

  it('a steady 1 MB/s leak: raised, confirmed once it grew on, never cleared', () => {
    const r = run((s) => s * MB, 150);
    const seen = kinds(r);
    assert.deepEqual(
      seen.map((c) => c.change.kind),
      ['raised', 'confirmed'],
    );
    const [raised, confirmed] = seen;
    assert.ok(confirmed.at - raised.at >= 20 && confirmed.at - raised.at <= 26, `${raised.at} → ${confirmed.at}`);
    assert.equal(r.tracker.standing[0].state, 'confirmed');
  });

  it('a slow 10 KB/s leak with noise is not withdrawn (its settle span is longer: minimum growth at its rate)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = run((s) => s * 10 * KB, 300, seed);
      assert.equal(r.changes.filter((c) => c.change.kind === 'cleared').length, 0, `seed ${seed}`);
      assert.equal(r.tracker.standing.length, 1, `seed ${seed}`);
    }
    const t = new VerdictTracker(SENSITIVITY.normal);
    assert.equal(t.settleSec('heap', MB), 20);
    assert.ok(t.settleSec('heap', 4 * KB) > 90);
    assert.equal(t.settleSec('heap', 100), SENSITIVITY.normal.windowSec);
  });

  it('growth that resumes after a clear raises a new verdict', () => {
    const r = run((s) => (s <= 30 ? s * MB : s <= 80 ? 30 * MB : (30 + s - 80) * MB), 140);
    assert.deepEqual(
      kinds(r)
        .map((c) => c.change.kind)
        .slice(0, 3),
      ['raised', 'cleared', 'raised'],
    );
  });

  it('never raises a verdict below confidence 0.5', () => {
    // Growth slowing to a third: the recent slope (and with it the confidence) falls; every verdict must be ≥ 0.5.
    const d = new LeakDetector('high');
    const rand = noise(9, 64 * KB);
    let verdicts = 0;
    for (let s = 3; s <= 120; s += 3) {
      const heap = s <= 40 ? s * 200 * KB : 40 * 200 * KB + (s - 40) * 70 * KB;
      d.addBaseline({ t: T0 + s * 1000, heapUsed: 8 * MB + heap + rand(), external: null, rss: null });
      for (const v of d.evaluate()) {
        verdicts++;
        assert.ok(v.confidence >= 0.5, `confidence ${v.confidence} at ${s} s`);
      }
    }
    assert.ok(verdicts > 0, 'the series is flagged at all');
  });
});

describe('forecastLeak', () => {
  const thresholds = { criticalBytes: 1000e6, emergencyBytes: 2000e6 };
  it('extrapolates the post-GC slope to each limit', () => {
    const f = forecastLeak({
      metric: 'heap',
      rateBytesPerSec: 1e6,
      levelBytes: 400e6,
      heapBytes: 300e6,
      thresholds,
      heapLimitBytes: 4000e6,
    });
    assert.deepEqual(f, { criticalInSec: 600, emergencyInSec: 1600, heapLimitInSec: 3700 });
    assert.equal(
      formatForecast(f, thresholds),
      'reaches 1000 MB in ~10 min, 2000 MB in ~27 min, the heap limit in ~1 h 2 min',
    );
  });
  it('0 when already above, null when not growing, unknown, or not heap growth', () => {
    const above = forecastLeak({
      metric: 'heap',
      rateBytesPerSec: 1e6,
      levelBytes: 1500e6,
      heapBytes: 300e6,
      thresholds,
      heapLimitBytes: null,
    });
    assert.deepEqual(above, { criticalInSec: 0, emergencyInSec: 500, heapLimitInSec: null });
    assert.equal(formatForecast(above, thresholds), 'is already above 1000 MB; reaches 2000 MB in ~8 min');
    const flat = forecastLeak({
      metric: 'heap',
      rateBytesPerSec: 0,
      levelBytes: 100e6,
      heapBytes: 50e6,
      thresholds,
      heapLimitBytes: 4000e6,
    });
    assert.deepEqual(flat, { criticalInSec: null, emergencyInSec: null, heapLimitInSec: null });
    const external = forecastLeak({
      metric: 'external',
      rateBytesPerSec: 2e6,
      levelBytes: 100e6,
      heapBytes: 50e6,
      thresholds,
      heapLimitBytes: 4000e6,
    });
    assert.deepEqual(external, { criticalInSec: 450, emergencyInSec: 950, heapLimitInSec: null });
  });
  it('formats durations for people', () => {
    assert.equal(formatEta(42), '~42 s');
    assert.equal(formatEta(42 * 60), '~42 min');
    assert.equal(formatEta(2 * 3600 + 10 * 60), '~2 h 10 min');
    assert.equal(formatEta(3 * 86400 + 4 * 3600), '~3 d 4 h');
  });
});
