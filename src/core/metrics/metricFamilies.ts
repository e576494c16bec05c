// The one table of what `/metrics` serves. Memory figures come from MEMORY_METRICS (their memmon name and their
// prom-client / OpenTelemetry aliases); everything else is listed here once. The exposition, the docs check and the
// Prometheus test all read this table: adding a series means adding an entry.
import { alertRank } from '../types';
import { EXPORTED_METRICS, prometheusName } from './memoryMetrics';
import { FORECAST_LIMITS, GC_DURATION_BUCKETS, type ProcessMetrics } from './metricsRegistry';

/** The naming schemes `--metrics-names` / `memoryMonitor.metricsNames` choose from. */
export const METRICS_NAMINGS = ['memmon', 'prom-client', 'otel'] as const;
export type MetricsNaming = (typeof METRICS_NAMINGS)[number];
export const DEFAULT_METRICS_NAMES: readonly MetricsNaming[] = ['memmon', 'prom-client'];

/**
 * Reads a naming list: a comma-separated string or an array of names (empty or absent = the default). Throws an
 * Error naming the valid choices on an unknown name.
 */
export function parseMetricsNames(value: string | readonly unknown[] | null | undefined): MetricsNaming[] {
  const items = (typeof value === 'string' ? value.split(',') : (value ?? []).map(String))
    .map((s) => s.trim())
    .filter(Boolean);
  if (!items.length) return [...DEFAULT_METRICS_NAMES];
  for (const s of items) {
    if (!(METRICS_NAMINGS as readonly string[]).includes(s))
      throw new Error(`unknown metrics naming "${s}": expected a comma list of ${METRICS_NAMINGS.join(', ')}`);
  }
  return METRICS_NAMINGS.filter((n) => items.includes(n));
}

/** One histogram's state: counts per bucket (not cumulative, the last is +Inf), their sum and count. */
export interface HistogramValue {
  bounds: readonly number[];
  counts: readonly number[];
  sum: number;
}

export type FamilySample =
  { labels: Record<string, string>; value: number } | { labels: Record<string, string>; histogram: HistogramValue };

/** One exposed metric family. Every sample also carries `pid` and `program`. */
export interface MetricFamily {
  /** Served when this naming is selected; `always` for memmon's own leak series (no other scheme has them). */
  naming: MetricsNaming | 'always';
  name: string;
  type: 'gauge' | 'counter' | 'histogram';
  help: string;
  /** Labels besides pid and program. */
  labels: readonly string[];
  /** What a value measures, which fixes its plausible range (the Prometheus test checks each scraped value by it). */
  unit: 'bytes' | 'seconds' | 'count' | 'flag' | 'level' | 'bytes/s' | 'eta';
  samples(p: ProcessMetrics): FamilySample[];
}

const one = (v: number | null | undefined): FamilySample[] => (v == null ? [] : [{ labels: {}, value: v }]);

/** prom-client names heap spaces without their `_space` suffix (`old`, `new`, `large_object`, …). */
export function promClientSpaceName(space: string): string {
  return space.replace(/_space$/, '');
}

function spaces(p: ProcessMetrics, label: string, rename: (s: string) => string, field: 0 | 1 | 2): FamilySample[] {
  return [...(p.heapSpaces ?? [])].map(([name, figures]) => ({
    labels: { [label]: rename(name) },
    value: figures[field],
  }));
}

function gcHistogram(p: ProcessMetrics, label: string): FamilySample[] {
  if (!p.gcRuns) return [];
  // Diagnostic GCs are full mark-compact collections: V8's "major" kind.
  return [
    {
      labels: { [label]: 'major' },
      histogram: { bounds: GC_DURATION_BUCKETS, counts: p.gcDurationCounts, sum: p.gcDurationSumSeconds },
    },
  ];
}

const LEAK_METRICS = ['heap', 'external', 'rss'] as const;

/** Memory figures under each naming that has a name for them, from MEMORY_METRICS. */
const FIGURE_FAMILIES: MetricFamily[] = METRICS_NAMINGS.flatMap((naming) =>
  EXPORTED_METRICS.flatMap((m): MetricFamily[] => {
    const aliases: { 'prom-client'?: string; otel?: string } = 'aliases' in m.exported ? m.exported.aliases : {};
    const name = naming === 'memmon' ? prometheusName(m) : aliases[naming];
    if (!name) return [];
    return [
      {
        naming,
        name,
        type: 'gauge',
        help: m.exported.help,
        labels: [],
        unit: 'bytes',
        samples: (p) => one(p.usage?.[m.key]),
      },
    ];
  }),
);

