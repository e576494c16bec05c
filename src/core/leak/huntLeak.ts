import { abortableSleep } from '../clock';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensurePrivateDir } from '../recording/outputFile';
import { captureHeapSnapshot } from '../heap/capture/capture';
import { diffSnapshots, findLeaks, loadHeapSnapshot } from '../heap/index';
import type { InspectorConnection } from '../inspector/connection';
import { effectiveMinCount, rankHuntClasses, rankHuntGroups } from './huntRanking';

/** Groups the in-thread comparison hands to the ranking (the snapshot engine keeps 200 by retained size). */
const HUNT_MAX_GROUPS = 20_000;

/** What a hunt does when not told otherwise (the CLI's and the editor's defaults). */
export const HUNT_DEFAULTS = {
  repeat: 10,
  intervalSec: 15,
  settleSec: 5,
  minCount: 10,
  minSurvival: 0.9,
} as const;

export interface HuntOptions {
  /** Work to repeat between baseline and target: a JavaScript expression evaluated in the debuggee (awaited). */
  action?: string;
  /** How many times to run the action (HUNT_DEFAULTS). */
  repeat?: number;
  /** Without an action: seconds to let the program run between baseline and target (HUNT_DEFAULTS). */
  intervalSec?: number;
  /** Seconds between target and final, so in-flight objects can finish (HUNT_DEFAULTS). */
  settleSec?: number;
  /** Keep the three snapshots in this folder (default: a temporary folder, deleted afterwards). */
  keepDir?: string;
  /**
   * Leak groups smaller than this many objects are not reported (HUNT_DEFAULTS); with an action, at most one object
   * per repetition is required (see effectiveMinCount).
   */
  minCount?: number;
  /**
   * Share of a class's objects allocated between baseline and target that must still be alive in the final
   * snapshot (HUNT_DEFAULTS). A leak keeps them all; a bounded cache or queue replaces most of them. Applies when
   * the comparison reports `addedByClass`.
   */
  minSurvival?: number;
  onPhase?: (message: string) => void;
  signal?: AbortSignal;
  /** js-debug proxy handling for the captures (see captureHeapSnapshot); the editor passes false (already subscribed). */
  proxy?: boolean | 'auto';
  /** Runs the three-snapshot comparison elsewhere (the editor uses its analysis worker); default: in this thread. */
  compare?: (
    files: { baseline: string; target: string; final: string },
    signal?: AbortSignal,
  ) => Promise<HuntComparison>;
}

/** What the three-snapshot comparison must return (a subset of findLeaks' report). */
export interface HuntComparison {
  byClass: Array<{ name: string; key?: string; count: number; selfSize: number; retainedSize: number }>;
  groups: Array<{ name: string; key?: string; count: number; retainedSize: number; retainerPath: string[] }>;
  /** Objects per class key allocated between baseline and target (diffSnapshots(baseline, target) addedCount). */
  addedByClass?: Record<string, number>;
}

/** Result of a hunt: plain data for JSON output, the report panel and the `hunt` JSON line. */
export interface HuntResult {
  snapshots: { baseline: string; target: string; final: string } | null;
  leakedCount: number;
  leakedRetainedSize: number;
  /**
   * `survival` (when known): share of the class's objects allocated between baseline and target still alive at the
   * end. `perRepetition` (with an action): objects per run of it. `discounted`: why the runtime's own buffers
   * (not the program) explain it; discounted classes and groups are listed after the others.
   */
  classes: Array<{
    name: string;
    count: number;
    selfSize: number;
    retainedSize: number;
    survival?: number;
    perRepetition?: number;
    discounted?: string;
  }>;
  /** Ranked: the program's holders first, by objects added per repetition of the action, then by retained size. */
  groups: Array<{
    name: string;
    count: number;
    retainedSize: number;
    retainerPath: string[];
    perRepetition?: number;
    discounted?: string;
  }>;
}

/**
 * Hunt Leak: baseline → (repeated work or time) → target → final snapshots, each after a full GC, compared with
 * the heap engine's three-snapshot method (allocated after baseline, present in target, still alive in final).
 */
