import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { comparisonMessage, seriesView } from '../../src/extension/compare/comparisonView';
import { fromExportedCsv, fromExportedJson, loadAnyRecording } from '../../src/extension/compare/exportedRecording';
import { toCsv, toJson } from '../../src/extension/monitoring/recordingExport';
import {
  diagnosticsChanged,
  diagnosticsOptions,
  gcEffectView,
} from '../../src/extension/monitoring/diagnosticsSettings';
import type { Recording } from '../../src/core/recording/recordingLoader';
import type { GcResult, MemorySample } from '../../src/core/types';
import { countSeries, latestSpaces, watchedRows } from '../../webview/src/monitor/diagnosticsData';
import { summaryRows } from '../../webview/src/compare/summaryRows';
import { memorySample } from '../helpers/samples';

const settings = {
  diagnosticIntervalMinutes: 60,
  watchedClasses: ['Session'],
  objectsIntervalSeconds: 5,
  busyCpuPercent: 80,
  samplingIntervalMs: 1000,
};

describe('diagnostics settings', () => {
  it('maps settings to the core scheduler and detects the changes that need a rebuild', () => {
    assert.deepEqual(diagnosticsOptions(settings), {
      gcIntervalMs: 3_600_000,
      watchedClasses: ['Session'],
      objectsIntervalMs: 5000,
      busyCpuPercent: 80,
    });
    assert.equal(diagnosticsOptions({ ...settings, diagnosticIntervalMinutes: 0 }).gcIntervalMs, 0);
    assert.equal(diagnosticsChanged(settings, { ...settings }), false);
    assert.equal(diagnosticsChanged(settings, { ...settings, watchedClasses: ['Session', 'Other'] }), true);
    assert.equal(diagnosticsChanged(settings, { ...settings, busyCpuPercent: 50 }), true);
    assert.equal(diagnosticsChanged(settings, { ...settings, samplingIntervalMs: 5000 }), true);
  });

  it('turns a diagnostic GC into the effectiveness view, with spaces only when detailed', () => {
    const base = {
      t: 5,
      pid: 1,
      before: { heapUsed: 200, heapTotal: 400 },
      after: { heapUsed: 150, heapTotal: 400 },
      freed: 50,
      durationMs: 3,
      testCycle: null,
    } as unknown as GcResult;
    assert.deepEqual(gcEffectView(base), { t: 5, freed: 50, percent: 25, heapBefore: 200, heapAfter: 150 });
    const detailed = gcEffectView({
      ...base,
      spaces: [
        {
          name: 'old_space',
          usedBefore: 150,
          usedAfter: 120,
          availableBefore: 1,
          availableAfter: 2,
          sizeBefore: 3,
          sizeAfter: 3,
        },
      ],
    });
    assert.deepEqual(detailed.spaces, [
      { name: 'old_space', usedBefore: 150, usedAfter: 120, availableBefore: 1, availableAfter: 2 },
    ]);
    assert.equal(gcEffectView({ ...base, spaces: null }).spaces, null);
    assert.equal(gcEffectView({ ...base, freed: -10 }).percent, 0);
  });
});

describe('Diagnostics tab data', () => {
  const objects = [
    { t: 1, counts: { Session: 10 }, unresolved: { Ghost: 'no class named Ghost' } },
    { t: 2, counts: { Session: 25 }, unresolved: { Ghost: 'no class named Ghost' } },
  ];
  it('lists watched classes with the latest count, change and problem', () => {
    assert.deepEqual(watchedRows(['Session', 'Ghost'], objects), [
      { name: 'Session', count: 25, change: 15, problem: null },
      { name: 'Ghost', count: null, change: null, problem: 'no class named Ghost' },
    ]);
    assert.deepEqual(countSeries(['Session', 'Ghost'], objects), [
      [
        { x: 1, y: 10 },
        { x: 2, y: 25 },
      ],
      [],
    ]);
  });
  it('takes the latest detailed GC, largest space first', () => {
    const gcs = [
      {
        t: 1,
        freed: 1,
        percent: 1,
        heapBefore: 1,
        heapAfter: 0,
        spaces: [
          { name: 'new_space', usedBefore: 5, usedAfter: 1, availableBefore: 0, availableAfter: 0 },
          { name: 'old_space', usedBefore: 50, usedAfter: 40, availableBefore: 0, availableAfter: 0 },
        ],
      },
      { t: 2, freed: 1, percent: 1, heapBefore: 1, heapAfter: 0 },
    ];
    const latest = latestSpaces(gcs)!;
    assert.equal(latest.gc.t, 1);
    assert.deepEqual(
      latest.rows.map((r) => [r.name, r.freed]),
      [
        ['old_space', 10],
        ['new_space', 4],
      ],
    );
    assert.equal(latestSpaces([gcs[1]!]), null);
  });
});

