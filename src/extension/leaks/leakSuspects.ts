// Pure model of the leak report: merges the core's allocation sites into ranked suspects (one per source line)
// and decides when inline flags need an update. No vscode import.
import type { HuntResult } from '../../core/leak/huntLeak';
import { toRetainerJson } from '../../core/leak/leakReport';
import { formatForecast, type LeakForecast } from '../../core/leak/forecast';
import type { LeakRetainer, LeakSite, LeakVerdict, LeakVerdictState } from '../../core/leak/types';
import type { ClearedVerdict } from '../../core/leak/verdictState';
import type {
  LeakClearedView,
  LeakFrameView,
  LeakHuntView,
  LeakRetainerView,
  LeakSuspectView,
  LeakVerdictView,
} from '../../shared/leakProtocol';

/** Suspects growing slower than this share of the top one are listed in the report but get no inline flag. */
export const FLAG_SHARE = 0.1;
/** …and never below this absolute growth (bytes/s). */
export const FLAG_MIN_RATE = 512;

const METRIC_ORDER = { heap: 0, external: 1, rss: 2, dom: 3 } as const;

/** True for names that look like a class constructor (`Order`, `LeakyOrderRecord`). */
export function looksLikeClass(name: string): boolean {
  return /^[A-Z][A-Za-z0-9_$]*$/.test(name);
}

/**
 * Ranks suspects: sites on the same file and line are merged (a constructor and the closures it creates, or one
 * site seen by several verdicts), their growth and live bytes added; fastest growth first.
 * The verdict shown with a suspect is the strongest one (heap before external before RSS on ties).
 */
export function buildSuspects(
  verdicts: readonly LeakVerdict[],
  sites: readonly LeakSite[],
  hunt: { classes: ReadonlyArray<{ name: string }> } | null = null,
): LeakSuspectView[] {
  if (!verdicts.length) return [];
  // A `dom` rate counts nodes, not bytes: it leads only when no memory verdict stands.
  const memory = verdicts.filter((v) => v.metric !== 'dom');
  const verdict = [...(memory.length ? memory : verdicts)].sort(
    (a, b) => b.rateBytesPerSec - a.rateBytesPerSec || METRIC_ORDER[a.metric] - METRIC_ORDER[b.metric],
  )[0];
  const leakedClasses = new Set((hunt?.classes ?? []).map((c) => c.name));
  const byLine = new Map<string, { sites: LeakSite[] }>();
  for (const s of sites) {
    if (!(s.growthBytesPerSec > 0)) continue;
    const key = `${s.file}:${s.line}`;
    const entry = byLine.get(key) ?? { sites: [] };
    if (!entry.sites.some((o) => o.column === s.column && o.function === s.function)) entry.sites.push(s);
    byLine.set(key, entry);
  }
  const suspects: LeakSuspectView[] = [];
  for (const [key, { sites: group }] of byLine) {
    group.sort((a, b) => b.growthBytesPerSec - a.growthBytesPerSec);
    const top = group[0];
    const named = group.find((s) => leakedClasses.has(s.function)) ?? group.find((s) => looksLikeClass(s.function));
    suspects.push({
      key,
      rank: 0,
      file: top.file,
      line: top.line,
      column: Math.min(...group.map((s) => s.column)),
      function: named?.function ?? group.find((s) => s.function !== '(anonymous)')?.function ?? top.function,
      className: named ? named.function : null,
      liveBytes: group.reduce((n, s) => n + s.liveBytes, 0),
      growthBytesPerSec: group.reduce((n, s) => n + s.growthBytesPerSec, 0),
      confidence: verdict.confidence,
      metric: verdict.metric,
      since: verdict.since,
      lineSource: group.some((s) => s.lineSource !== 'function') ? 'allocation' : 'function',
      stack: stackOf(group),
    });
  }
  suspects.sort(
    (a, b) => b.growthBytesPerSec - a.growthBytesPerSec || b.liveBytes - a.liveBytes || a.key.localeCompare(b.key),
  );
  suspects.forEach((s, i) => (s.rank = i + 1));
  return suspects;
}

/** The frames shown as a suspect's allocation stack: each merged site, and its compiled position when source-mapped. */
function stackOf(group: readonly LeakSite[]): LeakFrameView[] {
  const frames: LeakFrameView[] = [];
  for (const s of group) {
    const note = s.lineSource === 'function' ? 'first line of the allocating function' : 'allocating line';
    frames.push({ function: s.function, file: s.file, line: s.line, column: s.column, note });
    if (s.generated && (s.generated.url !== s.file || s.generated.line !== s.line)) {
      frames.push({
        function: s.function,
        file: s.generated.url,
        line: s.generated.line,
        column: s.generated.column,
        note: 'compiled JavaScript',
      });
    }
  }
  return frames;
}

