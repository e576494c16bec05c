// Everything MEMORY_METRICS drives, printed for one fixed sample and compared byte for byte with what memmon has
// always printed. Adding a figure changes these expectations on purpose: update them here (and the docs, which the
// last test checks), nowhere else.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ProcessStats } from '../../src/cli/session/processStats';
import {
  EXPORTED_METRICS,
  MEMORY_USAGE_EXPRESSION,
  panelFigures,
  prometheusName,
  readMemoryUsage,
  sampleFigures,
} from '../../src/core/metrics/memoryMetrics';
import { METRIC_FAMILIES } from '../../src/core/metrics/metricFamilies';
import { metricRecord, usageMetrics } from '../../src/core/metrics/metricNames';
import { MetricsRegistry } from '../../src/core/metrics/metricsRegistry';
import { renderMetrics } from '../../src/core/metrics/prometheusText';
import type { MemorySample } from '../../src/core/types';
import { toCsv } from '../../src/extension/monitoring/recordingExport';
import { tooltipMarkdown } from '../../src/extension/statusBar/statusBarText';
import { memorySample } from '../helpers/samples';

const SAMPLE: MemorySample = {
  t: 1_700_000_000_000,
  pid: 4242,
  ...sampleFigures({
    heapUsage: { usedSize: 18_234_567, totalSize: 30_212_096 },
    os: { rss: 61_440_000, vms: 821_456_789 },
    evaluated: { external: 1_200_000, arrayBuffers: 10_511 },
  }),
};

