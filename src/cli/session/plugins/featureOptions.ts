import { needsHeapSpaces, parseMetricsNames, type MetricsNaming } from '../../../core/metrics/metricFamilies';
import { MetricsRegistry } from '../../../core/metrics/metricsRegistry';
import { MetricsServer } from '../../../core/metrics/metricsServer';
import { isValidClassName } from '../../../core/objects/classLookup';
import { CliIO, createOutputDir, positiveNumber, RuntimeError, UsageError, writeJsonLine } from '../../command';
import type { SessionPlugin } from '../monitorSession';
import { DiagnosticsSessionPlugin } from './diagnosticsPlugin';
import { MetricsSessionPlugin } from './metricsPlugin';

/**
 * Flags shared by `memmon run` and `memmon attach` for periodic diagnostics (object counts, diagnostic GCs, heap
 * snapshots, back-off while busy) and metrics outputs (Prometheus endpoint, `metric` records, CSV); util.parseArgs spec.
 */
export const DIAGNOSTIC_AND_METRIC_FLAGS = {
  'watch-class': { type: 'string', multiple: true },
  'objects-interval': { type: 'string' },
  'diagnostic-interval': { type: 'string' },
  'busy-cpu': { type: 'string' },
  'snapshot-interval': { type: 'string' },
  'snapshot-dir': { type: 'string' },
  'metrics-port': { type: 'string' },
  'metrics-names': { type: 'string' },
  'metrics-csv': { type: 'boolean' },
  'metrics-interval': { type: 'string' },
} as const;

export const DIAGNOSTIC_AND_METRIC_HELP = `  --watch-class <Name>        count live instances of a class (repeatable); resolved by name from the global
                              scope, loaded CommonJS modules, or the heap; prints "objects" JSON lines
  --objects-interval <s>      seconds between object counts (default 5; each count forces a full GC)
  --diagnostic-interval <s>   run a diagnostic GC every s seconds (default 0 = off)
  --snapshot-interval <s>     take a heap snapshot every s seconds (default 0 = off) into --snapshot-dir or
                              --log-dir; keeps the last 5 it took
  --busy-cpu <percent>        skip scheduled GCs/counts while the program uses more CPU than this (default 80);
                              skipped runs are reported ("skipped" JSON lines) and retried with back-off
  --metrics-port <port>       serve Prometheus metrics at http://127.0.0.1:<port>/metrics (0 = any free port);
                              OpenMetrics when the scraper asks for it
  --metrics-names <list>      which metric names to serve, a comma list of memmon, prom-client, otel
                              (default memmon,prom-client); leak series (memmon_*) are always served
  --metrics-interval <s>      seconds between "metric" records in the recordings (default 5)
  --metrics-csv               also write the metrics as CSV files in --log-dir`;

type Values = {
  [K in keyof typeof DIAGNOSTIC_AND_METRIC_FLAGS]?: (typeof DIAGNOSTIC_AND_METRIC_FLAGS)[K] extends { multiple: true }
    ? string[]
    : (typeof DIAGNOSTIC_AND_METRIC_FLAGS)[K]['type'] extends 'boolean'
      ? boolean
      : string;
};

/** Seconds ≥ 0 (0 turns the feature off). */
function seconds(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} expects a number of seconds ≥ 0, got "${value}"`);
  return n;
}

/** Checks the diagnostic and metric flags; throws UsageError on bad values. Cheap and synchronous, so it runs before anything starts. */
function checkDiagnosticAndMetricFlags(values: Values & { 'log-dir'?: string }): void {
  for (const name of values['watch-class'] ?? []) {
    if (!isValidClassName(name))
      throw new UsageError(`--watch-class expects a class name such as Session or pg.Client, got "${name}"`);
  }
  seconds(values['objects-interval'], 'objects-interval', 5);
  seconds(values['diagnostic-interval'], 'diagnostic-interval', 0);
  positiveNumber(values['busy-cpu'], 'busy-cpu', 80);
  positiveNumber(values['metrics-interval'], 'metrics-interval', 5);
  if (values['metrics-port'] !== undefined) {
    const port = Number(values['metrics-port']);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--metrics-port expects a port 0–65535, got "${values['metrics-port']}"`);
  }
  metricsNamesOf(values['metrics-names']);
  if (
    seconds(values['snapshot-interval'], 'snapshot-interval', 0) > 0 &&
    !values['snapshot-dir'] &&
    !values['log-dir']
  ) {
    throw new UsageError('--snapshot-interval needs a folder: give --snapshot-dir <dir> or --log-dir <dir>');
  }
  if (values['metrics-csv'] && !values['log-dir'])
    throw new UsageError('--metrics-csv writes into the log directory: give --log-dir <dir> too');
}

/** `--metrics-names` as a naming list; a UsageError names the valid choices. */
function metricsNamesOf(value: string | undefined): MetricsNaming[] {
  try {
    return parseMetricsNames(value);
  } catch (err) {
    throw new UsageError(`--metrics-names: ${(err as Error).message}`);
  }
}

/** How often the per-space series are refreshed from the debuggee (one cheap evaluation each). */
const HEAP_SPACES_INTERVAL_MS = 5000;

/**
 * The session plugins the diagnostic and metric flags ask for. Starts the metrics endpoint (announced on stderr and, with
 * --json, as a `{"type":"metrics","url":…}` line) so it is up before the first process is attached.
 */
export async function diagnosticAndMetricPlugins(
  values: Values & { 'log-dir'?: string; json?: boolean },
  io: CliIO,
): Promise<SessionPlugin[]> {
  checkDiagnosticAndMetricFlags(values);
  if (values['snapshot-dir']) createOutputDir(values['snapshot-dir'], '--snapshot-dir');
  const plugins: SessionPlugin[] = [];
  const registry = new MetricsRegistry();
  let server: MetricsServer | null = null;
  const namings = metricsNamesOf(values['metrics-names']);
  if (values['metrics-port'] !== undefined) {
    server = await MetricsServer.listen(registry, Number(values['metrics-port']), namings).catch((err: Error) => {
      throw new RuntimeError(err.message);
    });
    io.stderr.write(`memmon: Prometheus metrics at ${server.url}\n`);
    if (values.json) writeJsonLine(io.stdout, { type: 'metrics', url: server.url, port: server.port });
  }
  const logDir = values['log-dir'] ?? null;
  if (server || logDir) {
    plugins.push(
      new MetricsSessionPlugin({
        intervalMs: positiveNumber(values['metrics-interval'], 'metrics-interval', 5) * 1000,
        csvDir: values['metrics-csv'] ? logDir : null,
        registry,
        server,
        heapSpacesIntervalMs: server && needsHeapSpaces(namings) ? HEAP_SPACES_INTERVAL_MS : 0,
      }),
    );
  }
  const watched = values['watch-class'] ?? [];
  const gcIntervalMs = seconds(values['diagnostic-interval'], 'diagnostic-interval', 0) * 1000;
  const snapshotIntervalMs = seconds(values['snapshot-interval'], 'snapshot-interval', 0) * 1000;
  if (watched.length || gcIntervalMs > 0 || snapshotIntervalMs > 0) {
    plugins.push(
      new DiagnosticsSessionPlugin(
        {
          watchedClasses: watched,
          objectsIntervalMs: seconds(values['objects-interval'], 'objects-interval', 5) * 1000,
          gcIntervalMs,
          snapshotIntervalMs,
          snapshotDir: values['snapshot-dir'] ?? logDir,
          busyCpuPercent: positiveNumber(values['busy-cpu'], 'busy-cpu', 80),
        },
        registry,
      ),
    );
  }
  return plugins;
}
