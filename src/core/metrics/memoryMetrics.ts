// The one table of memory figures. Every consumer derives from it: the sampler (what to read), the `sample` JSON
// line and its TypeScript type, Export Recording's CSV, the Monitor panel (figures, table, chart), the status bar
// tooltip, the CLI summary, `metric` records and the Prometheus exposition. Adding a figure means adding an entry.
// Pure data and functions without Node or vscode imports: the webview bundle imports this file too.

/** Where a figure is read. Every figure is in bytes. */
export type MetricSource =
  /** `Runtime.getHeapUsage` at every sample: runs no JavaScript in the debuggee. */
  | { from: 'heapUsage'; field: 'usedSize' | 'totalSize' }
  /** The operating system (`/proc/<pid>/status`, pidusage elsewhere); null for a target that is not a local process. */
  | { from: 'os'; field: 'rss' | 'vms' }
  /**
   * An expression evaluated in the debuggee at a low rate (every 10 s), with `m` = `process.memoryUsage()` in scope;
   * null where it cannot be evaluated (a browser target).
   */
  | { from: 'evaluate'; expression: string };

/** One memory figure and everywhere it appears. */
export interface MemoryMetric {
  /** Field of the `sample` JSON line and column of Export Recording's CSV: a contract, never renamed. */
  key: string;
  source: MetricSource;
  /** Part of every `sample` line; false for a figure only the metric exporters read. */
  sampled: boolean;
  /** Shown in the editor (Monitor panel figures, table and chart; status bar tooltip) with this label and colour. */
  panel?: { label: string; color: readonly [cssVariable: string, fallback: string]; dash?: readonly number[] };
  /** Kept as first/last/min/peak in the CLI's summary (`summary.processes[]`). */
  summarized?: boolean;
  /**
   * Exported as a `metric` record and metrics-CSV name (in MB) and as a Prometheus gauge (in bytes); `aliases` are the
   * same gauge under prom-client's default-metric name and the OpenTelemetry semantic-convention name in Prometheus
   * form, served when `--metrics-names` / `memoryMonitor.metricsNames` selects them.
   */
  exported?: { name: string; help: string; aliases?: { 'prom-client'?: string; otel?: string } };
}

export const MEMORY_METRICS = [
  {
    key: 'heapUsed',
    source: { from: 'heapUsage', field: 'usedSize' },
    sampled: true,
    summarized: true,
    panel: { label: 'Heap used', color: ['--vscode-charts-blue', '#3794ff'] },
    exported: {
      name: 'memory.usage.heap_used',
      help: 'V8 heap in use (Runtime.getHeapUsage).',
      aliases: { 'prom-client': 'nodejs_heap_size_used_bytes' },
    },
  },
  {
    key: 'heapTotal',
    source: { from: 'heapUsage', field: 'totalSize' },
    sampled: true,
    summarized: true,
    panel: { label: 'Heap total', color: ['--vscode-charts-purple', '#b180d7'], dash: [4, 3] },
    exported: {
      name: 'memory.usage.heap_total',
      help: 'V8 heap reserved (Runtime.getHeapUsage).',
      aliases: { 'prom-client': 'nodejs_heap_size_total_bytes' },
    },
  },
  {
    key: 'rss',
    source: { from: 'os', field: 'rss' },
    sampled: true,
    summarized: true,
    panel: { label: 'RSS', color: ['--vscode-charts-green', '#89d185'] },
    exported: {
      name: 'memory.usage.rss',
      help: 'Resident set size of the process, from the operating system.',
      aliases: { 'prom-client': 'process_resident_memory_bytes', otel: 'process_memory_usage_bytes' },
    },
  },
  {
    key: 'vms',
    source: { from: 'os', field: 'vms' },
    sampled: false,
    exported: {
      name: 'memory.usage.vms',
      help: 'Virtual memory size of the process, from the operating system.',
      aliases: { 'prom-client': 'process_virtual_memory_bytes', otel: 'process_memory_virtual_bytes' },
    },
  },
  {
    key: 'external',
    source: { from: 'evaluate', expression: 'm.external' },
    sampled: true,
    summarized: true,
    panel: { label: 'External', color: ['--vscode-charts-orange', '#d18616'], dash: [2, 2] },
    exported: {
      name: 'memory.usage.external',
      help: 'Memory of C++ objects bound to JavaScript objects (process.memoryUsage().external).',
      aliases: { 'prom-client': 'nodejs_external_memory_bytes' },
    },
  },
  {
    key: 'arrayBuffers',
    source: { from: 'evaluate', expression: 'm.arrayBuffers' },
    sampled: true,
  },
] as const satisfies readonly MemoryMetric[];

type Metric = (typeof MEMORY_METRICS)[number];
type Sampled = Extract<Metric, { sampled: true }>;
type Evaluated = Extract<Sampled, { source: { from: 'evaluate' } }>;
type Shown = Extract<Metric, { panel: object }>;
type Summarized = Extract<Metric, { summarized: true }>;
type Exported = Extract<Metric, { exported: object }>;