/** The suspects that get an inline flag: the top one, and others growing at least FLAG_SHARE as fast. */
export function flaggedSuspects(suspects: readonly LeakSuspectView[]): LeakSuspectView[] {
  const top = suspects[0]?.growthBytesPerSec ?? 0;
  return suspects.filter((s, i) => i === 0 || s.growthBytesPerSec >= Math.max(FLAG_MIN_RATE, top * FLAG_SHARE));
}

/**
 * True when two flag sets would look the same to the user: the same lines in the same order and no rate moved by
 * more than a fifth. Flags are only redrawn when this is false, so they do not flicker at every baseline.
 */
export function sameFlags(prev: readonly LeakSuspectView[], next: readonly LeakSuspectView[]): boolean {
  if (prev.length !== next.length) return false;
  return prev.every((p, i) => {
    const n = next[i];
    return (
      p.key === n.key &&
      p.className === n.className &&
      Math.abs(n.growthBytesPerSec - p.growthBytesPerSec) <= 0.2 * p.growthBytesPerSec
    );
  });
}

/** At most this many retaining lines get a "keeps" flag. */
export const MAX_RETAINER_FLAGS = 3;

/** Plain-data, ranked view of the core's retainers (most responsible first, as the core ranks them). */
export function toRetainerViews(retainers: readonly LeakRetainer[]): LeakRetainerView[] {
  return retainers.map((r, i) => ({
    key: `${r.path}@${r.file ?? ''}:${r.line ?? ''}`,
    rank: i + 1,
    ...toRetainerJson(r),
    // Only real class names: shape names such as `{sku}` would read as nonsense in "keeps leaked … objects".
    keepsClass: r.keeps && looksLikeClass(r.keeps.className) ? r.keeps.className : null,
    keepsConstructor:
      r.keeps?.file && r.keeps.line && looksLikeClass(r.keeps.className)
        ? { file: r.keeps.file, line: r.keeps.line }
        : null,
  }));
}

/** A retainer whose line is known in a file on this machine. */
export type LocatedRetainer = LeakRetainerView & { file: string; line: number };

/**
 * The retainers that get a "keeps" flag: those whose line is known in an absolute file, one per line (the most
 * responsible), at most MAX_RETAINER_FLAGS.
 */
export function flaggedRetainers(
  retainers: readonly LeakRetainerView[],
  isAbsolute: (file: string) => boolean,
): LocatedRetainer[] {
  const seen = new Set<string>();
  const out: LocatedRetainer[] = [];
  for (const r of retainers) {
    if (!r.file || !r.line || r.line < 1 || !isAbsolute(r.file)) continue;
    const at = `${r.file}:${r.line}`;
    if (seen.has(at)) continue;
    seen.add(at);
    out.push(r as LocatedRetainer);
    if (out.length === MAX_RETAINER_FLAGS) break;
  }
  return out;
}

/** True when two sets of "keeps" flags would look the same: same holders and lines, no growth moved by over a fifth. */
export function sameRetainerFlags(prev: readonly LeakRetainerView[], next: readonly LeakRetainerView[]): boolean {
  if (prev.length !== next.length) return false;
  return prev.every((p, i) => {
    const n = next[i];
    const pg = p.countGrowthPerSec ?? 0;
    const ng = n.countGrowthPerSec ?? 0;
    return p.key === n.key && p.keepsClass === n.keepsClass && Math.abs(ng - pg) <= 0.2 * Math.abs(pg);
  });
}

/** What the report shows of a verdict's standing: its state and the core's forecast (none before its first line). */
export interface VerdictStanding {
  state: LeakVerdictState;
  forecast: LeakForecast | null;
  /** The thresholds the forecast counts down to (bytes), for its wording. */
  thresholds: { criticalBytes: number; emergencyBytes: number };
}

/** Plain-data view of a standing verdict: the growth chart's points, its state and forecast (worded once, by the core). */
export function toVerdictView(v: LeakVerdict, standing: VerdictStanding): LeakVerdictView {
  return {
    metric: v.metric,
    rateBytesPerSec: v.rateBytesPerSec,
    confidence: v.confidence,
    since: v.since,
    t: v.t,
    baselineBytes: v.baselineBytes,
    points: v.evidence.points,
    state: standing.state,
    forecast: standing.forecast && { ...standing.forecast },
    forecastText: standing.forecast ? formatForecast(standing.forecast, standing.thresholds) : '',
  };
}

/** Plain-data view of a withdrawn verdict. */
export function toClearedView(c: ClearedVerdict): LeakClearedView {
  return {
    metric: c.metric,
    t: c.t,
    reason: c.reason,
    state: c.state,
    rateBytesPerSec: c.verdict.rateBytesPerSec,
    since: c.verdict.since,
  };
}

/** Plain-data view of a hunt result. */
export function toHuntView(h: HuntResult, t: number): LeakHuntView {
  return {
    t,
    leakedCount: h.leakedCount,
    leakedRetainedSize: h.leakedRetainedSize,
    classes: h.classes,
    groups: h.groups,
  };
}
