// Measures how long the calling thread's event loop is ever blocked while HeapAnalysisClient opens and queries a
// snapshot in the worker. Target: never more than 50 ms. Usage: node --import tsx bench/heap/eventLoop.ts <file>
import { loadavg } from 'node:os';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { statSync } from 'node:fs';
import { HeapAnalysisClient } from '../../src/core/heap/worker/heapAnalysisClient';

const file = process.argv[2]!;
if (!process.argv[2]) {
  console.error('usage: eventLoop.ts <file.heapsnapshot>');
  process.exit(2);
}

/** Opens and queries the snapshot in the worker while two probes watch this thread's event loop. */
async function main(file: string): Promise<void> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  let maxDriftMs = 0;
  let ticksLateOver50Ms = 0;
  let last = performance.now();
  const TICK_MS = 10;
  // A second, independent probe: how late each 10 ms timer fires.
  const ticker = setInterval(() => {
    const now = performance.now();
    maxDriftMs = Math.max(maxDriftMs, now - last - TICK_MS);
    if (now - last - TICK_MS > 50) ticksLateOver50Ms++;
    last = now;
  }, TICK_MS);

  // Main-thread GC pauses, to tell our own pauses from time the OS gave to other processes.
  let maxGcMs = 0;
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) maxGcMs = Math.max(maxGcMs, e.duration);
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const client = new HeapAnalysisClient();
  histogram.enable();
  const started = performance.now();
  const snap = await client.openSnapshot(file, { onProgress: () => undefined });
  const openMs = performance.now() - started;
  const queryStart = performance.now();
  const classes = await client.classSummary(snap.handle, { limit: 100 });
  const top = classes.items[0]!;
  const instances = await client.classInstances(snap.handle, top.key, { limit: 100 });
  await client.retainerPaths(snap.handle, instances.items[0]!.id, { maxPaths: 3 });
  await client.dominators(snap.handle, undefined, { limit: 100 });
  const queryMs = performance.now() - queryStart;
  histogram.disable();
  clearInterval(ticker);
  gcObserver.disconnect();
  await client.dispose();

  const result = {
    file,
    bytes: statSync(file).size,
    nodeCount: snap.nodeCount,
    openMs: Math.round(openMs),
    queriesMs: Math.round(queryMs),
    eventLoopMaxDelayMs: +(histogram.max / 1e6).toFixed(1),
    eventLoopP99DelayMs: +(histogram.percentile(99) / 1e6).toFixed(1),
    timerMaxDriftMs: +maxDriftMs.toFixed(1),
    ticksLateOver50Ms,
    mainThreadMaxGcMs: +maxGcMs.toFixed(1),
    loadAverage1m: +loadavg()[0]!.toFixed(2),
  };
  console.log(JSON.stringify(result));
}

void main(file);
