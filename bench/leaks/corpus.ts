import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InspectorConnection } from '../../src/core/inspector/connection';
import { LeakMonitor, LeakOverhead, ProfilerState, type RetainerProbeStatus } from '../../src/core/leak/leakMonitor';
import type { LeakReportLine, LeakSensitivity } from '../../src/core/leak/types';
import { launchInspected } from './debuggee';

export const CORPUS_DIR = path.resolve(__dirname, '../../test/fixtures/leaks');

export interface CorpusEntry {
  program: string;
  leaks: boolean;
  metric?: 'heap' | 'external' | 'rss';
  approxRateKBps?: number;
  description: string;
  site?: { file: string; line: number };
  acceptLines?: number[];
  /** The holder that keeps the leaked objects: path as memmon names it (null: not scored by path) and its adding line. */
  retainer?: { path: string | null; kind: string; file: string; line: number };
}

/** The corpus manifest (test/fixtures/leaks/manifest.json). */
export function loadCorpus(): CorpusEntry[] {
  return JSON.parse(readFileSync(path.join(CORPUS_DIR, 'manifest.json'), 'utf8')).programs;
}

export interface FixtureRun {
  entry: CorpusEntry;
  /** Seconds from attach to the first `leak` line, or null. */
  detectedAfterSec: number | null;
  first?: LeakReportLine;
  last?: LeakReportLine;
  /** Whether the top site of the final leak line is the manifest's leaking line. */
  topSiteCorrect: boolean | null;
  /** Same for the first leak line (sites may still be sparse then). */
  firstTopSiteCorrect: boolean | null;
  /** Whether the final leak line's top retainer is the manifest's holder: path and line (null: nothing to score). */
  topRetainerCorrect: boolean | null;
  /** Seconds from attach to the first `leak` line that named retainers, or null. */
  retainersAfterSec: number | null;
  /** Where the retainer search stood when the run stopped (over-limit: offered, not taken). */
  retainerSearch: RetainerProbeStatus;
  overhead: LeakOverhead;
  profiler: ProfilerState;
  durationSec: number;
  /** Seconds to the first flag of node-memwatch's rule (heap grew over 5 consecutive GCs) on the same baselines. */
  memwatchRuleSec: number | null;
}

/** node-memwatch's `leak` rule replayed on post-GC baselines: growth across five consecutive collections. */
export function memwatchRule(points: ReadonlyArray<{ t: number; v: number }>, startedAt: number): number | null {
  let run = 0;
  for (let i = 1; i < points.length; i++) {
    run = points[i]!.v > points[i - 1]!.v ? run + 1 : 0;
    if (run >= 5) return (points[i]!.t - startedAt) / 1000;
  }
  return null;
}

/** True when a reported site is the manifest's leaking line (or the line registering its retainer). */
export function siteMatches(entry: CorpusEntry, line: LeakReportLine | undefined): boolean | null {
  if (!entry.leaks || !entry.site) return null;
  const top = line?.sites[0];
  if (!top) return false;
  return (
    path.resolve(CORPUS_DIR, entry.site.file) === top.file &&
    (entry.acceptLines ?? [entry.site.line]).includes(top.line)
  );
}

/** True when the top retainer of a leak line is the manifest's holder: same path (when given), file and line. */
export function retainerMatches(entry: CorpusEntry, line: LeakReportLine | undefined): boolean | null {
  if (!entry.leaks || !entry.retainer) return null;
  const top = line?.retainers[0];
  if (!top) return false;
  const want = entry.retainer;
  return (
    (want.path === null || top.path === want.path) &&
    top.file === path.resolve(CORPUS_DIR, want.file) &&
    top.line === want.line
  );
}

/**
 * Runs one corpus program under the LeakMonitor until the first verdict plus `afterDetectSec`
 * (leaky programs) or for `maxSec` (healthy ones, or leaks never found).
 */
export async function runFixture(
  entry: CorpusEntry,
  opts: { maxSec: number; sensitivity?: LeakSensitivity; afterDetectSec?: number },
): Promise<FixtureRun> {
  const proc = await launchInspected(path.join(CORPUS_DIR, entry.program));
  const conn = await InspectorConnection.connect(proc.wsUrl);
  const monitor = new LeakMonitor(conn, { sensitivity: opts.sensitivity ?? 'normal', pid: proc.pid });
  const started = Date.now();
  let first: LeakReportLine | undefined;
  let last: LeakReportLine | undefined;
  let detectedAfterSec: number | null = null;
  let retainersAfterSec: number | null = null;
  let retainerSearch: RetainerProbeStatus | undefined;
  monitor.on('error', () => undefined);
  try {
    await monitor.start();
    await new Promise<void>((resolve) => {
      const deadline = setTimeout(resolve, opts.maxSec * 1000);
      monitor.on('leak', (line: LeakReportLine) => {
        last = line;
        if (line.retainers.length && retainersAfterSec === null) retainersAfterSec = (Date.now() - started) / 1000;
        if (first) return;
        first = line;
        detectedAfterSec = (Date.now() - started) / 1000;
        clearTimeout(deadline);
        setTimeout(resolve, (opts.afterDetectSec ?? 0) * 1000);
      });
    });
    // A retainer probe still running gets up to 60 s more: the bench scores the retainers a verdict ends up with (the
    // 5 MB/s leak's two snapshots of 150–250 MB of small objects take V8 13–17 s each with a CPU hog; the delay after
    // the verdict is reported, median and longest).
    for (let waited = 0; monitor.retainerStatus().state === 'running' && waited < 60_000; waited += 250)
      await new Promise((r) => setTimeout(r, 250));
    retainerSearch = monitor.retainerStatus();
  } finally {
    await monitor.dispose();
    await conn.close();
    await proc.kill();
  }
  return {
    entry,
    detectedAfterSec,
    first,
    last,
    topSiteCorrect: siteMatches(entry, last),
    firstTopSiteCorrect: siteMatches(entry, first),
    topRetainerCorrect: retainerMatches(entry, last),
    retainersAfterSec,
    retainerSearch: retainerSearch ?? monitor.retainerStatus(),
    overhead: monitor.overhead(),
    profiler: monitor.profilerState,
    durationSec: (Date.now() - started) / 1000,
    memwatchRuleSec: memwatchRule(monitor.detector.points('heap'), started),
  };
}
