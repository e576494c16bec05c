import type { ObjectCounts } from '../objects/objectCounter';
import type { GcResult, MemorySample } from '../types';
import { EXPORTED_METRICS, exportedFigures } from './memoryMetrics';

/** One named metric value (`memory.usage.rss`, …). */
export interface MetricPoint {
  name: string;
  value: number;
  unit: 'MB' | 'ms' | 'count' | 'bool';
}

/** Dotted names of the diagnostic-GC and object-count metrics; memory usage names are in MEMORY_METRICS. */
export const METRIC_NAMES = {
  gcFreed: 'memory.gc.freed',
  gcDurationMs: 'memory.gc.duration_ms',
  gcCycleCollected: 'memory.gc.cycle_collected',
  objectsPrefix: 'memory.objects.',
} as const;

/** Bytes to decimal megabytes (1 MB = 1,000,000 bytes, like every other figure memmon prints), 3 decimals. */
export const toMb = (bytes: number): number => Math.round(bytes / 1e3) / 1e3;

/** Usage metrics of one sample; `vms` comes from the OS separately (null when unknown). Missing readings are left out. */
export function usageMetrics(s: MemorySample, vms: number | null): MetricPoint[] {
  const figures = exportedFigures(s, vms);
  return EXPORTED_METRICS.flatMap((m) => {
    const v = figures[m.key];
    return v === null ? [] : [{ name: m.exported.name, value: toMb(v), unit: 'MB' as const }];
  });
}

/** Metrics of one diagnostic GC; `cycle_collected` only when a test cycle ran. */
export function gcMetrics(g: GcResult): MetricPoint[] {
  const out: MetricPoint[] = [
    { name: METRIC_NAMES.gcFreed, value: toMb(g.freed), unit: 'MB' },
    { name: METRIC_NAMES.gcDurationMs, value: g.durationMs, unit: 'ms' },
  ];
  if (g.testCycle)
    out.push({ name: METRIC_NAMES.gcCycleCollected, value: g.testCycle.collected ? 1 : 0, unit: 'bool' });
  return out;
}

/** `memory.objects.<Class>` for every counted class. */
export function objectMetrics(o: ObjectCounts): MetricPoint[] {
  return Object.entries(o.counts).map(([cls, n]) => ({
    name: `${METRIC_NAMES.objectsPrefix}${cls}`,
    value: n,
    unit: 'count' as const,
  }));
}

/** A JSONL record of metric points: `{"type":"metric","t","pid","source","metrics":{name: value}, "units":{name: unit}}`. */
export function metricRecord(t: number, pid: number | null, source: 'usage' | 'gc' | 'objects', points: MetricPoint[]) {
  return {
    type: 'metric' as const,
    t,
    pid,
    source,
    metrics: Object.fromEntries(points.map((p) => [p.name, p.value])),
    units: Object.fromEntries(points.map((p) => [p.name, p.unit])),
  };
}