/** Heap figures always have a value (a sample exists only once the heap answered); the others may be null. */
type FigureValue<M extends Metric> = M['source']['from'] extends 'heapUsage' ? number : number | null;

/** The figures of a `sample` line, in table order. */
export type SampleFigures = { [M in Sampled as M['key']]: FigureValue<M> };
export type SampledKey = Sampled['key'];
export type PanelKey = Shown['key'];
export type SummarizedKey = Summarized['key'];
export type ExportedKey = Exported['key'];
export type EvaluatedKey = Evaluated['key'];

/** Figures of the `sample` line, in the line's field order. */
export const SAMPLED_METRICS: readonly Sampled[] = MEMORY_METRICS.filter((m): m is Sampled => m.sampled);
/** Figures the editor shows, in display order. */
export const PANEL_METRICS: readonly Shown[] = MEMORY_METRICS.filter((m): m is Shown => 'panel' in m);
/** Figures the CLI summary keeps ranges of. */
export const SUMMARIZED_METRICS: readonly Summarized[] = MEMORY_METRICS.filter(
  (m): m is Summarized => 'summarized' in m && m.summarized,
);
const EVALUATED_METRICS: readonly Evaluated[] = SAMPLED_METRICS.filter(
  (m): m is Evaluated => m.source.from === 'evaluate',
);

// Metric records and /metrics list the OS's figures first, then V8's, then the evaluated ones: the order they had
// before this table existed, kept so both outputs stay byte for byte the same.
const EXPORT_ORDER: Record<MetricSource['from'], number> = { os: 0, heapUsage: 1, evaluate: 2 };
/** Exported figures, in export order. */
export const EXPORTED_METRICS: readonly Exported[] = MEMORY_METRICS.filter((m): m is Exported => 'exported' in m).sort(
  (a, b) => EXPORT_ORDER[a.source.from] - EXPORT_ORDER[b.source.from],
);

/** The Prometheus gauge of an exported figure: its dotted name in snake case, in bytes. */
export function prometheusName(m: Exported): string {
  return `${m.exported.name.replace(/\./g, '_')}_bytes`;
}

/** The figures the editor shows of a sample. */
export function panelFigures(s: SampleFigures): Pick<SampleFigures, PanelKey> {
  return pick(s, PANEL_METRICS) as Pick<SampleFigures, PanelKey>;
}

/** The exported figures of a sample; `vms` is not part of a sample and is read from the OS separately. */
export function exportedFigures(s: SampleFigures, vms: number | null): Record<ExportedKey, number | null> {
  return pick({ ...s, vms }, EXPORTED_METRICS);
}

function pick(
  from: Readonly<Record<string, number | null>>,
  metrics: readonly Metric[],
): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const m of metrics) out[m.key] = from[m.key] ?? null;
  return out;
}

/** One evaluation of {@link MEMORY_USAGE_EXPRESSION}: the evaluated figures, and what the sampler reuses. */
export interface MemoryUsageReading {
  figures: Record<EvaluatedKey, number | null>;
  rss: number | null;
  heapUsed: number | null;
  heapTotal: number | null;
}

/**
 * What the sampler evaluates in the debuggee: the evaluated figures, then `process.memoryUsage()`'s rss (for targets
 * whose OS figures are out of reach) and heap figures (a free refresh of the heap reading).
 */
export const MEMORY_USAGE_EXPRESSION = `(() => { const m = process.memoryUsage(); return [${[
  ...EVALUATED_METRICS.map((m) => m.source.expression),
  'm.rss',
  'm.heapUsed',
  'm.heapTotal',
].join(', ')}]; })()`;

/** Reads the array {@link MEMORY_USAGE_EXPRESSION} returned. */
export function readMemoryUsage(values: readonly unknown[]): MemoryUsageReading {
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  const n = EVALUATED_METRICS.length;
  return {
    figures: Object.fromEntries(
      EVALUATED_METRICS.map((m, i) => [m.key, num(values[i])]),
    ) as MemoryUsageReading['figures'],
    rss: num(values[n]),
    heapUsed: num(values[n + 1]),
    heapTotal: num(values[n + 2]),
  };
}

/** The latest readings of each source, from which a sample's figures are taken. */
export interface SourceReadings {
  heapUsage: { usedSize: number; totalSize: number };
  os: { rss: number | null; vms: number | null };
  evaluated: Partial<Record<EvaluatedKey, number | null>> | null;
}

/** A sample's figures from the readings, in the `sample` line's field order. */
export function sampleFigures(r: SourceReadings): SampleFigures {
  const out: Record<string, number | null> = {};
  for (const m of SAMPLED_METRICS) {
    const s: MetricSource = m.source;
    out[m.key] =
      s.from === 'heapUsage'
        ? r.heapUsage[s.field]
        : s.from === 'os'
          ? r.os[s.field]
          : (r.evaluated?.[m.key as EvaluatedKey] ?? null);
  }
  return out as SampleFigures;
}
