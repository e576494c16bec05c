import { abortableSleep } from '../clock';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { captureHeapSnapshot } from '../heap/capture/capture';
import { loadHeapSnapshot } from '../heap/index';
import type { InspectorConnection } from '../inspector/connection';
import { evaluateValue } from '../inspector/evaluate';
import { detachedDomRetainers } from './detachedDomRetainers';
import { findGrowingHolders, type GrowingHolder } from './growingHolders';
import { findRetainingLine } from './retainingLine';
import { ScriptSources } from './scriptSources';
import type { LeakRetainer } from './types';

/** Result of one probe: the retainers, and what the two snapshots cost the debuggee. */
export interface RetainerProbeResult {
  retainers: LeakRetainer[];
  /** Capture time of each snapshot (ms): an upper bound of the pause V8 takes to serialize the heap. */
  pausesMs: number[];
  heapUsedBytes: number | null;
  /** With `detachedDom`: the JavaScript keeping detached DOM nodes (a `dom` verdict's retainers). */
  detachedDom?: LeakRetainer[];
}

export interface RetainerProbeOptions {
  /** Time between the two snapshots (default 3 s). */
  gapMs?: number;
  /** Files to search for the holder's name when the snapshot does not say which script owns it (allocation sites). */
  candidateFiles?: string[];
  /** js-debug proxy handling for the captures (see captureHeapSnapshot); the editor passes false (already subscribed). */
  proxy?: boolean | 'auto';
  signal?: AbortSignal;
  /** A browser page: also group the later snapshot's detached DOM nodes by the JavaScript that keeps them. */
  detachedDom?: boolean;
}

/**
 * Snapshot cost per MB of heap when nothing was measured yet: capture took 125–160 ms/MB for 50–140 MB heaps of
 * small objects (the densest case) on a shared 2026 CI-class machine; heaps of larger objects serialize faster.
 */
export const DEFAULT_SNAPSHOT_MS_PER_MB = 120;

/**
 * The expected pause of one heap snapshot of `heapBytes`: scaled from the snapshots measured in this run (the
 * slowest ms/MB seen), else DEFAULT_SNAPSHOT_MS_PER_MB.
 */
export function estimateSnapshotPauseMs(
  heapBytes: number,
  measured: ReadonlyArray<{ heapBytes: number; pauseMs: number }> = [],
): number {
  const rates = measured.filter((m) => m.heapBytes > 0 && m.pauseMs >= 0).map((m) => m.pauseMs / (m.heapBytes / 1e6));
  const msPerMb = rates.length ? Math.max(...rates) : DEFAULT_SNAPSHOT_MS_PER_MB;
  return Math.round((heapBytes / 1e6) * msPerMb);
}

/**
 * The page's URL, then its own scripts (`<script src>` on its origin, at most 20): where the adding line of a holder
 * is searched when the snapshot does not say. Third-party scripts are left out; so are modules only imported.
 */
const PAGE_SCRIPTS = `[location.href, ...Array.from(document.scripts, (s) => s.src)
  .filter((u) => u.startsWith(location.origin + '/')).slice(0, 20)]`;

const LISTENERS_FN =
  'function(e){try{const l=this[e];return [typeof l==="function"?1:Array.isArray(l)?l.length:0,Date.now()]}catch{return null}}';
const COUNT_FN =
  'function(){try{const n=this instanceof Map||this instanceof Set?this.size:Array.isArray(this)?this.length:Object.keys(this).length;return [n,Date.now()]}catch{return null}}';

/**
 * Takes two small heap snapshots `gapMs` apart, compares them by node id (findGrowingHolders) and names each
 * growing holder with its path, kind, entry count and growth, retained bytes and the line that adds to it.
 */
