import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LeakDetector, Baseline } from '../../src/core/leak/detector';
import { mannKendall, theilSenSlope } from '../../src/core/leak/stats';
import type { LeakSensitivity, LeakVerdict } from '../../src/core/leak/types';
import type { MemorySample } from '../../src/core/types';
import { memorySample } from '../helpers/samples';

const KB = 1024;
const MB = 1024 * 1024;

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

interface Scenario {
  /** Heap baseline (bytes) at second s. */
  heap: (s: number) => number;
  external?: (s: number) => number;
  rss?: (s: number) => number;
  noise?: number;
  seconds?: number;
  cadenceSec?: number;
  sensitivity?: LeakSensitivity;
  seed?: number;
}

/** Feeds post-GC baselines every cadence and returns the first verdict per metric with the second it came. */
function runBaselines(sc: Scenario): Map<string, { at: number; verdict: LeakVerdict }> {
  const d = new LeakDetector(sc.sensitivity ?? 'normal');
  const rand = rng(sc.seed ?? 7);
  const noise = () => (rand() - 0.5) * 2 * (sc.noise ?? 16 * KB);
  const first = new Map<string, { at: number; verdict: LeakVerdict }>();
  const t0 = 1_700_000_000_000;
  const cadence = sc.cadenceSec ?? 3;
  for (let s = cadence; s <= (sc.seconds ?? 300); s += cadence) {
    const b: Baseline = {
      t: t0 + s * 1000,
      heapUsed: 8 * MB + sc.heap(s) + noise(),
      external: 1 * MB + (sc.external?.(s) ?? 0) + noise(),
      rss: 40 * MB + (sc.rss?.(s) ?? sc.heap(s) + (sc.external?.(s) ?? 0)) + noise() * 4,
    };
    d.addBaseline(b);
    for (const v of d.evaluate()) if (!first.has(v.metric)) first.set(v.metric, { at: s, verdict: v });
  }
  return first;
}

const linear =
  (rate: number, from = 0) =>
  (s: number) =>
    Math.max(0, s - from) * rate;

describe('robust statistics', () => {
  it('Theil–Sen recovers a slope despite outliers', () => {
    const pts = Array.from({ length: 20 }, (_, i) => ({ t: i * 1000, v: 100 + 5 * i + (i % 7 === 3 ? 10_000 : 0) }));
    assert.equal(theilSenSlope(pts), 5);
  });
  it('Mann–Kendall: increasing series is significant, shuffled is not, ties are ties', () => {
    assert.ok(mannKendall([1, 2, 3, 4, 5, 6, 7, 8]).pIncreasing < 0.001);
    assert.ok(mannKendall([5, 1, 7, 3, 8, 2, 6, 4]).pIncreasing > 0.2);
    assert.ok(mannKendall([8, 7, 6, 5, 4, 3, 2, 1]).pIncreasing > 0.99);
    const flat = mannKendall([10, 10, 10, 10, 10, 10]);
    assert.equal(flat.s, 0);
    assert.equal(flat.pIncreasing, 1);
    assert.equal(mannKendall([100, 101, 99, 100, 102], 5).s, 0);
  });
});