const MEMMON_FAMILIES: MetricFamily[] = [
  {
    naming: 'memmon',
    name: 'memory_gc_freed_bytes_total',
    type: 'counter',
    help: 'Heap bytes freed by diagnostic GCs since monitoring started.',
    labels: [],
    unit: 'bytes',
    samples: (p) => one(p.gcFreedTotal),
  },
  {
    naming: 'memmon',
    name: 'memory_gc_runs_total',
    type: 'counter',
    help: 'Diagnostic GCs run since monitoring started.',
    labels: [],
    unit: 'count',
    samples: (p) => one(p.gcRuns),
  },
  {
    naming: 'memmon',
    name: 'memory_gc_last_duration_seconds',
    type: 'gauge',
    help: 'Duration of the last diagnostic GC.',
    labels: [],
    unit: 'seconds',
    samples: (p) => one(p.lastGcDurationMs === null ? null : p.lastGcDurationMs / 1000),
  },
  {
    naming: 'memmon',
    name: 'memory_objects',
    type: 'gauge',
    help: 'Live instances of a watched class (Runtime.queryObjects), subclass instances included.',
    labels: ['class'],
    unit: 'count',
    samples: (p) => [...p.objects].map(([cls, n]) => ({ labels: { class: cls }, value: n })),
  },
  {
    naming: 'memmon',
    name: 'memory_alert_level',
    type: 'gauge',
    help: 'Alert level: 0 normal, 1 warning, 2 critical, 3 emergency.',
    labels: [],
    unit: 'level',
    samples: (p) => one(alertRank(p.alertLevel)),
  },
  {
    naming: 'memmon',
    name: 'memory_diagnostics_skipped_total',
    type: 'counter',
    help: 'Scheduled diagnostics skipped because the process was busy or paused.',
    labels: ['task'],
    unit: 'count',
    samples: (p) => [...p.skippedTotal].map(([task, n]) => ({ labels: { task }, value: n })),
  },
];

const HEAP_SPACE_SOURCE = 'v8.getHeapSpaceStatistics() in the debuggee, read every few seconds';

const PROM_CLIENT_FAMILIES: MetricFamily[] = [
  {
    naming: 'prom-client',
    name: 'nodejs_heap_space_size_used_bytes',
    type: 'gauge',
    help: `Used size of a V8 heap space (${HEAP_SPACE_SOURCE}).`,
    labels: ['space'],
    unit: 'bytes',
    samples: (p) => spaces(p, 'space', promClientSpaceName, 0),
  },
  {
    naming: 'prom-client',
    name: 'nodejs_heap_space_size_available_bytes',
    type: 'gauge',
    help: `Available size of a V8 heap space (${HEAP_SPACE_SOURCE}).`,
    labels: ['space'],
    unit: 'bytes',
    samples: (p) => spaces(p, 'space', promClientSpaceName, 1),
  },
  {
    naming: 'prom-client',
    name: 'nodejs_heap_space_size_total_bytes',
    type: 'gauge',
    help: `Size of a V8 heap space (${HEAP_SPACE_SOURCE}).`,
    labels: ['space'],
    unit: 'bytes',
    samples: (p) => spaces(p, 'space', promClientSpaceName, 2),
  },
  {
    naming: 'prom-client',
    name: 'nodejs_gc_duration_seconds',
    type: 'histogram',
    help: 'Durations of the full GCs memmon ran (diagnostic GCs); GCs of the program itself are not observed.',
    labels: ['kind'],
    unit: 'seconds',
    samples: (p) => gcHistogram(p, 'kind'),
  },
];