export async function probeRetainers(
  conn: InspectorConnection,
  sources: ScriptSources,
  options: RetainerProbeOptions = {},
): Promise<RetainerProbeResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'memmon-retainers-'));
  const files = [path.join(dir, 'a.heapsnapshot'), path.join(dir, 'b.heapsnapshot')];
  try {
    const capture = { signal: options.signal, reportProgress: false, proxy: options.proxy, waitIfBusy: true };
    // The program is paused while a snapshot is written: the first shows it as it resumes, the second as it stops.
    const first = await captureHeapSnapshot(conn, files[0], capture);
    const t0 = Date.now();
    await abortableSleep(options.gapMs ?? 3000, options.signal);
    const t1 = Date.now();
    const second = await captureHeapSnapshot(conn, files[1], capture);
    const resumed = Date.now();
    const dtSec = Math.max(0.001, (t1 - t0) / 1000);
    const before = await loadHeapSnapshot(files[0], { signal: options.signal });
    const after = await loadHeapSnapshot(files[1], { signal: options.signal });
    const holders = findGrowingHolders(before, after);
    const candidates = [...(options.candidateFiles ?? [])];
    if (options.detachedDom) {
      // A page's scripts are served, not on disk; inline ones belong to the page's URL (its HTML has their lines).
      const urls = await evaluateValue(conn, PAGE_SCRIPTS).catch(() => undefined);
      if (Array.isArray(urls)) candidates.push(...urls.filter((u): u is string => typeof u === 'string'));
      await sources.fetchRemote(candidates);
    }
    const retainers: LeakRetainer[] = [];
    // Growth of countable holders from two live reads 1 s apart, timed by the debuggee's own clock: the snapshots'
    // timing overstates it when a capture reaches us well after the program resumed (js-debug's proxy buffers a
    // 40 MB snapshot for seconds: 762 entries/s were reported for a Map growing by 300/s).
    const firstReads = new Map<number, LiveCount>();
    for (const h of holders)
      if (h.countLive) {
        const r = await liveCount(conn, h.id, h.eventsOf);
        if (r) firstReads.set(h.id, r);
      }
    if (firstReads.size) await abortableSleep(1000, options.signal);
    for (const h of holders)
      retainers.push(await toRetainer(conn, sources, h, { dtSec, resumed, first: firstReads.get(h.id) }, candidates));
    const detachedDom = options.detachedDom
      ? detachedDomRetainers(before, after, dtSec, sources, candidates)
      : undefined;
    return {
      retainers,
      pausesMs: [first.durationMs, second.durationMs],
      heapUsedBytes: second.heapUsed,
      ...(detachedDom && { detachedDom }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function toRetainer(
  conn: InspectorConnection,
  sources: ScriptSources,
  h: GrowingHolder,
  time: { dtSec: number; resumed: number; first?: LiveCount },
  candidates: string[],
): Promise<LeakRetainer> {
  const { dtSec } = time;
  // Timers, promise reactions, closure chains and Node's internal queues have no count to read from the live holder.
  const read = h.countLive ? await liveCount(conn, h.id, h.eventsOf) : null;
  const live = read?.count ?? null;
  // Snapshot slots over-count some holders (a Map's key and value): scale the slot growth to the real count. The
  // live count is read seconds after the second snapshot, once both are parsed: it has grown since, at the rate seen.
  const slotsPerSec = (h.entriesAfter - h.entriesBefore) / dtSec;
  const slotsNow = h.entriesAfter + Math.max(0, slotsPerSec) * ((Date.now() - time.resumed) / 1000);
  const scale = live !== null && slotsNow > 0 ? live / slotsNow : 1;
  // Two live reads on the debuggee's clock give the rate exactly; the snapshots' slot growth is the fallback.
  const first = time.first;
  const measured =
    read && first && read.at - first.at >= 200 ? ((read.count - first.count) * 1000) / (read.at - first.at) : null;
  // A promise's reactions are not countable from outside: report its bytes only.
  const countable = h.kind !== 'promise';
  const count = countable ? (live ?? h.entriesAfter) : null;
  const growth = countable ? (measured ?? slotsPerSec * scale) : null;
  const where = locate(sources, h, candidates);
  return {
    path: h.path,
    kind: h.kind,
    file: where?.file ?? null,
    line: where?.line ?? null,
    count,
    countGrowthPerSec: growth === null ? null : Math.round(growth * 100) / 100,
    retainedBytes: h.retainedBytes,
    ...(h.entryClass ? { keeps: constructorOf(sources, h.entryClass) } : {}),
  };
}

/** The kept class and its constructor position, source-mapped. */
function constructorOf(
  sources: ScriptSources,
  c: NonNullable<GrowingHolder['entryClass']>,
): NonNullable<LeakRetainer['keeps']> {
  const at = c.constructor;
  const script = at ? sources.script(at.script) : null;
  if (!at || !script) return { className: c.name, file: null, line: null };
  const original = sources.original(script, at.line + 1, at.column);
  return original
    ? { className: c.name, file: original.file, line: original.line }
    : { className: c.name, file: script.file, line: at.line + 1 };
}

/** The holder's entry count, read from the live object (null when it is gone or cannot be read). */
/** A live entry count and the debuggee's `Date.now()` when it was read. */
interface LiveCount {
  count: number;
  at: number;
}

async function liveCount(
  conn: InspectorConnection,
  id: number,
  eventsOf: string | null = null,
): Promise<LiveCount | null> {
  try {
    const { result } = await conn.send('HeapProfiler.getObjectByHeapObjectId', {
      objectId: String(id),
      objectGroup: 'memmon-retainers',
    });
    if (!result.objectId) return null;
    const r = await conn.send('Runtime.callFunctionOn', {
      objectId: result.objectId,
      // An emitter's `_events`: the listeners of the event, not the object's keys.
      functionDeclaration: eventsOf === null ? COUNT_FN : LISTENERS_FN,
      ...(eventsOf !== null && { arguments: [{ value: eventsOf }] }),
      returnByValue: true,
      silent: true,
    });
    void conn.send('Runtime.releaseObjectGroup', { objectGroup: 'memmon-retainers' }).catch(() => undefined);
    const [count, at]: unknown[] = Array.isArray(r.result.value) ? (r.result.value as unknown[]) : [];
    return typeof count === 'number' && typeof at === 'number' ? { count, at } : null;
  } catch {
    return null; // collected since the snapshot, or an engine without the call: the snapshot's count stands
  }
}

/** The adding (else declaring) line, searched in the owning script, then the callback's, then the candidates. */
function locate(sources: ScriptSources, h: GrowingHolder, candidates: string[]): { file: string; line: number } | null {
  const fn = h.entryFunction;
  const scripts = [h.ownerScript, fn?.script, h.entryClass?.constructor?.script, ...candidates].filter(
    (s, i, all): s is string => !!s && all.indexOf(s) === i,
  );
  let fallback: { file: string; line: number } | null = null;
  for (const url of scripts) {
    const script = sources.script(url);
    if (!script) continue;
    const callbackLine = fn && fn.script === url ? fn.line : undefined;
    const hit = findRetainingLine(script.text, { ...h, callbackLine }, callbackLine);
    if (!hit) continue;
    const original = sources.original(script, hit.line + 1, hit.column);
    const at = original ? { file: original.file, line: original.line } : { file: script.file, line: hit.line + 1 };
    if (hit.how === 'adds') return at;
    fallback ??= at;
  }
  return fallback;
}