describe('LeakDetector: leaks are flagged in time', () => {
  it('1 MB/s within 30 s', () => {
    const r = runBaselines({ heap: linear(MB) }).get('heap');
    assert.ok(r, 'flagged');
    assert.ok(r.at <= 30, `flagged at ${r.at} s`);
    assert.ok(Math.abs(r.verdict.rateBytesPerSec - MB) < 0.05 * MB, `rate ${r.verdict.rateBytesPerSec}`);
    assert.ok(r.verdict.confidence > 0.9);
  });
  it('1 MB/s within 30 s when the GC cadence stretches to 5.3 s (budget)', () => {
    const r = runBaselines({ heap: linear(MB), cadenceSec: 5.3 }).get('heap');
    assert.ok(r && r.at <= 30, `flagged at ${r?.at}`);
  });
  it('100 KB/s within 60 s, even with 64 KB of baseline noise', () => {
    const r = runBaselines({ heap: linear(100 * KB), noise: 64 * KB }).get('heap');
    assert.ok(r && r.at <= 60, `flagged at ${r?.at}`);
  });
  for (const rate of [5, 10]) {
    it(`${rate} KB/s within 120 s with 16 KB noise`, () => {
      for (const seed of [1, 2, 3, 4, 5]) {
        const r = runBaselines({ heap: linear(rate * KB), seed }).get('heap');
        assert.ok(r && r.at <= 120, `seed ${seed}: flagged at ${r?.at}`);
      }
    });
  }
  it('a leak that starts after a long healthy plateau, and reports since ≈ its start', () => {
    const r = runBaselines({ heap: linear(200 * KB, 90), seconds: 240 }).get('heap');
    assert.ok(r && r.at <= 90 + 60, `flagged at ${r?.at}`);
    assert.ok(Math.abs((r!.verdict.since - 1_700_000_000_000) / 1000 - 90) <= 6, `since ${r!.verdict.since}`);
  });
  it('off-heap leak: external grows while heap stays flat → metric external, no heap verdict', () => {
    const r = runBaselines({ heap: () => 0, external: linear(200 * KB) });
    assert.ok(r.get('external'));
    assert.equal(r.has('heap'), false);
    assert.equal(r.has('rss'), false, 'RSS growth explained by external');
  });
  it('native leak: RSS grows alone → metric rss', () => {
    const r = runBaselines({ heap: () => 0, rss: linear(300 * KB) });
    assert.ok(r.get('rss')!.at <= 90, `flagged at ${r.get('rss')!.at}`);
    assert.ok(r.get('rss'));
    assert.equal(r.has('heap'), false);
  });
  it('sensitivity orders detection time: high ≤ normal ≤ low', () => {
    const at = (sensitivity: LeakSensitivity) =>
      runBaselines({ heap: linear(100 * KB), sensitivity }).get('heap')?.at ?? Infinity;
    assert.ok(at('high') <= at('normal') && at('normal') <= at('low'), `${at('high')} ${at('normal')} ${at('low')}`);
    assert.ok(at('low') < Infinity);
  });
  it('low sensitivity ignores a 5 KB/s drift that normal flags', () => {
    assert.ok(runBaselines({ heap: linear(5 * KB) }).has('heap'));
    assert.equal(runBaselines({ heap: linear(5 * KB), sensitivity: 'low' }).has('heap'), false);
  });
});

describe('LeakDetector: healthy look-alikes are not flagged', () => {
  const healthy: Record<string, Scenario> = {
    'warm-up 15 s at 1 MB/s then plateau': { heap: (s) => Math.min(s, 15) * MB },
    'warm-up 15 s at 100 KB/s then plateau': { heap: (s) => Math.min(s, 15) * 100 * KB },
    'cache filling to a bound in 12 s (ease-out)': { heap: (s) => 20 * MB * (1 - Math.exp(-s / 4)) },
    'single 50 MB allocation at 40 s': { heap: (s) => (s >= 40 ? 50 * MB : 0) },
    'two allocations, 30 s apart': { heap: (s) => (s >= 40 ? 20 * MB : 0) + (s >= 70 ? 20 * MB : 0) },
    'flat with 200 KB noise': { heap: () => 0, noise: 200 * KB },
    'slow drift below the minimum rate (1 KB/s)': { heap: linear(1 * KB), noise: 4 * KB },
    'periodic cache flush (grow 20 s, clear)': { heap: (s) => (s % 20) * 50 * KB },
  };
  for (const [name, sc] of Object.entries(healthy)) {
    for (const sensitivity of ['normal', 'high'] as const) {
      it(`${name} (${sensitivity})`, () => {
        for (const seed of [11, 12, 13]) {
          const r = runBaselines({ ...sc, sensitivity, seed });
          assert.equal(
            r.size,
            0,
            `seed ${seed}: ${[...r.values()].map((x) => `${x.verdict.metric} at ${x.at}s`).join(', ')}`,
          );
        }
      });
    }
  }
  it('a cache warming up for 40 s at 250 KB/s, then flat, is not flagged (normal): slow growth must last 50 s', () => {
    for (const seed of [11, 12, 13, 14, 15]) {
      const r = runBaselines({ heap: (s) => Math.min(s, 40) * 250 * KB, seed });
      assert.equal(
        r.size,
        0,
        `seed ${seed}: ${[...r.values()].map((x) => `${x.verdict.metric} at ${x.at}s`).join(', ')}`,
      );
    }
    // The same growth going on is a leak, flagged once it has lasted 50 s; from 1 MB/s the minimum stays 20 s.
    const slow = runBaselines({ heap: linear(250 * KB) }).get('heap');
    assert.ok(slow && slow.at >= 50 && slow.at <= 60, `250 KB/s flagged at ${slow?.at} s`);
    const fast = runBaselines({ heap: linear(1 * MB) }).get('heap');
    assert.ok(fast && fast.at <= 24, `1 MB/s flagged at ${fast?.at} s`);
  });

  it('RSS that warms up, then steps once (allocator pages), is not a native leak', () => {
    const r = runBaselines({
      heap: () => 0,
      rss: (s) => Math.min(s, 9) * 600 * KB + (s >= 27 ? 5 * MB : 0),
      noise: 200 * KB,
    });
    assert.equal(r.size, 0, [...r.keys()].join());
  });
  it('bursty load: in-flight bytes at GC time vary between 0 and 4 MB', () => {
    for (const seed of [21, 22, 23, 24]) {
      const rand = rng(seed);
      const r = runBaselines({ heap: () => (rand() < 0.3 ? rand() * 4 * MB : 0), seed });
      assert.equal(r.size, 0, `seed ${seed}`);
    }
  });
});

