// `memmon hunt --action … --repeat N` (issue 12 §1): holders ranked by objects added per repetition, the runtime's
// own buffers for the action (fetch's performance timeline, undici, V8 caches) after the program's holders, and a
// holder that keeps one object per call reported whatever --min-count says.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { actionBufferReason, effectiveMinCount, rankHuntGroups } from '../../src/core/leak/huntRanking';
import { jsonLines, runCli } from '../helpers/cli';

const PROGRAM = path.resolve(__dirname, '../fixtures/programs/fetch-leak-server.js');

const group = (name: string, count: number, retainedSize: number, retainerPath: string[]) => ({
  name,
  count,
  retainedSize,
  retainerPath,
});
const TIMINGS = group('PerformanceResourceTiming', 250, 122_000, [
  'global / .get performance',
  'Function.context',
  'system / Context.resourceTimingBuffer',
  'Array[]',
]);
const RECORDS = group('RequestRecord', 500, 48_000, [
  'global / .hit',
  'Function.context',
  'system / Context.requestLog',
  'Array[]',
]);

describe('hunt ranking (pure)', () => {
  it('puts the program holder first and marks what the runtime buffers for the action', () => {
    const ranked = rankHuntGroups(
      [
        TIMINGS,
        group('Function', 310, 55_000, ['global / .native_context', '(system).fast_template_instantiations_cache']),
        group('(string)', 37, 900, ['global / .clearInterval', 'Function.context', 'system / Context.timerListMap']),
        RECORDS,
      ],
      500,
    );
    assert.deepEqual(
      ranked.map((g) => [g.name, g.perRepetition, !!g.discounted]),
      [
        ['RequestRecord', 1, false],
        ['Function', 0.62, true],
        ['PerformanceResourceTiming', 0.5, true],
        ['(string)', 0.074, true],
      ],
    );
    assert.match(ranked[1].discounted!, /V8's compiled code/);
    assert.match(ranked[2].discounted!, /performance timeline/);
    assert.match(ranked[3].discounted!, /Node\.js internals .*clearInterval/);
  });

  it('ranks the program holders by objects per repetition, not by retained size', () => {
    const big = group('Blob', 100, 9e6, ['global / .app', 'Function.context', 'system / Context.cache', 'Map.table']);
    const ranked = rankHuntGroups([big, RECORDS], 500);
    assert.deepEqual(
      ranked.map((g) => g.name),
      ['RequestRecord', 'Blob'],
    );
    // Without an action there are no repetitions: retained size decides among the program's holders.
    assert.deepEqual(
      rankHuntGroups([RECORDS, big], null).map((g) => [g.name, g.perRepetition]),
      [
        ['Blob', undefined],
        ['RequestRecord', undefined],
      ],
    );
  });

  it("keeps the program's closures that a Node global holds for it (a timer callback's scope)", () => {
    // leak-closure-state.js: an interval callback closes over `undoHandlers`; the path enters through Node's timers.
    const timerClosure = group('Function', 60, 9_000, [
      'global / .clearInterval',
      'Function.context',
      'system / Context.timerListMap',
      'Object[]',
      'TimersList._idleNext',
      'Timeout._onTimeout',
      'Function.context',
      'system / Context.undoHandlers',
      'Array[]',
    ]);
    assert.equal(actionBufferReason(timerClosure), undefined);
    // …while data in the module scope of Node's own timers is theirs.
    const timerTable = group('Object', 12, 900, [
      'global / .clearInterval',
      'Function.context',
      'system / Context.timerListMap',
    ]);
    assert.match(actionBufferReason(timerTable)!, /Node\.js internals/);
    // A bundled program's module closures (`require_orders`) are the program's own.
    const bundled = group('Order', 40, 4_000, [
      'global / .app',
      'Function.context',
      'system / Context.require_orders',
      'Function.context',
      'system / Context.cache',
      'Map.table',
    ]);
    assert.equal(actionBufferReason(bundled), undefined);
  });

  it('keeps user holders that merely sit next to a global of the same name', () => {
    assert.equal(actionBufferReason(RECORDS), undefined);
    assert.equal(
      actionBufferReason(group('Order', 5, 1, ['global / .process', 'process.orders', 'Array[]'])),
      undefined,
    );
  });

  it('never asks more than one object per repetition', () => {
    assert.equal(effectiveMinCount(10, 5), 5);
    assert.equal(effectiveMinCount(10, 500), 10);
    assert.equal(effectiveMinCount(10, 0), 1);
    assert.equal(effectiveMinCount(10, null), 10);
  });
});

describe('memmon hunt --action with fetch() against a real server', () => {
  it('names the module-level array that keeps one record per request, above the fetch buffers', async () => {
    const hunt = (repeat: number) =>
      runCli(
        [
          'hunt',
          '--json',
          '--action',
          'globalThis.hit()',
          '--repeat',
          String(repeat),
          '--settle',
          '1',
          '--warmup',
          '2',
          '--',
          process.execPath,
          PROGRAM,
        ],
        { timeoutMs: 120_000 },
      );
    // 300 requests overflow fetch's 250-entry timing buffer; 5 is below the default --min-count of 10.
    const [many, few] = await Promise.all([hunt(300), hunt(5)]);
    for (const [r, n] of [
      [many, 300],
      [few, 5],
    ] as const) {
      assert.equal(r.code, 4, r.stderr);
      const [line] = jsonLines(r.stdout);
      const top = line.groups[0];
      assert.equal(top.name, 'RequestRecord', JSON.stringify(line.groups.slice(0, 3)));
      assert.equal(top.count, n);
      assert.equal(top.perRepetition, 1);
      assert.equal(top.discounted, undefined);
      assert.ok(top.retainerPath.at(-2).includes('requestLog'), top.retainerPath.join(' → '));
      const timings = line.groups.find((g: { name: string }) => g.name === 'PerformanceResourceTiming');
      if (timings) assert.match(timings.discounted, /performance timeline/);
      assert.match(r.stderr, new RegExp(`LEAKED: [\\s\\S]*\\n  ${n} × RequestRecord \\(1 per repetition\\)`));
    }
    const timings = jsonLines(many.stdout)[0].groups.find(
      (g: { name: string }) => g.name === 'PerformanceResourceTiming',
    );
    assert.ok(timings, 'the fetch timing buffer is still listed, after the holder');
    assert.ok(timings.count <= 250, `the timing buffer is bounded: ${timings.count}`);
  });
});
