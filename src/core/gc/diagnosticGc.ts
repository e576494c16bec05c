import { InspectorConnection, InspectorError } from '../inspector/connection';
import { callFunctionValue, evaluateValue } from '../inspector/evaluate';
import { collectGarbage } from './collectGarbage';
import { readProcessMemory } from '../sampling/processMemory';
import { GcMeasure, GcResult } from '../types';
import { diffHeapSpaces, readHeapSpaces } from './heapSpaces';
import { logFailure } from '../log';

export interface DiagnosticGcOptions {
  /** Also prove the collector works: build an unreachable cycle of known size and check it is reclaimed. */
  testCycle?: boolean;
  /** Also report every V8 heap space's used/available bytes before and after (Node targets; `spaces`). */
  detailed?: boolean;
  pid?: number | null;
  /** Read RSS from the OS. */
  local?: boolean;
  /** Timeout of the forced GC (default 60 s; a multi-GB heap takes seconds). */
  timeoutMs?: number;
}

/** Size of the test cycle's payload: a FixedDoubleArray of this many elements (8 bytes each). */
const TEST_CYCLE_ELEMENTS = 131_072;
export const TEST_CYCLE_BYTES = TEST_CYCLE_ELEMENTS * 8;
const OBJECT_GROUP = 'memmon-diagnostic-gc';

/*
 * Builds two objects that reference each other (a cycle), reachable from nothing: the only handles are a WeakRef
 * and a FinalizationRegistry registration on the returned probe. Nothing is stored in globals.
 */
const CREATE_CYCLE = `(() => {
  const a = { name: 'memmon-test-cycle', payload: new Array(${TEST_CYCLE_ELEMENTS}).fill(0.5) };
  const b = { peer: a };
  a.peer = b;
  const probe = { finalized: false, ref: new WeakRef(a) };
  probe.registry = new FinalizationRegistry(() => { probe.finalized = true; });
  probe.registry.register(a, 0);
  return probe;
})()`;
const CHECK_CYCLE = 'function () { return this.finalized || this.ref.deref() === undefined; }';

/**
 * Measures heap and RSS, forces a full GC (`HeapProfiler.collectGarbage`), measures again, and reports
 * the difference. With `testCycle`, verifies that an unreachable cycle is collected. Leaves nothing behind:
 * no globals, and the object group holding the probe is released.
 */
export async function runDiagnosticGc(conn: InspectorConnection, options: DiagnosticGcOptions = {}): Promise<GcResult> {
  const t = Date.now();
  const timeoutMs = options.timeoutMs ?? 60_000;
  let probeId: string | null = null;
  try {
    if (options.testCycle) {
      const r = await conn.send(
        'Runtime.evaluate',
        { expression: CREATE_CYCLE, objectGroup: OBJECT_GROUP, silent: true },
        10_000,
      );
      if (r.exceptionDetails)
        throw new Error(
          `could not create the test cycle: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`,
        );
      probeId = r.result.objectId ?? null;
    }
    const spacesBefore = options.detailed ? await readHeapSpaces(conn) : null;
    const before = await measure(conn, options);
    const started = performance.now();
    await collectGarbage(conn, timeoutMs);
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    const after = await measure(conn, options);
    const spacesAfter = spacesBefore ? await readHeapSpaces(conn) : null;
    let testCycle: GcResult['testCycle'] = null;
    if (probeId)
      testCycle = { created: true, collected: await cycleCollected(conn, probeId, timeoutMs), bytes: TEST_CYCLE_BYTES };
    const result: GcResult = {
      t,
      pid: options.pid ?? null,
      before,
      after,
      freed: before.heapUsed - after.heapUsed,
      durationMs,
      testCycle,
    };
    // `spaces` is null when detail was asked for but the target cannot give it (not Node.js).
    if (options.detailed)
      result.spaces = spacesBefore && spacesAfter ? diffHeapSpaces(spacesBefore, spacesAfter) : null;
    return result;
  } finally {
    if (probeId)
      await conn
        .send('Runtime.releaseObjectGroup', { objectGroup: OBJECT_GROUP }, 5000)
        .catch(logFailure('releasing the test cycle probe'));
  }
}

async function measure(conn: InspectorConnection, options: DiagnosticGcOptions): Promise<GcMeasure> {
  const heap = await heapUsage(conn);
  const os = options.pid && options.local !== false ? await readProcessMemory(options.pid) : null;
  return { heapUsed: heap.usedSize, heapTotal: heap.totalSize, rss: os?.rss ?? null };
}

/** `Runtime.getHeapUsage`, or `process.memoryUsage()` where the inspector lacks it (Bun). */
async function heapUsage(conn: InspectorConnection): Promise<{ usedSize: number; totalSize: number }> {
  try {
    return await conn.send('Runtime.getHeapUsage', {}, 10_000);
  } catch (err) {
    if (!(err instanceof InspectorError && err.code === 'protocol' && /not found/i.test(err.message))) throw err;
    const m = await evaluateValue(
      conn,
      '(() => { const m = process.memoryUsage(); return [m.heapUsed, m.heapTotal]; })()',
      {
        timeoutMs: 10_000,
      },
    );
    if (!Array.isArray(m) || typeof m[0] !== 'number' || typeof m[1] !== 'number') throw err;
    return { usedSize: m[0], totalSize: m[1] };
  }
}

/**
 * True once the cycle is gone. A WeakRef target is kept alive until the end of the job that created it,
 * and finalizers run as a separate task, so a second GC after a short wait settles the rare late case.
 */
async function cycleCollected(conn: InspectorConnection, probeId: string, timeoutMs: number): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    if ((await callFunctionValue(conn, probeId, CHECK_CYCLE, 10_000)) === true) return true;
    await new Promise((res) => setTimeout(res, 50 * (attempt + 1)));
    await collectGarbage(conn, timeoutMs);
  }
  return false;
}
