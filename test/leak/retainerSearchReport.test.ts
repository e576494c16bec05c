// The leak report says why a standing verdict names no retainer, and what the user can do (issue 12 §1: "otherwise
// offer it as one click/flag with the expected pause stated"). Pure formatting of RetainerProbeStatus.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatLeakReport, retainerSearchLine } from '../../src/core/leak/leakReport';
import type { RetainerProbeStatus } from '../../src/core/leak/leakMonitor';
import type { LeakReportLine } from '../../src/core/leak/types';

const MB = 1024 * 1024;
const status = (s: Partial<RetainerProbeStatus>): RetainerProbeStatus => ({
  state: 'idle',
  heapBytes: null,
  limitBytes: 256 * MB,
  estimatedPauseMs: null,
  error: null,
  ...s,
});

describe('retainerSearchLine', () => {
  it('over the snapshot limit: the heap, the limit, the expected pause and the flag that would search', () => {
    const line = retainerSearchLine(status({ state: 'over-limit', heapBytes: 440 * MB, estimatedPauseMs: 4200 }));
    assert.match(line, /^not searched: the heap \(\d+(\.\d+)? MB\) is above the 256 MB snapshot limit/);
    assert.match(line, /each of its 2 snapshots would pause the program ~4\.2 s/);
    assert.match(line, /--retainer-snapshot-limit 1024\b/);
    assert.match(line, /memmon hunt/);
  });

  it('still running, failed, found nothing, idle', () => {
    assert.match(retainerSearchLine(status({ state: 'running' })), /still running when monitoring ended/);
    assert.match(retainerSearchLine(status({ state: 'failed', error: 'boom\u001b[31m' })), /failed: boom/);
    assert.ok(!retainerSearchLine(status({ state: 'failed', error: 'boom\u001b[31m' })).includes('\u001b'));
    assert.match(retainerSearchLine(status({ state: 'done' })), /no growing holder/);
    assert.equal(retainerSearchLine(status({ state: 'idle' })), '');
    assert.equal(retainerSearchLine(undefined), '');
  });

  it('formatLeakReport prints it under a verdict without retainers, and not under one with retainers', () => {
    const verdict: LeakReportLine = {
      type: 'leak',
      t: 2,
      pid: 7,
      metric: 'heap',
      rateBytesPerSec: 20e6,
      confidence: 0.9,
      since: 1,
      sites: [],
      retainers: [],
      state: 'suspected',
      forecast: { criticalInSec: null, emergencyInSec: null, heapLimitInSec: null },
    };
    const over = status({ state: 'over-limit', heapBytes: 440 * MB, estimatedPauseMs: 4200 });
    const text = formatLeakReport([{ pid: 7, verdicts: [verdict], retainerSearch: over }]);
    assert.match(text, /\n {4}what keeps them: not searched: /);
    const kept = {
      ...verdict,
      retainers: [
        {
          path: 'cache (Map) in module a.js',
          kind: 'map' as const,
          file: '/a.js',
          line: 3,
          count: 10,
          countGrowthPerSec: 1,
          retainedBytes: 100,
        },
      ],
    };
    assert.doesNotMatch(
      formatLeakReport([{ pid: 7, verdicts: [kept], retainerSearch: over }]),
      /what keeps them: not searched/,
    );
  });
});
