import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeFileStem, toJson } from '../../src/extension/monitoring/recordingExport';
import { describeGc } from '../../src/extension/commands/gcMessage';
import { memorySample } from '../helpers/samples';

// The CSV export is pinned with the other outputs of the metrics table in test/diagnostics/metricOutputs.test.ts.
const samples = [
  memorySample({ t: 1_700_000_000_000, pid: 7, heapUsed: 1000, heapTotal: 2000, rss: 3000 }),
  memorySample({ t: 1_700_000_001_000, pid: 7, heapUsed: 1100, heapTotal: 2000, rss: 3100, external: 50 }),
];

describe('recording export', () => {
  it('writes JSON with the JSON-lines field names', () => {
    const doc = JSON.parse(
      toJson({
        session: 'a "b"',
        pid: 7,
        samples,
        gcs: [],
        alerts: [{ t: 1, level: 'warning', metric: 'heap', value: 9, limit: 8 }],
      }),
    );
    assert.equal(doc.session, 'a "b"');
    assert.equal(doc.samples[1].type, 'sample');
    assert.equal(doc.samples[1].heapUsed, 1100);
    assert.equal(doc.alerts[0].level, 'warning');
  });

  it('makes safe file names', () => {
    assert.equal(safeFileStem('../../etc/passwd «x»', 0), 'etc-passwd-x-1970-01-01T00-00-00-000Z');
  });

  it('describes a diagnostic GC with freed bytes and the collector verdict', () => {
    const base = {
      t: 0,
      pid: 1,
      before: { heapUsed: 12e6, heapTotal: 20e6, rss: null },
      after: { heapUsed: 8e6, heapTotal: 20e6, rss: null },
      freed: 4e6,
      durationMs: 7.6,
    };
    assert.equal(
      describeGc('app', { ...base, testCycle: { created: true, collected: true } }),
      'Diagnostic GC in "app": freed 4.0 MB (heap 12.0 MB → 8.0 MB) in 8 ms. Test cycle collected: collector verified.',
    );
    assert.match(
      describeGc('app', { ...base, freed: -1e6, testCycle: { created: true, collected: false } }),
      /heap grew by 1\.0 MB meanwhile.*NOT collected/,
    );
  });
});
