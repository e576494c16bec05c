import { Registry, type RegistryContentType } from 'prom-client';
import { DEFAULT_METRICS_NAMES, familiesFor, type FamilySample, type MetricsNaming } from './metricFamilies';
import type { ProcessMetrics } from './metricsRegistry';

/** Content type of the Prometheus text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE: string = Registry.PROMETHEUS_CONTENT_TYPE;
/** Content type of OpenMetrics 1.0.0, served when the scraper asks for it. */
export const OPENMETRICS_CONTENT_TYPE: string = Registry.OPENMETRICS_CONTENT_TYPE;

/**
 * The format a scraper's Accept header asks for: OpenMetrics when it lists `application/openmetrics-text` with a
 * non-zero quality (Prometheus does, preferring it), else the Prometheus text format.
 */
export function negotiateContentType(accept: string | undefined): string {
  for (const part of (accept ?? '').split(',')) {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (type !== 'application/openmetrics-text') continue;
    const q = params.find((p) => p.startsWith('q='));
    if (!q || Number(q.slice(2)) > 0) return OPENMETRICS_CONTENT_TYPE;
  }
  return PROMETHEUS_CONTENT_TYPE;
}

interface PromValue {
  metricName?: string;
  labels: Record<string, string | number>;
  value: number;
}

/** Turns one family sample into prom-client values (a histogram into `_bucket`, `_sum` and `_count`). */
function toValues(name: string, base: Record<string, string>, s: FamilySample): PromValue[] {
  const labels = { ...base, ...s.labels };
  if ('value' in s) return [{ labels, value: s.value }];
  const { bounds, counts, sum } = s.histogram;
  let cumulative = 0;
  const out: PromValue[] = bounds.map((le, i) => {
    cumulative += counts[i] ?? 0;
    return { metricName: `${name}_bucket`, labels: { ...labels, le }, value: cumulative };
  });
  cumulative += counts[bounds.length] ?? 0;
  out.push({ metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: cumulative });
  out.push({ metricName: `${name}_sum`, labels, value: sum });
  out.push({ metricName: `${name}_count`, labels, value: cumulative });
  return out;
}

/**
 * Renders the processes' metrics through prom-client's Registry in the given format (Prometheus text or OpenMetrics)
 * for the selected namings: base units (bytes, seconds), `pid` and `program` labels on every series.
 */
export async function renderMetrics(
  processes: readonly ProcessMetrics[],
  namings: readonly MetricsNaming[] = DEFAULT_METRICS_NAMES,
  contentType: string = PROMETHEUS_CONTENT_TYPE,
): Promise<string> {
  // A fresh registry per scrape: the values are read from `processes`, and prom-client renames counters in place
  // when it writes OpenMetrics.
  const registry = new Registry<RegistryContentType>();
  registry.setContentType(
    contentType === OPENMETRICS_CONTENT_TYPE ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE,
  );
  for (const family of familiesFor(namings)) {
    const values = () =>
      processes.flatMap((p) =>
        family
          .samples(p)
          .flatMap((s) => toValues(family.name, { pid: String(p.pid ?? 'unknown'), program: p.program }, s)),
      );
    // A minimal prom-client metric: the registry only calls get(); `name` is read back because prom-client strips a
    // counter's `_total` from it for OpenMetrics (and appends it to the samples).
    const metric = {
      name: family.name,
      help: family.help,
      type: family.type,
      aggregator: 'sum' as const,
      get: () => Promise.resolve({ name: metric.name, help: family.help, type: family.type, values: values() }),
    };
    registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0]);
  }
  return registry.metrics();
}
