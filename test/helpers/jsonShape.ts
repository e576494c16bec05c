import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Per JSON-line type, the sorted key paths seen (`processes[].heapUsed.first`); arrays are descended as `[]`. */
export type KeyPathsByType = Record<string, string[]>;

/** The `memmon run --json` call whose output shape is recorded in test/fixtures/golden/run-key-paths.json. */
export const GOLDEN_RUN_ARGS = (dir: string, fixtures: string): string[] => [
  'run',
  '--json',
  '--duration',
  '5',
  '--interval',
  '0.25',
  '--memory-threshold-mb',
  '1',
  '--memory-alert-mb',
  '2',
  '--fail-on',
  'emergency',
  '--diagnostic-interval',
  '1',
  '--watch-class',
  'Session',
  '--objects-interval',
  '1',
  '--metrics-interval',
  '1',
  '--snapshot-at',
  '1',
  '--snapshot-dir',
  dir,
  '--log-dir',
  dir,
  '--report',
  path.join(dir, 'report.json'),
  '--',
  process.execPath,
  path.join(fixtures, 'watched-classes.js'),
];

/** Collects the key paths of each line type. */
export function keyPathsByType(lines: Array<Record<string, unknown>>): KeyPathsByType {
  const byType = new Map<string, Set<string>>();
  const walk = (value: unknown, prefix: string, into: Set<string>): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item, `${prefix}[]`, into);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const p = prefix ? `${prefix}.${k}` : k;
        into.add(p);
        walk(v, p, into);
      }
    }
  };
  for (const line of lines) {
    const type = String(line.type);
    if (!byType.has(type)) byType.set(type, new Set());
    walk(line, '', byType.get(type)!);
  }
  return Object.fromEntries([...byType].sort(([a], [b]) => a.localeCompare(b)).map(([t, s]) => [t, [...s].sort()]));
}

/** Every record of the JSONL recordings `--log-dir` wrote into dir. */
export function readRecordings(dir: string): Array<Record<string, unknown>> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