export async function huntLeak(conn: InspectorConnection, options: HuntOptions = {}): Promise<HuntResult> {
  const dir = options.keepDir ? path.resolve(options.keepDir) : mkdtempSync(path.join(os.tmpdir(), 'memmon-hunt-'));
  if (options.keepDir) ensurePrivateDir(dir);
  const say = options.onPhase ?? (() => undefined);
  const files = {
    baseline: path.join(dir, 'baseline.heapsnapshot'),
    target: path.join(dir, 'target.heapsnapshot'),
    final: path.join(dir, 'final.heapsnapshot'),
  };
  try {
    const snap = async (which: keyof typeof files) => {
      await conn.send('HeapProfiler.collectGarbage', {}, 60_000);
      say(`taking ${which} snapshot…`);
      await captureHeapSnapshot(conn, files[which], { signal: options.signal, proxy: options.proxy, waitIfBusy: true });
    };
    const runAction = async (action: string, repetition?: string) => {
      options.signal?.throwIfAborted();
      const r = await conn.send(
        'Runtime.evaluate',
        { expression: action, awaitPromise: true, silent: true, includeCommandLineAPI: true },
        60_000,
      );
      if (r?.exceptionDetails)
        throw new Error(
          `the action threw${repetition ? ` on ${repetition}` : ''}: ${await describeException(conn, r.exceptionDetails)}`,
        );
    };
    // One run before the baseline: what the first call loads once (modules, connection pools, compiled code) is
    // then not mistaken for what every call keeps.
    if (options.action) {
      say('running the action once to warm up…');
      await runAction(options.action);
    }
    await snap('baseline');
    if (options.action) {
      const n = options.repeat ?? HUNT_DEFAULTS.repeat;
      say(`running the action ${n} times…`);
      for (let i = 0; i < n; i++) await runAction(options.action, `repetition ${i + 1} of ${n}`);
    } else {
      const intervalSec = options.intervalSec ?? HUNT_DEFAULTS.intervalSec;
      say(`letting the program run for ${intervalSec} s…`);
      await abortableSleep(intervalSec * 1000, options.signal);
    }
    await snap('target');
    await abortableSleep((options.settleSec ?? HUNT_DEFAULTS.settleSec) * 1000, options.signal);
    await snap('final');
    say('comparing snapshots…');
    const report = options.compare ? await options.compare(files, options.signal) : await compareInThread(files);
    const repeat = options.action ? (options.repeat ?? HUNT_DEFAULTS.repeat) : null;
    const minCount = effectiveMinCount(options.minCount ?? HUNT_DEFAULTS.minCount, repeat);
    const minSurvival = options.minSurvival ?? HUNT_DEFAULTS.minSurvival;
    const added = report.addedByClass;
    const survival = (c: { key?: string; count: number }) =>
      added && c.key && added[c.key] ? Math.min(1, c.count / added[c.key]) : undefined;
    const kept = report.byClass.filter((c) => c.count >= minCount && (survival(c) ?? 1) >= minSurvival);
    const leakyKeys = new Set(kept.map((c) => c.key));
    const groups = rankHuntGroups(
      report.groups.filter((g) => g.count >= minCount && (!added || !g.key || leakyKeys.has(g.key))),
      repeat,
    );
    const classes = rankHuntClasses(kept, groups, repeat);
    return {
      snapshots: options.keepDir ? files : null,
      leakedCount: groups.reduce((n, g) => n + g.count, 0),
      leakedRetainedSize: groups.reduce((n, g) => n + g.retainedSize, 0),
      classes: classes.slice(0, 20).map((c) => {
        const share = survival(c);
        return {
          name: c.name,
          count: c.count,
          selfSize: c.selfSize,
          retainedSize: c.retainedSize,
          ...(share !== undefined ? { survival: Math.round(share * 1000) / 1000 } : {}),
          ...(c.perRepetition !== undefined ? { perRepetition: c.perRepetition } : {}),
          ...(c.discounted ? { discounted: c.discounted } : {}),
        };
      }),
      groups: groups.slice(0, 10).map((g) => ({
        name: g.name,
        count: g.count,
        retainedSize: g.retainedSize,
        retainerPath: g.retainerPath,
        ...(g.perRepetition !== undefined ? { perRepetition: g.perRepetition } : {}),
        ...(g.discounted ? { discounted: g.discounted } : {}),
      })),
    };
  } finally {
    if (!options.keepDir) rmSync(dir, { recursive: true, force: true });
  }
}

async function compareInThread(files: { baseline: string; target: string; final: string }): Promise<HuntComparison> {
  const [b, t, f] = [
    await loadHeapSnapshot(files.baseline),
    await loadHeapSnapshot(files.target),
    await loadHeapSnapshot(files.final),
  ];
  const addedByClass = Object.fromEntries(diffSnapshots(b, t).classes.map((c) => [c.key, c.addedCount]));
  // Every group: the ranking per repetition must see small holders that retain little (one object per call).
  return { ...findLeaks(b, t, f, HUNT_MAX_GROUPS), addedByClass };
}

/**
 * One line for an exception thrown in the debuggee: its description's first line, or — for a thrown object whose
 * description is only its class (a DOMException from an aborted fetch says just "DOMException") — its name and message.
 */
async function describeException(
  conn: InspectorConnection,
  details: { text: string; exception?: { description?: string; objectId?: string } },
): Promise<string> {
  const first = String(details.exception?.description ?? details.text).split('\n')[0];
  const objectId = details.exception?.objectId;
  if (!objectId || first.includes(':')) return first;
  const r = await conn
    .send(
      'Runtime.callFunctionOn',
      {
        objectId,
        functionDeclaration: 'function () { return [this.name, this.message].filter(Boolean).join(": "); }',
        returnByValue: true,
        silent: true,
      },
      5000,
    )
    .catch(() => undefined);
  const named = typeof r?.result?.value === 'string' ? r.result.value : '';
  return named && !first.includes(named) ? `${first} (${named})` : first;
}
