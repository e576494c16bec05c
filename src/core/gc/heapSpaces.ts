import { InspectorConnection } from '../inspector/connection';
import { evaluateValue } from '../inspector/evaluate';
import type { HeapSpaceDelta } from '../types';

export type { HeapSpaceDelta };

/** One reading of `v8.getHeapSpaceStatistics()`: name → [used, available, size]. */
export type HeapSpaceReading = Map<string, [used: number, available: number, size: number]>;

/*
 * Reaches the `v8` module without `process.binding` and without leaving anything behind: `process.getBuiltinModule`
 * (Node ≥ 20.16), else the main CommonJS module's `require`, else the inspector console's `require`
 * (includeCommandLineAPI). Evaluates to null on targets without it (browsers, ESM-only programs on old Node).
 */
const READ_SPACES = `(() => {
  let v8 = null;
  try {
    const proc = globalThis.process;
    if (proc && typeof proc.getBuiltinModule === 'function') v8 = proc.getBuiltinModule('v8');
    if (!v8 && proc && proc.mainModule && typeof proc.mainModule.require === 'function') v8 = proc.mainModule.require('v8');
    if (!v8 && typeof require === 'function') v8 = require('v8');
  } catch { v8 = null; }
  if (!v8 || typeof v8.getHeapSpaceStatistics !== 'function') return null;
  return v8.getHeapSpaceStatistics().map((s) => [s.space_name, s.space_used_size, s.space_available_size, s.space_size]);
})()`;

/** Reads per-space heap statistics from the debuggee; null when the target cannot provide them. */
export async function readHeapSpaces(conn: InspectorConnection): Promise<HeapSpaceReading | null> {
  const value = await evaluateValue(conn, READ_SPACES, { includeCommandLineAPI: true, timeoutMs: 10_000 });
  if (!Array.isArray(value)) return null;
  // READ_SPACES builds these tuples from v8.getHeapSpaceStatistics().
  return new Map(
    (value as Array<[string, number, number, number]>).map(([name, used, available, size]) => [
      name,
      [used, available, size],
    ]),
  );
}

/** Pairs two readings space by space (spaces missing on one side count as empty). */
export function diffHeapSpaces(before: HeapSpaceReading, after: HeapSpaceReading): HeapSpaceDelta[] {
  const names = [...new Set([...before.keys(), ...after.keys()])];
  return names.map((name) => {
    const [usedBefore, availableBefore, sizeBefore] = before.get(name) ?? [0, 0, 0];
    const [usedAfter, availableAfter, sizeAfter] = after.get(name) ?? [0, 0, 0];
    return { name, usedBefore, usedAfter, availableBefore, availableAfter, sizeBefore, sizeAfter };
  });
}

/** Human-readable lines for a detailed GC: one per space that held anything, largest first. */
export function describeHeapSpaces(spaces: HeapSpaceDelta[] | null): string[] {
  if (!spaces) return ['  heap spaces: not available from this target (needs Node.js)'];
  const mb = (n: number) => `${(n / 1e6).toFixed(2).padStart(8)} MB`;
  const shown = spaces
    .filter((s) => s.usedBefore || s.usedAfter || s.sizeBefore)
    .sort((a, b) => b.usedBefore - a.usedBefore);
  const width = Math.max(...shown.map((s) => s.name.length), 5);
  return [
    `  ${'space'.padEnd(width)}  used before →  used after   freed        available after`,
    ...shown.map(
      (s) =>
        `  ${s.name.padEnd(width)}  ${mb(s.usedBefore)} → ${mb(s.usedAfter)}  ${mb(s.usedBefore - s.usedAfter)}  ${mb(s.availableAfter)}`,
    ),
  ];
}
