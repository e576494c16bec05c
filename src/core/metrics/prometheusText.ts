import { alertRank } from '../types';
import { EXPORTED_METRICS, prometheusName } from './memoryMetrics';
import type { ProcessMetrics } from './metricsRegistry';

/** Content type of the Prometheus text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

interface Family {
  name: string;
  type: 'gauge' | 'counter';
  help: string;
  samples: Array<{ labels: Record<string, string>; value: number }>;
}

/** Escapes a label value as the text format requires (backslash, double quote, newline). */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/**
 * Renders the processes' metrics in the Prometheus text format with base units (bytes, seconds) and conventional
 * names: gauges for current values, `_total` counters for accumulations; one `pid` label per process.
 */
export function renderPrometheus(processes: ProcessMetrics[]): string {
  const gauge = (name: string, help: string, pick: (p: ProcessMetrics) => number | null): Family => ({
    name,
    type: 'gauge',
    help,
    samples: processes.flatMap((p) => {
      const v = pick(p);
      return v === null ? [] : [{ labels: { pid: String(p.pid ?? 'unknown') }, value: v }];
    }),
  });
  const families: Family[] = [
    ...EXPORTED_METRICS.map((m) => gauge(prometheusName(m), m.exported.help, (p) => p.usage?.[m.key] ?? null)),
    {
      name: 'memory_gc_freed_bytes_total',
      type: 'counter',
      help: 'Heap bytes freed by diagnostic GCs since monitoring started.',
      samples: processes.map((p) => ({ labels: { pid: String(p.pid ?? 'unknown') }, value: p.gcFreedTotal })),
    },
    {
      name: 'memory_gc_runs_total',
      type: 'counter',
      help: 'Diagnostic GCs run since monitoring started.',
      samples: processes.map((p) => ({ labels: { pid: String(p.pid ?? 'unknown') }, value: p.gcRuns })),
    },
    gauge('memory_gc_last_duration_seconds', 'Duration of the last diagnostic GC.', (p) =>
      p.lastGcDurationMs === null ? null : p.lastGcDurationMs / 1000,
    ),
    {
      name: 'memory_objects',
      type: 'gauge',
      help: 'Live instances of a watched class (Runtime.queryObjects), subclass instances included.',
      samples: processes.flatMap((p) =>
        [...p.objects].map(([cls, n]) => ({ labels: { class: cls, pid: String(p.pid ?? 'unknown') }, value: n })),
      ),
    },
    gauge('memory_alert_level', 'Alert level: 0 normal, 1 warning, 2 critical, 3 emergency.', (p) =>
      alertRank(p.alertLevel),
    ),
    {
      name: 'memory_diagnostics_skipped_total',
      type: 'counter',
      help: 'Scheduled diagnostics skipped because the process was busy or paused.',
      samples: processes.flatMap((p) =>
        [...p.skippedTotal].map(([task, n]) => ({ labels: { pid: String(p.pid ?? 'unknown'), task }, value: n })),
      ),
    },
  ];
  let out = '';
  for (const f of families) {
    out += `# HELP ${f.name} ${f.help}\n# TYPE ${f.name} ${f.type}\n`;
    for (const s of f.samples) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`)
        .join(',');
      out += `${f.name}{${labels}} ${formatValue(s.value)}\n`;
    }
  }
  return out;
}