describe('recording comparison (editor side)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'memmon-compare-editor-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const samples = (n: number, growth: number): MemorySample[] =>
    Array.from({ length: n }, (_, i) =>
      memorySample({
        t: 1_000_000 + i * 1000,
        pid: 7,
        heapUsed: 10e6 + i * growth,
        heapTotal: 20e6,
        rss: 40e6 + i * growth,
      }),
    );
  const exported = (n: number, growth: number) => ({
    session: 'run, "quoted"',
    pid: 7,
    samples: samples(n, growth),
    gcs: [{ t: 1_000_500, pid: 7, freed: 2e6, durationMs: 4 }] as unknown as GcResult[],
    alerts: [{ t: 1_001_000, level: 'warning', metric: 'rss', value: 1, limit: 1 }],
  });

  it('reads Export Recording JSON and CSV back as recordings', async () => {
    const json = path.join(dir, 'memory-a.json');
    const csv = path.join(dir, 'memory-b.csv');
    writeFileSync(json, toJson(exported(30, 0)));
    writeFileSync(csv, toCsv(exported(30, 1e6)));
    const a = await loadAnyRecording(json);
    const b = await loadAnyRecording(csv);
    assert.equal(a.processes[0]!.samples.length, 30);
    assert.equal(a.processes[0]!.gcs[0]!.freed, 2e6);
    assert.equal(a.processes[0]!.alerts.length, 1);
    assert.equal(b.processes[0]!.samples.length, 30);
    assert.equal(b.processes[0]!.pid, 7);
    const m = comparisonMessage(a, b, ['a.json', 'b.csv']);
    assert.equal(m.a.label, 'a.json');
    assert.equal(m.worse, true, 'B grows 1 MB/s: worse');
    assert.equal(m.a.heap.peak, 10e6);
    assert.equal(m.b.heap.peak, 10e6 + 29e6);
    assert.equal(m.seriesA.s[0], 0);
    assert.equal(m.seriesB.s.at(-1), 29);
    const rows = summaryRows(m);
    const peak = rows.find((r) => r.label === 'Peak heap used')!;
    assert.equal(peak.a, '10.0 MB');
    assert.match(peak.check, /^WORSE/);
    assert.equal(rows.find((r) => r.label === 'GC freed (total)')!.a, '2.0 MB');
  });

  it('refuses files that are not recordings with one-line messages', async () => {
    assert.throws(() => fromExportedJson('x.json', '{"nope":1}'), /no "samples" array/);
    assert.throws(() => fromExportedJson('x.json', 'not json'), /not JSON/);
    assert.throws(() => fromExportedCsv('x.csv', 'a,b\n1,2'), /not a recording CSV/);
    await assert.rejects(
      loadAnyRecording(path.join(dir, 'missing.json')),
      (e: Error) => /cannot read/.test(e.message) && !e.message.includes('\n'),
    );
  });

  it('thins very long recordings for the chart but keeps the last point', () => {
    const rec: Recording = {
      source: 'x',
      skippedLines: 0,
      processes: [{ pid: 1, samples: samples(12_001, 0), gcs: [], alerts: [] }],
    };
    const s = seriesView(rec);
    assert.ok(s.s.length <= 5001 && s.s.length > 3000, `points: ${s.s.length}`);
    assert.equal(s.s.at(-1), 12_000);
  });
});
