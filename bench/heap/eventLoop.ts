// Measures how long the calling thread's event loop is ever blocked while HeapAnalysisClient opens and queries a
// snapshot in the worker. Target: never more than 50 ms. Usage: node --import tsx bench/heap/eventLoop.ts <file>
import { loadavg } from 'node:os';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { statSync } from 'node:fs';
import { HeapAnalysisClient } from '../../src/core/heap/worker/heapAnalysisClient';
import { needsOtherSnapshot, SUMMARY_FILTERS } from '../../src/core/heap/query/summaryFilters';

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
  const viewQueriesMs = await timeViewQueries(client, snap.handle);
  const treeQueriesMs = await timeTreeQueries(client, snap.handle, instances.items[0]!.id);
  histogram.disable();
  await client.call('closeSnapshot', { handle: snap.handle });
  const afterIndexMs = await timeAfterBackgroundIndex(client, file);
  clearInterval(ticker);
  gcObserver.disconnect();
  await client.dispose();

  const result = {
    file,
    bytes: statSync(file).size,
    nodeCount: snap.nodeCount,
    openMs: Math.round(openMs),
    queriesMs: Math.round(queryMs),
    viewQueriesMs,
    treeQueriesMs,
    afterIndexMs,
    eventLoopMaxDelayMs: +(histogram.max / 1e6).toFixed(1),
    eventLoopP99DelayMs: +(histogram.percentile(99) / 1e6).toFixed(1),
    timerMaxDriftMs: +maxDriftMs.toFixed(1),
    ticksLateOver50Ms,
    mainThreadMaxGcMs: +maxGcMs.toFixed(1),
    loadAverage1m: +loadavg()[0]!.toFixed(2),
  };
  console.log(JSON.stringify(result));
}

/**
 * The duplicated-strings index is built in the worker in the background right after open: the filter and the list
 * once it is done (the snapshot opened again, then 10 s of idle, as when a user reads the Summary first).
 */
async function timeAfterBackgroundIndex(client: HeapAnalysisClient, file: string): Promise<Record<string, number>> {
  const { handle } = await client.openSnapshot(file, { onProgress: () => undefined });
  await new Promise((r) => setTimeout(r, 10_000));
  const times: Record<string, number> = {};
  let t0 = performance.now();
  await client.call('filteredClasses', { handle, view: 'duplicated-strings', limit: 100 });
  times['duplicated-strings'] = Math.round(performance.now() - t0);
  t0 = performance.now();
  await client.call('duplicateStrings', { handle, limit: 100 });
  times['duplicate-strings list'] = Math.round(performance.now() - t0);
  await client.call('closeSnapshot', { handle });
  return times;
}

/**
 * First-call times (each computes what it needs, nothing cached yet) of the viewer's DevTools-parity queries:
 * Statistics, every Summary filter that needs no other snapshot, duplicated strings and global variables.
 */
async function timeViewQueries(client: HeapAnalysisClient, handle: number): Promise<Record<string, number>> {
  const times: Record<string, number> = {};
  const time = async (name: string, query: () => Promise<unknown>) => {
    const t0 = performance.now();
    await query();
    times[name] = Math.round(performance.now() - t0);
  };
  await time('statistics', () => client.statistics(handle));
  for (const view of SUMMARY_FILTERS) {
    if (needsOtherSnapshot(view)) continue;
    await time(view, () => client.call('filteredClasses', { handle, view, limit: 100 }));
  }
  await time('duplicate-strings list', () => client.call('duplicateStrings', { handle, limit: 100 }));
  await time('globals', () => client.call('globalVariables', { handle, limit: 100 }));
  return times;
}

/**
 * Times each query behind the viewer's dominator tree, retainer tree and source links (target: ≤ 1 s each on a 1 GB
 * snapshot). Ignoring a retainer recomputes every distance, as DevTools does: the one expected to cost most.
 */
async function timeTreeQueries(client: HeapAnalysisClient, handle: number, nodeId: number) {
  const times: Record<string, number> = {};
  const time = async <T>(name: string, query: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const result = await query();
    times[name] = Math.round(performance.now() - t0);
    return result;
  };
  await time('dominatorRoot', () => client.call('dominatorNode', { handle }));
  const top = await time('dominatorChildren', () => client.call('dominatorTree', { handle, limit: 40 }));
  const big = top.items.find((n) => n.dominatedCount > 0);
  if (big)
    await time('dominatorGrandchildren', () => client.call('dominatorTree', { handle, nodeId: big.id, limit: 40 }));
  const retainers = await time('retainerTree', () => client.call('retainerTree', { handle, nodeId, limit: 100 }));
  await time('retainerPaths5', () => client.call('retainerTreePaths', { handle, nodeId, maxPaths: 5 }));
  const first = retainers.items[0];
  if (first) {
    await time('ignoreRetainer', () => client.call('ignoreRetainer', { handle, nodeId: first.node.id, ignore: true }));
    await time('retainerTreeIgnored', () => client.call('retainerTree', { handle, nodeId, limit: 100 }));
    await time('restoreRetainer', () =>
      client.call('ignoreRetainer', { handle, nodeId: first.node.id, ignore: false }),
    );
    // Putting back one of two ignored retainers (the other stays ignored): DevTools recomputes every distance.
    const second = retainers.items[1];
    if (second) {
      await client.call('ignoreRetainer', { handle, nodeId: first.node.id, ignore: true });
      await time('ignoreSecondRetainer', () =>
        client.call('ignoreRetainer', { handle, nodeId: second.node.id, ignore: true }),
      );
      await time('restoreOneOfTwo', () =>
        client.call('ignoreRetainer', { handle, nodeId: first.node.id, ignore: false }),
      );
      await client.call('ignoreRetainer', { handle, nodeId: second.node.id, ignore: false });
    }
  }
  await time('nodeSourceFirst', () => client.call('nodeSource', { handle, nodeId }));
  // An ignore that moves too many objects to recompute in part (> 1/16 of them) runs DevTools' full BFS: the top of
  // the dominator tree, largest first, until one does.
  for (const candidate of top.items.slice(0, 10)) {
    const t0 = performance.now();
    const r = await client.call('ignoreRetainer', { handle, nodeId: candidate.id, ignore: true });
    const ms = Math.round(performance.now() - t0);
    await client.call('ignoreRetainer', { handle, nodeId: candidate.id, ignore: false });
    if (r.recomputedAll) {
      times.ignoreRecomputingAll = ms;
      break;
    }
  }
  return times;
}

void main(file);
