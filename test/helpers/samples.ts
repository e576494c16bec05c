// Samples for tests, built from MEMORY_METRICS so that a new figure does not break every test that makes one.
import { panelFigures, sampleFigures } from '../../src/core/metrics/memoryMetrics';
import type { MemorySample } from '../../src/core/types';
import type { SampleView } from '../../src/shared/protocol';

/** A sample with the given fields; every other figure unknown (null), heap figures 0, pid 1. */
export function memorySample(fields: Partial<MemorySample> & Pick<MemorySample, 't'>): MemorySample {
  const unknown = sampleFigures({
    heapUsage: { usedSize: 0, totalSize: 0 },
    os: { rss: null, vms: null },
    evaluated: null,
  });
  return { pid: 1, ...unknown, ...fields };
}

/** The Monitor panel's view of {@link memorySample}. */
export function sampleView(fields: Partial<MemorySample> & Pick<MemorySample, 't'>): SampleView {
  return { t: fields.t, ...panelFigures(memorySample(fields)) };
}
