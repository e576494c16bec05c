// Forced-GC readings of a browser page (Chromium), which has neither `process` nor V8's gc function: the heap comes
// from Runtime.getHeapUsage, the DOM node count from Memory.getDOMCounters, and the renderer's CPU clock from the
// Performance domain. Memory.getDOMCountersForLeakDetection and DOM.getDetachedDomNodes would say more, but headless
// Chromium fails the first and never answers the second, so the node count after a forced GC is what stands.
import { collectGarbage } from '../gc/collectGarbage';
import type { InspectorConnection } from '../inspector/connection';
import { logFailure } from '../log';
import type { ForcedGcReading } from './forcedGc';

/** True when the target is a page: it has a DOM to count (Node.js, Deno and Bun have no Memory domain). */
export async function isPageTarget(conn: InspectorConnection): Promise<boolean> {
  try {
    await conn.send('Memory.getDOMCounters', {}, 5000);
    return true;
  } catch {
    return false;
  }
}

/**
 * Turns on the Performance domain for the renderer's CPU clock (`ProcessTime`); false when it is refused (the forced
 * GCs are then charged by their round-trip time, an upper bound).
 */
export async function enablePageCpuClock(conn: InspectorConnection): Promise<boolean> {
  try {
    await conn.send('Performance.enable', {}, 5000);
    return true;
  } catch {
    return false;
  }
}

/** Turns the Performance domain off again (it is per client: another client's stays on). */
export async function disablePageCpuClock(conn: InspectorConnection): Promise<void> {
  if (!conn.isClosed)
    await conn.send('Performance.disable', {}, 3000).catch(logFailure('turning off the page CPU clock'));
}

/** The renderer process's CPU time (ms), like process.cpuUsage() in Node.js; undefined when it cannot be read. */
export async function readPageCpuClockMs(conn: InspectorConnection): Promise<number | undefined> {
  try {
    const { metrics } = await conn.send('Performance.getMetrics', {}, 5000);
    const processTime = metrics.find((m) => m.name === 'ProcessTime')?.value;
    return typeof processTime === 'number' ? processTime * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One forced full GC of a page (HeapProfiler.collectGarbage also collects the detached DOM nothing keeps), then the
 * heap and the DOM node count it left, and its cost by the renderer's CPU clock when `cpuClock` is on.
 */
export async function forcePageGc(conn: InspectorConnection, cpuClock: boolean): Promise<ForcedGcReading | null> {
  const before = cpuClock ? await readPageCpuClockMs(conn) : undefined;
  await collectGarbage(conn, 30_000);
  // Sent together, so the page serves them back to back right after the collection.
  const [heap, dom, after] = await Promise.all([
    conn.send('Runtime.getHeapUsage', {}, 30_000),
    conn.send('Memory.getDOMCounters', {}, 30_000).catch(() => null),
    cpuClock ? readPageCpuClockMs(conn) : undefined,
  ]);
  return {
    heapUsed: heap.usedSize,
    external: null,
    rss: null,
    cpuMs: before !== undefined && after !== undefined ? Math.max(0, after - before) : Infinity,
    cpuClockMs: after ?? 0,
    ...(dom && { domNodes: dom.nodes }),
  };
}
