import { InspectorConnection, InspectorError } from '../inspector/connection';

/**
 * Forces a full garbage collection: `HeapProfiler.collectGarbage` on V8 targets (Node.js, Deno, Chromium), and
 * `Heap.gc` on JavaScriptCore's WebKit Inspector Protocol (Bun), which has no HeapProfiler domain.
 */
export async function collectGarbage(conn: InspectorConnection, timeoutMs: number): Promise<void> {
  try {
    await conn.send('HeapProfiler.collectGarbage', {}, timeoutMs);
  } catch (err) {
    if (!(err instanceof InspectorError && err.code === 'protocol' && /not found/i.test(err.message))) throw err;
    await conn.send('Heap.gc', {}, timeoutMs);
  }
}
