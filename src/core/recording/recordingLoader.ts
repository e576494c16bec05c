import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { NotRegularFileError, openRegularFile } from '../regularFile';
import { readBoundedLines } from './lineReader';
import type { AlertEvent, GcResult, MemorySample } from '../types';

/** What one process of a recording holds: its samples (for charts), diagnostic GCs and alerts. */
export interface ProcessRecording {
  pid: number | null;
  /** `heapTotal` is null for lines that lack it. */
  samples: Array<Pick<MemorySample, 't' | 'heapUsed' | 'rss'> & { heapTotal: number | null }>;
  gcs: Array<Pick<GcResult, 't' | 'freed' | 'durationMs'>>;
  alerts: Array<Pick<AlertEvent, 't' | 'level' | 'metric'>>;
}

/** A recording re-opened from disk: a `--log-dir` file, a folder of them, or captured `memmon run --json` output. */
export interface Recording {
  /** The path given. */
  source: string;
  processes: ProcessRecording[];
  /** Lines that were not JSON (e.g. program output mixed into a capture) — skipped, counted. */
  skippedLines: number;
  /** Set when a file ends in the middle of a line (a recording cut off): which file and line. */
  cutMidLine?: string | null;
}

/** Longest line read (memmon's own lines are < 10 kB); longer ones are skipped, as non-JSON lines are. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;
/** Plausible ranges: times are epoch milliseconds (±1e300 is corruption), byte counts below 1 PB (1e308 is too). */
const MAX_ABS_TIME_MS = 1e14;
const MAX_BYTES = 1e15;

/** A recording that cannot be used, with a one-line message. */
export class RecordingError extends Error {
  override name = 'RecordingError';
}

/**
 * Loads a recording. Accepts JSONL written by ProcessMonitor (`--log-dir`), the stdout of `memmon run|attach --json`
 * (any number of pids), or a directory (every `memmon-*.jsonl` in it, metric CSVs ignored). Streams the file, so
 * large recordings load without reading them whole; non-JSON lines are skipped. Throws RecordingError when the
 * path cannot be read or holds no samples.
 */
export async function loadRecording(source: string): Promise<Recording> {
  let files: string[];
  try {
    files = statSync(source).isDirectory()
      ? readdirSync(source)
          .filter((n) => /^memmon-(?!metrics-).*\.jsonl$/.test(n))
          .sort()
          .map((n) => path.join(source, n))
      : [source];
  } catch (err) {
    throw new RecordingError(`cannot read recording ${source}: ${describeFsError(err)}`);
  }
  if (!files.length) throw new RecordingError(`no memmon-*.jsonl recordings in directory ${source}`);
  const byPid = new Map<string, ProcessRecording>();
  const proc = (pid: number | null | undefined) => {
    const key = String(pid ?? 'unknown');
    let p = byPid.get(key);
    if (!p) byPid.set(key, (p = { pid: pid ?? null, samples: [], gcs: [], alerts: [] }));
    return p;
  };
  let skippedLines = 0;
  const unassignedAlerts: ProcessRecording['alerts'] = [];
  let cutMidLine: string | null = null;
  for (const file of files) {
    let handle;
    try {
      handle = await openRegularFile(file);
    } catch (err) {
      throw new RecordingError(`cannot read recording ${file}: ${describeFsError(err)}`);
    }
    try {
      for await (const line of readBoundedLines(handle, MAX_LINE_BYTES)) {
        if (line.tooLong) {
          skippedLines++;
          continue;
        }
        if (!line.text.trim()) continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(line.text);
        } catch {
          // Program output mixed into a capture: counted, reported by the caller. A torn last line is a cut recording.
          if (!line.terminated) cutMidLine = `${file} line ${line.number}`;
          skippedLines++;
          continue;
        }
        if (!parsed || typeof parsed !== 'object') continue;
        const r = parsed as Record<string, unknown>;
        checkRanges(r, file, line.number);
        const t = finite(r.t);
        const pid = finite(r.pid);
        const heapUsed = finite(r.heapUsed);
        const freed = finite(r.freed);
        if (r.type === 'sample' && t !== null && heapUsed !== null) {
          proc(pid).samples.push({ t, heapUsed, heapTotal: finite(r.heapTotal), rss: finite(r.rss) });
        } else if (r.type === 'gc' && t !== null && freed !== null) {
          proc(pid).gcs.push({ t, freed, durationMs: finite(r.durationMs) ?? 0 });
        } else if (r.type === 'alert' && t !== null && isAlertLevel(r.level) && isAlertMetric(r.metric)) {
          const a = { t, level: r.level, metric: r.metric };
          if (pid === null) unassignedAlerts.push(a);
          else proc(pid).alerts.push(a);
        }
      }
    } catch (err) {
      if (err instanceof RecordingError) throw err;
      throw new RecordingError(`cannot read recording ${file}: ${describeFsError(err)}`);
    } finally {
      await handle.close();
    }
  }
  const processes = [...byPid.values()].filter((p) => p.samples.length > 0);
  if (!processes.length)
    throw new RecordingError(
      `${source} holds no memory samples: not a memmon recording (memmon --log-dir file or memmon run --json output)`,
    );
  // Alerts without a pid (older recordings) belong to the only process, or to the largest one.
  if (unassignedAlerts.length) largestProcess(processes).alerts.push(...unassignedAlerts);
  for (const p of processes) p.samples.sort((x, y) => x.t - y.t);
  return { source, processes, skippedLines, cutMidLine };
}

/** The process with the highest peak RSS (peak heap when RSS is unknown): the one a comparison looks at. */
export function largestProcess(processes: ProcessRecording[]): ProcessRecording {
  const peak = (p: ProcessRecording) => {
    let m = -Infinity;
    for (const s of p.samples) m = Math.max(m, s.rss ?? s.heapUsed);
    return m;
  };
  return processes.reduce((best, p) => (peak(p) > peak(best) ? p : best));
}

/** Rejects a line whose time or byte counts are absurd (corruption, or a hand-edited file), naming the value. */
function checkRanges(r: Record<string, unknown>, file: string, lineNumber: number): void {
  const bad = (key: string, limit: number, signed: boolean) => {
    const v = r[key];
    return typeof v === 'number' && (!Number.isFinite(v) || Math.abs(v) > limit || (!signed && v < 0));
  };
  const keys: Array<[string, number, boolean]> = [
    ['t', MAX_ABS_TIME_MS, true],
    ['heapUsed', MAX_BYTES, false],
    ['heapTotal', MAX_BYTES, false],
    ['rss', MAX_BYTES, false],
    ['external', MAX_BYTES, false],
    ['freed', MAX_BYTES, true],
  ];
  for (const [key, limit, signed] of keys) {
    if (bad(key, limit, signed))
      throw new RecordingError(
        `${file} line ${lineNumber}: ${key} = ${String(r[key])} is out of range (corrupt recording)`,
      );
  }
}

function finite(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function isAlertLevel(v: unknown): v is AlertEvent['level'] {
  return v === 'warning' || v === 'critical' || v === 'emergency' || v === 'leak';
}

function isAlertMetric(v: unknown): v is AlertEvent['metric'] {
  return v === 'heap' || v === 'rss' || v === 'external' || v === 'dom';
}

function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return 'no such file or directory';
  if (e.code === 'EACCES') return 'permission denied';
  if (e.code === 'EISDIR') return 'is a directory';
  if (err instanceof NotRegularFileError) return err.message;
  return (e.message ?? String(err)).split('\n')[0];
}
