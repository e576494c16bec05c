import type { ObjectCounts } from '../objects/objectCounter';
import type { GcResult, MemorySample } from '../types';

/** One named metric value, as the roadmap names it (`memory.usage.rss`, …). */
export interface MetricPoint {
  name: string;
  value: number;
  unit: 'MB' | 'ms' | 'count' | 'bool';
}

/** The roadmap's metric names (dotted) for what memmon measures. */
export const ROADMAP_METRICS = {
  rss: 'memory.usage.rss',
  vms: 'memory.usage.vms',
  heapUsed: 'memory.usage.heap_used',
  heapTotal: 'memory.usage.heap_total',
  external: 'memory.usage.external',
  gcFreed: 'memory.gc.freed',
  gcDurationMs: 'memory.gc.duration_ms',
  gcCycleCollected: 'memory.gc.cycle_collected',
  objectsPrefix: 'memory.objects.',
} as const;

/** Bytes to decimal megabytes (1 MB = 1,000,000 bytes, like every other figure memmon prints), 3 decimals. */
export const toMb = (bytes: number): number => Math.round(bytes / 1e3) / 1e3;

/** Usage metrics of one sample; `vms` comes from the OS separately (null when unknown). Missing readings are left out. */
export function usageMetrics(s: MemorySample, vms: number | null): MetricPoint[] {
  const out: MetricPoint[] = [];
  if (s.rss !== null) out.push({ name: ROADMAP_METRICS.rss, value: toMb(s.rss), unit: 'MB' });
  if (vms !== null) out.push({ name: ROADMAP_METRICS.vms, value: toMb(vms), unit: 'MB' });
  out.push({ name: ROADMAP_METRICS.heapUsed, value: toMb(s.heapUsed), unit: 'MB' });
  out.push({ name: ROADMAP_METRICS.heapTotal, value: toMb(s.heapTotal), unit: 'MB' });
  if (s.external !== null) out.push({ name: ROADMAP_METRICS.external, value: toMb(s.external), unit: 'MB' });
  return out;
}

/** Metrics of one diagnostic GC; `cycle_collected` only when a test cycle ran. */
export function gcMetrics(g: GcResult): MetricPoint[] {
  const out: MetricPoint[] = [
    { name: ROADMAP_METRICS.gcFreed, value: toMb(g.freed), unit: 'MB' },
    { name: ROADMAP_METRICS.gcDurationMs, value: g.durationMs, unit: 'ms' },
  ];
  if (g.testCycle)
    out.push({ name: ROADMAP_METRICS.gcCycleCollected, value: g.testCycle.collected ? 1 : 0, unit: 'bool' });
  return out;
}

/** `memory.objects.<Class>` for every counted class. */
export function objectMetrics(o: ObjectCounts): MetricPoint[] {
  return Object.entries(o.counts).map(([cls, n]) => ({
    name: `${ROADMAP_METRICS.objectsPrefix}${cls}`,
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