describe('outputs driven by the memory metrics table', () => {
  it('the sampler evaluates the same expression in the debuggee', () => {
    assert.equal(
      MEMORY_USAGE_EXPRESSION,
      '(() => { const m = process.memoryUsage(); return [m.external, m.arrayBuffers, m.rss, m.heapUsed, m.heapTotal]; })()',
    );
    assert.deepEqual(readMemoryUsage([1, 2, 3, 4, 5]), {
      figures: { external: 1, arrayBuffers: 2 },
      rss: 3,
      heapUsed: 4,
      heapTotal: 5,
    });
  });

  it('`sample` JSON line', () => {
    assert.equal(
      JSON.stringify({ type: 'sample', ...SAMPLE }),
      '{"type":"sample","t":1700000000000,"pid":4242,"heapUsed":18234567,"heapTotal":30212096,"rss":61440000,"external":1200000,"arrayBuffers":10511}',
    );
  });

  it('Export Recording CSV: one row per sample with empty cells for unknown values', () => {
    const samples = [
      memorySample({ t: 1_700_000_000_000, pid: 7, heapUsed: 1000, heapTotal: 2000, rss: 3000 }),
      memorySample({
        t: 1_700_000_001_000,
        pid: 7,
        heapUsed: 1100,
        heapTotal: 2000,
        rss: 3100,
        external: 50,
        arrayBuffers: 5,
        stale: ['external'],
      }),
    ];
    const csv = toCsv({ session: 's', pid: 7, samples, gcs: [], alerts: [] }).trim().split('\r\n');
    assert.equal(csv[0], 't,time,pid,heapUsed,heapTotal,rss,external,arrayBuffers,stale');
    assert.equal(csv[1], '1700000000000,2023-11-14T22:13:20.000Z,7,1000,2000,3000,,,');
    assert.equal(csv[2], '1700000001000,2023-11-14T22:13:21.000Z,7,1100,2000,3100,50,5,external');
    assert.equal(csv.length, 3);
  });

  it('usage `metric` record', () => {
    assert.equal(
      JSON.stringify(metricRecord(SAMPLE.t, SAMPLE.pid, 'usage', usageMetrics(SAMPLE, 821_456_789))),
      '{"type":"metric","t":1700000000000,"pid":4242,"source":"usage","metrics":{"memory.usage.rss":61.44,"memory.usage.vms":821.457,"memory.usage.heap_used":18.235,"memory.usage.heap_total":30.212,"memory.usage.external":1.2},"units":{"memory.usage.rss":"MB","memory.usage.vms":"MB","memory.usage.heap_used":"MB","memory.usage.heap_total":"MB","memory.usage.external":"MB"}}',
    );
    const partial = usageMetrics({ ...SAMPLE, rss: null, external: null }, null).map((p) => p.name);
    assert.deepEqual(partial, ['memory.usage.heap_used', 'memory.usage.heap_total'], 'unknown figures are left out');
  });

  it('Prometheus exposition', async () => {
    const registry = new MetricsRegistry();
    registry.addProcess(4242, 'app.js');
    registry.onSample(SAMPLE, 821_456_789);
    registry.onGc({ t: 1, pid: 4242, ...GC, freed: 5_000_000, durationMs: 12.5, testCycle: null });
    registry.onAlertLevel(4242, 'critical');
    registry.addProcess(7);
    assert.equal(
      await renderMetrics(registry.snapshot(), ['memmon']),
      '# HELP memory_usage_rss_bytes Resident set size of the process, from the operating system.\n# TYPE memory_usage_rss_bytes gauge\nmemory_usage_rss_bytes{pid="4242",program="app.js"} 61440000\n\n# HELP memory_usage_vms_bytes Virtual memory size of the process, from the operating system.\n# TYPE memory_usage_vms_bytes gauge\nmemory_usage_vms_bytes{pid="4242",program="app.js"} 821456789\n\n# HELP memory_usage_heap_used_bytes V8 heap in use (Runtime.getHeapUsage).\n# TYPE memory_usage_heap_used_bytes gauge\nmemory_usage_heap_used_bytes{pid="4242",program="app.js"} 18234567\n\n# HELP memory_usage_heap_total_bytes V8 heap reserved (Runtime.getHeapUsage).\n# TYPE memory_usage_heap_total_bytes gauge\nmemory_usage_heap_total_bytes{pid="4242",program="app.js"} 30212096\n\n# HELP memory_usage_external_bytes Memory of C++ objects bound to JavaScript objects (process.memoryUsage().external).\n# TYPE memory_usage_external_bytes gauge\nmemory_usage_external_bytes{pid="4242",program="app.js"} 1200000\n\n# HELP memory_gc_freed_bytes_total Heap bytes freed by diagnostic GCs since monitoring started.\n# TYPE memory_gc_freed_bytes_total counter\nmemory_gc_freed_bytes_total{pid="4242",program="app.js"} 5000000\nmemory_gc_freed_bytes_total{pid="7",program="unknown"} 0\n\n# HELP memory_gc_runs_total Diagnostic GCs run since monitoring started.\n# TYPE memory_gc_runs_total counter\nmemory_gc_runs_total{pid="4242",program="app.js"} 1\nmemory_gc_runs_total{pid="7",program="unknown"} 0\n\n# HELP memory_gc_last_duration_seconds Duration of the last diagnostic GC.\n# TYPE memory_gc_last_duration_seconds gauge\nmemory_gc_last_duration_seconds{pid="4242",program="app.js"} 0.0125\n\n# HELP memory_objects Live instances of a watched class (Runtime.queryObjects), subclass instances included.\n# TYPE memory_objects gauge\n\n# HELP memory_alert_level Alert level: 0 normal, 1 warning, 2 critical, 3 emergency.\n# TYPE memory_alert_level gauge\nmemory_alert_level{pid="4242",program="app.js"} 2\nmemory_alert_level{pid="7",program="unknown"} 0\n\n# HELP memory_diagnostics_skipped_total Scheduled diagnostics skipped because the process was busy or paused.\n# TYPE memory_diagnostics_skipped_total counter\n\n# HELP memmon_leak_suspected Leak detection (--detect-leaks): 1 while a leak is suspected in this metric, else 0.\n# TYPE memmon_leak_suspected gauge\n\n# HELP memmon_leak_rate_bytes_per_second Growth rate of the post-GC baseline of a metric a leak is suspected in (Theil-Sen slope).\n# TYPE memmon_leak_rate_bytes_per_second gauge\n\n# HELP memmon_heap_post_gc_bytes Heap used right after the last full GC (diagnostic GC or leak detection baseline): what is really live.\n# TYPE memmon_heap_post_gc_bytes gauge\nmemmon_heap_post_gc_bytes{pid="4242",program="app.js"} 0\n\n# HELP memmon_forecast_seconds Seconds until the post-GC growth of a standing leak verdict reaches a limit (critical or emergency threshold, V8 heap limit); 0 once above it.\n# TYPE memmon_forecast_seconds gauge\n',
    );
  });

  it('CLI summary of a process', () => {
    const stats = new ProcessStats(4242);
    stats.add(SAMPLE);
    stats.add({ ...SAMPLE, t: SAMPLE.t + 1000, heapUsed: 19_000_000, rss: null, stale: ['heap'] });
    stats.add({ ...SAMPLE, t: SAMPLE.t + 2000, heapUsed: 17_000_000, external: null });
    assert.equal(
      JSON.stringify(stats),
      '{"pid":4242,"samples":3,"staleSamples":1,"durationMs":2000,"heapUsed":{"first":18234567,"last":17000000,"min":17000000,"peak":19000000},"heapTotal":{"first":30212096,"last":30212096,"min":30212096,"peak":30212096},"rss":{"first":61440000,"last":61440000,"min":61440000,"peak":61440000},"external":{"first":1200000,"last":1200000,"min":1200000,"peak":1200000},"heapTrendBytesPerSec":-617283,"maxLevel":"normal"}',
    );
  });

  it('the Monitor panel view and the status bar tooltip', () => {
    const view = { t: SAMPLE.t, ...panelFigures(SAMPLE) };
    assert.equal(
      JSON.stringify(view),
      '{"t":1700000000000,"heapUsed":18234567,"heapTotal":30212096,"rss":61440000,"external":1200000}',
    );
    const md = tooltipMarkdown({
      sessionName: 'app',
      pid: 4242,
      sample: view,
      trend: 'up',
      level: 'normal',
      lastGc: null,
      otherSessions: 0,
    });
    assert.equal(
      md,
      '**Memory Monitor** — app (pid 4242)\n\n| | |\n|---|---:|\n| Heap used | 18.2 MB |\n| Heap total | 30.2 MB |\n| RSS | 61.4 MB |\n| External | 1.2 MB |\n\nTrend: ↗ rising · Alert level: **normal**\n\nClick to show the Memory Monitor',
    );
  });

  it('docs/diagnostics.md names every exported metric', () => {
    const doc = readFileSync(path.join(__dirname, '../../docs/diagnostics.md'), 'utf8');
    for (const m of EXPORTED_METRICS) {
      assert.ok(doc.includes(`\`${m.exported.name}\``), `${m.exported.name} in docs/diagnostics.md`);
      assert.ok(doc.includes(`\`${prometheusName(m)}\``), `${prometheusName(m)} in docs/diagnostics.md`);
    }
  });

  it('docs/diagnostics.md names every family /metrics can serve, with its labels', () => {
    const doc = readFileSync(path.join(__dirname, '../../docs/diagnostics.md'), 'utf8');
    for (const f of METRIC_FAMILIES) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${f.name}\``));
      assert.ok(row, `${f.name} has a row in docs/diagnostics.md`);
      assert.ok(row.includes(` ${f.type} `), `${f.name} documented as ${f.type}`);
      for (const label of f.labels) assert.ok(row.includes(`\`${label}\``), `${f.name} documents label ${label}`);
    }
  });
});

const GC = {
  before: { heapUsed: 0, heapTotal: 0, rss: null },
  after: { heapUsed: 0, heapTotal: 0, rss: null },
};