const OTEL_FAMILIES: MetricFamily[] = [
  {
    naming: 'otel',
    name: 'v8js_memory_heap_used_bytes',
    type: 'gauge',
    help: `Heap memory used, per V8 heap space (${HEAP_SPACE_SOURCE}).`,
    labels: ['v8js_heap_space_name'],
    unit: 'bytes',
    samples: (p) => spaces(p, 'v8js_heap_space_name', (s) => s, 0),
  },
  {
    naming: 'otel',
    name: 'v8js_heap_space_available_size_bytes',
    type: 'gauge',
    help: `Heap space available size, per V8 heap space (${HEAP_SPACE_SOURCE}).`,
    labels: ['v8js_heap_space_name'],
    unit: 'bytes',
    samples: (p) => spaces(p, 'v8js_heap_space_name', (s) => s, 1),
  },
  {
    naming: 'otel',
    name: 'v8js_memory_heap_limit_bytes',
    type: 'gauge',
    help: `Total heap memory size pre-allocated, per V8 heap space (${HEAP_SPACE_SOURCE}).`,
    labels: ['v8js_heap_space_name'],
    unit: 'bytes',
    samples: (p) => spaces(p, 'v8js_heap_space_name', (s) => s, 2),
  },
  {
    naming: 'otel',
    name: 'v8js_gc_duration_seconds',
    type: 'histogram',
    help: 'Garbage collection duration of the full GCs memmon ran (diagnostic GCs); GCs of the program itself are not observed.',
    labels: ['v8js_gc_type'],
    unit: 'seconds',
    samples: (p) => gcHistogram(p, 'v8js_gc_type'),
  },
];

/** The newer of the last diagnostic GC's and the leak detection's post-GC heap. */
function postGcHeap(p: ProcessMetrics): number | null {
  const fromLeak = p.leak?.()?.postGcHeap ?? null;
  const fromGc = p.lastGcHeapAfter;
  if (!fromLeak) return fromGc?.bytes ?? null;
  return fromGc && fromGc.t > fromLeak.t ? fromGc.bytes : fromLeak.bytes;
}

const LEAK_FAMILIES: MetricFamily[] = [
  {
    naming: 'always',
    name: 'memmon_leak_suspected',
    type: 'gauge',
    help: 'Leak detection (--detect-leaks): 1 while a leak is suspected in this metric, else 0.',
    labels: ['metric'],
    unit: 'flag',
    samples: (p) => {
      const state = p.leak?.() ?? null;
      if (!state) return [];
      return LEAK_METRICS.map((metric) => ({
        labels: { metric },
        value: state.suspected.some((s) => s.metric === metric) ? 1 : 0,
      }));
    },
  },
  {
    naming: 'always',
    name: 'memmon_leak_rate_bytes_per_second',
    type: 'gauge',
    help: 'Growth rate of the post-GC baseline of a metric a leak is suspected in (Theil-Sen slope).',
    labels: ['metric'],
    unit: 'bytes/s',
    samples: (p) =>
      (p.leak?.()?.suspected ?? []).map((s) => ({ labels: { metric: s.metric }, value: s.rateBytesPerSec })),
  },
  {
    naming: 'always',
    name: 'memmon_heap_post_gc_bytes',
    type: 'gauge',
    help: 'Heap used right after the last full GC (diagnostic GC or leak detection baseline): what is really live.',
    labels: [],
    unit: 'bytes',
    samples: (p) => one(postGcHeap(p)),
  },
  {
    naming: 'always',
    name: 'memmon_forecast_seconds',
    type: 'gauge',
    help: 'Seconds until the post-GC growth of a standing leak verdict reaches a limit (critical or emergency threshold, V8 heap limit); 0 once above it.',
    labels: ['limit'],
    unit: 'eta',
    samples: (p) => {
      const forecast = p.leak?.()?.forecast ?? {};
      return FORECAST_LIMITS.flatMap((limit) => {
        const sec = forecast[limit];
        return sec === undefined ? [] : [{ labels: { limit }, value: sec }];
      });
    },
  },
];

/** Every family, in exposition order: memmon's names (as always), prom-client's, OpenTelemetry's, the leak series. */
export const METRIC_FAMILIES: readonly MetricFamily[] = [
  ...FIGURE_FAMILIES.filter((f) => f.naming === 'memmon'),
  ...MEMMON_FAMILIES,
  ...FIGURE_FAMILIES.filter((f) => f.naming === 'prom-client'),
  ...PROM_CLIENT_FAMILIES,
  ...FIGURE_FAMILIES.filter((f) => f.naming === 'otel'),
  ...OTEL_FAMILIES,
  ...LEAK_FAMILIES,
];

/** The families served for a naming selection. */
export function familiesFor(namings: readonly MetricsNaming[]): MetricFamily[] {
  return METRIC_FAMILIES.filter((f) => f.naming === 'always' || namings.includes(f.naming));
}

/** True when a selection serves per-space figures (worth reading v8.getHeapSpaceStatistics() for). */
export function needsHeapSpaces(namings: readonly MetricsNaming[]): boolean {
  return familiesFor(namings).some((f) => f.labels.includes('space') || f.labels.includes('v8js_heap_space_name'));
}