describe('LeakDetector: raw samples without forced GCs', () => {
  /** Sawtooth: allocate `alloc` bytes/s of garbage, collect every `period` s down to the live size. */
  function sawtooth(liveRate: number, seconds = 180): LeakVerdict[] {
    const d = new LeakDetector('normal');
    const t0 = 1_700_000_000_000;
    let found: LeakVerdict[] = [];
    for (let s = 1; s <= seconds; s++) {
      const live = 10 * MB + s * liveRate;
      const garbage = ((s % 7) / 7) * 30 * MB;
      const sample: MemorySample = memorySample({
        t: t0 + s * 1000,
        heapUsed: live + garbage,
        heapTotal: 64 * MB,
        rss: 80 * MB + live,
        external: MB,
        arrayBuffers: 0,
      });
      d.addSample(sample);
      found = d.evaluate();
      if (found.length) break;
    }
    return found;
  }
  it('a healthy sawtooth is not a leak', () => assert.equal(sawtooth(0).length, 0));
  it('a sawtooth with rising minima (50 KB/s) is', () => assert.equal(sawtooth(50 * KB)[0]?.metric, 'heap'));
  it('raw samples are ignored while forced-GC baselines arrive', () => {
    const d = new LeakDetector('normal');
    const t0 = 1_700_000_000_000;
    for (let s = 1; s <= 120; s++) {
      if (s % 3 === 0) d.addBaseline({ t: t0 + s * 1000, heapUsed: 10 * MB, external: MB, rss: 50 * MB });
      // Misleading samples: drops to ever higher minima.
      d.addSample(
        memorySample({
          t: t0 + s * 1000 + 1,
          heapUsed: (s % 2 ? 40 * MB : 12 * MB) + s * 100 * KB,
          heapTotal: 64 * MB,
          rss: 50 * MB,
          external: MB,
          arrayBuffers: 0,
        }),
      );
    }
    assert.deepEqual(d.evaluate(), []);
  });
});

describe('Mann–Kendall exact small-sample p-values', () => {
  it('5 strictly increasing values: p = 1/120', () => {
    assert.ok(Math.abs(mannKendall([1, 2, 3, 4, 5]).pIncreasing - 1 / 120) < 1e-12);
  });
  it('one swap in 5 values: p = 5/120', () => {
    assert.ok(Math.abs(mannKendall([2, 1, 3, 4, 5]).pIncreasing - 5 / 120) < 1e-12);
  });
});
