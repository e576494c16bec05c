import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LeakSite, LeakVerdict } from '../../src/core/leak/types';
import { buildSuspects, flaggedSuspects, looksLikeClass, sameFlags } from '../../src/extension/leaks/leakSuspects';
import { LeakNotificationGate } from '../../src/extension/leaks/leakNotificationGate';

const verdict = (metric: LeakVerdict['metric'], rate: number, confidence = 0.97): LeakVerdict => ({
  metric,
  rateBytesPerSec: rate,
  confidence,
  since: 1_000,
  t: 30_000,
  baselineBytes: 8e6,
  growthBytes: 4e6,
  evidence: {
    points: [
      [1_000, 4e6],
      [30_000, 8e6],
    ],
    pValue: 0.01,
    recentRateBytesPerSec: rate,
  },
});
const site = (
  file: string,
  line: number,
  column: number,
  fn: string,
  growth: number,
  live = growth * 20,
  extra: Partial<LeakSite> = {},
): LeakSite => ({
  file,
  line,
  column,
  function: fn,
  liveBytes: live,
  growthBytesPerSec: growth,
  lineSource: 'allocation',
  ...extra,
});

describe('buildSuspects', () => {
  it('returns nothing without a verdict, even when sites grow', () => {
    assert.deepEqual(buildSuspects([], [site('/a.js', 3, 1, 'f', 5000)]), []);
  });

  it('merges sites on the same line, adds their growth, names the class from a constructor, ranks by growth', () => {
    const sites = [
      site('/app/leaky.js', 8, 45, '(anonymous)', 137_452),
      site('/app/leaky.js', 30, 3, 'handleRequest', 14_343),
      site('/app/leaky.js', 8, 5, 'LeakyOrderRecord', 60_189),
      site('/app/leaky.js', 14, 14, 'RequestContextHolder', 1_355),
    ];
    const out = buildSuspects([verdict('heap', 194_318)], sites);
    assert.deepEqual(
      out.map((s) => [s.rank, s.key]),
      [
        [1, '/app/leaky.js:8'],
        [2, '/app/leaky.js:30'],
        [3, '/app/leaky.js:14'],
      ],
    );
    const top = out[0]!;
    assert.equal(top.growthBytesPerSec, 137_452 + 60_189);
    assert.equal(top.className, 'LeakyOrderRecord');
    assert.equal(top.column, 5);
    assert.equal(top.stack.length, 2);
    assert.equal(top.metric, 'heap');
    assert.equal(top.confidence, 0.97);
    assert.equal(out[1]!.className, null);
  });

  it('names a merged line after a named function rather than an anonymous closure', () => {
    const out = buildSuspects(
      [verdict('heap', 9000)],
      [site('/a.js', 30, 3, '(anonymous)', 5000), site('/a.js', 30, 3, 'handleRequest', 1000)],
    );
    assert.equal(out[0]!.function, 'handleRequest');
    assert.equal(out[0]!.className, null);
  });

  it('ignores duplicate and non-growing sites', () => {
    const s = site('/a.js', 3, 1, 'f', 5000);
    const out = buildSuspects([verdict('heap', 6000)], [s, { ...s }, site('/a.js', 9, 1, 'g', 0)]);
    assert.equal(out.length, 1);
    assert.equal(out[0]!.growthBytesPerSec, 5000);
  });

  it('takes the strongest verdict; prefers heap on a tie', () => {
    const out = buildSuspects(
      [verdict('external', 1000, 0.9), verdict('heap', 1000, 0.99)],
      [site('/a.js', 3, 1, 'f', 900)],
    );
    assert.equal(out[0]!.metric, 'heap');
    const ext = buildSuspects(
      [verdict('heap', 1000), verdict('external', 5000, 0.91)],
      [site('/a.js', 3, 1, 'f', 900)],
    );
    assert.equal(ext[0]!.metric, 'external');
    assert.equal(ext[0]!.confidence, 0.91);
  });

  it('names a class the last hunt found leaking', () => {
    const out = buildSuspects([verdict('heap', 5000)], [site('/a.js', 3, 1, 'makeSession', 4000)], {
      classes: [{ name: 'makeSession' }],
    });
    assert.equal(out[0]!.className, 'makeSession');
  });

  it('lists the compiled position of a source-mapped site in the stack', () => {
    const s = site('/src/store.ts', 23, 5, 'open', 4000, 80_000, {
      generated: { url: 'file:///dist/store.js', line: 17, column: 9 },
    });
    const out = buildSuspects([verdict('heap', 5000)], [s]);
    assert.deepEqual(
      out[0]!.stack.map((f) => [f.file, f.line, f.note]),
      [
        ['/src/store.ts', 23, 'allocating line'],
        ['file:///dist/store.js', 17, 'compiled JavaScript'],
      ],
    );
  });
});

describe('flaggedSuspects and sameFlags', () => {
  const suspects = buildSuspects(
    [verdict('heap', 200_000)],
    [site('/a.js', 1, 1, 'f', 100_000), site('/a.js', 2, 1, 'g', 20_000), site('/a.js', 3, 1, 'h', 2_000)],
  );

  it('flags the top suspect and those growing at least a tenth as fast', () => {
    assert.deepEqual(
      flaggedSuspects(suspects).map((s) => s.line),
      [1, 2],
    );
    assert.deepEqual(flaggedSuspects([]), []);
  });

  it('ignores small rate changes but not new lines, new order or big rate moves', () => {
    const again = buildSuspects(
      [verdict('heap', 200_000)],
      [site('/a.js', 1, 1, 'f', 110_000), site('/a.js', 2, 1, 'g', 21_000), site('/a.js', 3, 1, 'h', 2_000)],
    );
    assert.equal(sameFlags(suspects, again), true);
    const faster = buildSuspects(
      [verdict('heap', 200_000)],
      [site('/a.js', 1, 1, 'f', 130_000), site('/a.js', 2, 1, 'g', 20_000), site('/a.js', 3, 1, 'h', 2_000)],
    );
    assert.equal(sameFlags(suspects, faster), false);
    assert.equal(sameFlags(suspects, suspects.slice(0, 2)), false);
    assert.equal(sameFlags(suspects, [...suspects].reverse()), false);
  });
});

describe('looksLikeClass', () => {
  it('accepts constructor-like names only', () => {
    assert.equal(looksLikeClass('Order'), true);
    assert.equal(looksLikeClass('handleRequest'), false);
    assert.equal(looksLikeClass('(anonymous)'), false);
    assert.equal(looksLikeClass('<img src=x>'), false);
  });
});

describe('LeakNotificationGate', () => {
  it('announces a suspicion once, again only after it cleared, per session', () => {
    const g = new LeakNotificationGate();
    assert.equal(g.update('a', false), false);
    assert.equal(g.update('a', true), true);
    assert.equal(g.update('a', true), false);
    assert.equal(g.update('b', true), true);
    assert.equal(g.update('a', false), false);
    assert.equal(g.update('a', true), true);
    g.forget('a');
    assert.equal(g.update('a', true), true);
  });
});
