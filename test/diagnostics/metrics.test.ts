import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { MetricsRegistry } from '../../src/core/metrics/metricsRegistry';
import { MetricsServer } from '../../src/core/metrics/metricsServer';
import { parseMetricsNames } from '../../src/core/metrics/metricFamilies';
import { forecastSeconds } from '../../src/core/leak/leakState';
import type { LeakReportLine } from '../../src/core/leak/types';
import {
  negotiateContentType,
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
  renderMetrics,
} from '../../src/core/metrics/prometheusText';
import { CLI, runCli } from '../helpers/cli';
import { FIXTURES, waitFor } from '../helpers/debuggee';

// A real Prometheus text-format parser from npm (no type declarations of its own).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const parsePrometheus = require('parse-prometheus-text-format') as (text: string) => Array<{
  name: string;
  help: string;
  type: string;
  metrics: Array<{ value: string; labels?: Record<string, string> }>;
}>;

test('memmon run --metrics-port 0 serves /metrics that a Prometheus parser reads: usage, GC, objects, alert level', async (t) => {
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'memmon-metrics-'));
  const child = spawn(
    process.execPath,
    [
      CLI,
      'run',
      '--json',
      '--metrics-port',
      '0',
      '--watch-class',
      'Session',
      '--objects-interval',
      '1',
      '--diagnostic-interval',
      '1',
      '--log-dir',
      logDir,
      '--metrics-csv',
      '--metrics-interval',
      '1',
      '--duration',
      '8',
      '--',
      process.execPath,
      path.join(FIXTURES, 'watched-classes.js'),
      '9',
      '2',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.on('close', r));
  try {
    const lines = () =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
    const announce = await waitFor(() => lines().find((l) => l.type === 'metrics'), 10_000, 'metrics line');
    assert.match(announce.url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    assert.match(err, new RegExp(`Prometheus metrics at ${announce.url.replace(/[.]/g, '\\.')}`));
    await waitFor(
      () => lines().some((l) => l.type === 'objects') && lines().some((l) => l.type === 'gc'),
      10_000,
      'objects and gc lines',
    );
    const pid = lines().find((l) => l.type === 'sample').pid;

    const res = await fetch(announce.url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const families = parsePrometheus(await res.text());
    const family = (name: string) => {
      const f = families.find((x) => x.name === name);
      assert.ok(f, `${name} in ${families.map((x) => x.name)}`);
      assert.ok(f.help.length > 0);
      return f;
    };
    const value = (name: string, labels: Record<string, string>) => {
      const m = family(name).metrics.find((x) => Object.entries(labels).every(([k, v]) => x.labels?.[k] === v));
      assert.ok(m, `${name}${JSON.stringify(labels)}`);
      return Number(m.value);
    };
    const rss = value('memory_usage_rss_bytes', { pid: String(pid) });
    if (process.platform === 'linux') {
      const procRss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
      assert.ok(Math.abs(rss - procRss) < 0.2 * procRss, `rss ${rss} vs /proc ${procRss}`);
    } else t.diagnostic('RSS not compared with /proc/<pid>/status: Linux only');
    assert.equal(family('memory_usage_rss_bytes').type, 'GAUGE');
    assert.ok(value('memory_usage_heap_used_bytes', { pid: String(pid) }) > 1e6);
    assert.ok(
      value('memory_usage_heap_total_bytes', { pid: String(pid) }) >=
        value('memory_usage_heap_used_bytes', { pid: String(pid) }) * 0.9,
    );
    assert.ok(value('memory_gc_runs_total', { pid: String(pid) }) >= 1);
    assert.equal(family('memory_gc_freed_bytes_total').type, 'COUNTER');
    assert.ok(value('memory_gc_freed_bytes_total', { pid: String(pid) }) >= 0);
    assert.equal(value('memory_objects', { class: 'Session', pid: String(pid) }), 9);
    assert.equal(value('memory_alert_level', { pid: String(pid) }), 0);
    assert.equal((await fetch(announce.url.replace('/metrics', '/nope'))).status, 404);
  } finally {
    assert.equal(await exited, 0, err);
  }
  // The recording carries `memory.*` metric records; the CSV the same values in long form.
  const files = readdirSync(logDir);
  const recording = files.find((f) => /^memmon-\d+-.*\.jsonl$/.test(f))!;
  const records = readFileSync(path.join(logDir, recording), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const metrics = records.filter((r) => r.type === 'metric');
  const usage = metrics.find((m) => m.source === 'usage');
  for (const name of ['memory.usage.rss', 'memory.usage.vms', 'memory.usage.heap_used', 'memory.usage.heap_total'])
    assert.equal(typeof usage.metrics[name], 'number', name);
  assert.ok(usage.metrics['memory.usage.rss'] > 10 && usage.metrics['memory.usage.rss'] < 2000, 'rss in MB');
  assert.equal(usage.units['memory.usage.rss'], 'MB');
  const gc = metrics.find((m) => m.source === 'gc');
  assert.equal(typeof gc.metrics['memory.gc.freed'], 'number');
  assert.equal(typeof gc.metrics['memory.gc.duration_ms'], 'number');
  assert.equal(metrics.find((m) => m.source === 'objects').metrics['memory.objects.Session'], 9);
  const csv = readFileSync(
    path.join(
      logDir,
      files.find((f) => f.endsWith('.csv'))!,
    ),
    'utf8',
  )
    .trim()
    .split('\n');
  assert.equal(csv[0], 'time,t,pid,metric,value,unit');
  assert.ok(csv.some((l) => /,memory\.objects\.Session,9,count$/.test(l)));
  assert.ok(csv.some((l) => /,memory\.usage\.heap_used,[\d.]+,MB$/.test(l)));
});

test('the exposition escapes label values and stays parseable', async () => {
  const registry = new MetricsRegistry();
  registry.onObjects({ t: 0, pid: 7, counts: { 'we"ird\\name\n': 3 }, durationMs: 1 });
  const families = parsePrometheus(await renderMetrics(registry.snapshot()));
  const m = families.find((f) => f.name === 'memory_objects')!.metrics[0]!;
  assert.equal(m.value, '3');
  assert.equal(m.labels!.pid, '7');
});

test('a metrics port that is taken is a one-line runtime error (exit 1); a bad port is a usage error (exit 2)', async () => {
  const server = await MetricsServer.listen(new MetricsRegistry(), 0);
  try {
    const taken = await runCli(['run', '--metrics-port', String(server.port), '--', process.execPath, '-e', '0'], {
      timeoutMs: 10_000,
    });
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /port \d+ on 127\.0\.0\.1 is already in use/);
    const bad = await runCli(['run', '--metrics-port', '70000', '--', process.execPath, '-e', '0'], {
      timeoutMs: 10_000,
    });
    assert.equal(bad.code, 2);
    const names = await runCli(
      ['run', '--metrics-port', '0', '--metrics-names', 'memmon,statsd', '--', process.execPath, '-e', '0'],
      { timeoutMs: 10_000 },
    );
    assert.equal(names.code, 2);
    assert.match(
      names.stderr,
      /--metrics-names: unknown metrics naming "statsd": expected a comma list of memmon, prom-client, otel/,
    );
    const csv = await runCli(['run', '--metrics-csv', '--', process.execPath, '-e', '0'], { timeoutMs: 10_000 });
    assert.equal(csv.code, 2);
    assert.match(csv.stderr, /--log-dir/);
  } finally {
    await server.close();
  }
});

test('content negotiation: OpenMetrics only when Accept lists it with a non-zero quality', () => {
  const prometheusScraper = 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
  assert.equal(negotiateContentType(prometheusScraper), OPENMETRICS_CONTENT_TYPE);
  assert.equal(negotiateContentType('application/openmetrics-text; q=0'), PROMETHEUS_CONTENT_TYPE);
  assert.equal(negotiateContentType('text/plain'), PROMETHEUS_CONTENT_TYPE);
  assert.equal(negotiateContentType(undefined), PROMETHEUS_CONTENT_TYPE);
});

test('--metrics-names: comma list in canonical order, default memmon,prom-client, unknown names rejected', () => {
  assert.deepEqual(parseMetricsNames(undefined), ['memmon', 'prom-client']);
  assert.deepEqual(parseMetricsNames('otel, memmon'), ['memmon', 'otel']);
  assert.deepEqual(parseMetricsNames('prom-client,prom-client'), ['prom-client']);
  assert.throws(() => parseMetricsNames('memmon,prometheus'), /unknown metrics naming "prometheus"/);
});

test('OpenMetrics: counters keep _total on samples only, the body ends with # EOF, histograms are cumulative', async () => {
  const registry = new MetricsRegistry();
  registry.addProcess(7, 'app.js');
  for (const durationMs of [5, 50, 3000])
    registry.onGc({
      t: durationMs,
      pid: 7,
      before: { heapUsed: 10, heapTotal: 20, rss: null },
      after: { heapUsed: 4, heapTotal: 20, rss: null },
      freed: 6,
      durationMs,
      testCycle: null,
    });
  const text = await renderMetrics(registry.snapshot(), ['memmon', 'prom-client'], OPENMETRICS_CONTENT_TYPE);
  assert.ok(text.endsWith('# EOF\n'));
  assert.match(text, /^# TYPE memory_gc_runs counter$/m);
  assert.match(text, /^memory_gc_runs_total\{pid="7",program="app\.js"\} 3$/m);
  assert.match(text, /^nodejs_gc_duration_seconds_bucket\{pid="7",program="app\.js",kind="major",le="0\.01"\} 1$/m);
  assert.match(text, /^nodejs_gc_duration_seconds_bucket\{pid="7",program="app\.js",kind="major",le="0\.1"\} 2$/m);
  assert.match(text, /^nodejs_gc_duration_seconds_bucket\{pid="7",program="app\.js",kind="major",le="\+Inf"\} 3$/m);
  assert.match(text, /^nodejs_gc_duration_seconds_count\{pid="7",program="app\.js",kind="major"\} 3$/m);
  assert.match(text, /^memmon_heap_post_gc_bytes\{pid="7",program="app\.js"\} 4$/m);
  assert.doesNotMatch(text, /v8js_/, 'otel names only when selected');
});

test('memmon_forecast_seconds: the soonest ETA per limit over the standing verdicts, counted down to the scrape', async () => {
  const line = (metric: 'heap' | 'rss', t: number, forecast: LeakReportLine['forecast']) =>
    ({
      type: 'leak',
      t,
      pid: 7,
      metric,
      rateBytesPerSec: 1e5,
      confidence: 0.9,
      since: 0,
      sites: [],
      retainers: [],
      state: 'suspected',
      forecast,
    }) as LeakReportLine;
  const verdicts = [
    line('heap', 10_000, { criticalInSec: 600, emergencyInSec: 1200, heapLimitInSec: 3000 }),
    line('rss', 14_000, { criticalInSec: 500, emergencyInSec: null, heapLimitInSec: null }),
  ];
  // At 20 s: heap's critical ETA is 600 − 10 = 590, rss's 500 − 6 = 494 (the sooner); only heap forecasts the rest.
  assert.deepEqual(forecastSeconds(verdicts, 20_000), { critical: 494, emergency: 1190, heap_limit: 2990 });
  assert.deepEqual(
    forecastSeconds(verdicts, 10_000_000),
    { critical: 0, emergency: 0, heap_limit: 0 },
    'never below 0',
  );
  assert.deepEqual(forecastSeconds([], 20_000), {}, 'no verdict, no forecast');

  const registry = new MetricsRegistry();
  registry.addProcess(7, 'app.js');
  let forecast: Record<string, number> = { critical: 494, heap_limit: 2990 };
  registry.setLeakSource(7, () => ({
    suspected: [{ metric: 'heap', rateBytesPerSec: 1e5 }],
    postGcHeap: null,
    forecast,
  }));
  const text = await renderMetrics(registry.snapshot(), ['memmon']);
  assert.match(text, /^# TYPE memmon_forecast_seconds gauge$/m);
  assert.match(text, /^memmon_forecast_seconds\{pid="7",program="app\.js",limit="critical"\} 494$/m);
  assert.match(text, /^memmon_forecast_seconds\{pid="7",program="app\.js",limit="heap_limit"\} 2990$/m);
  assert.doesNotMatch(text, /limit="emergency"/, 'a limit no verdict forecasts has no series');
  forecast = {};
  assert.doesNotMatch(
    await renderMetrics(registry.snapshot(), ['memmon']),
    /^memmon_forecast_seconds\{/m,
    'gone when the verdict is',
  );
});
