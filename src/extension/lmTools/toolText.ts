// Plain text the language-model tools answer with. No vscode import: unit tested on its own.
// Names (sessions, classes, functions, files, retainer paths) come from the debuggee and are untrusted: they are only
// ever plain text here (control characters escaped, long names shortened), never Markdown or links.
import { escapeTerminal, formatBytes, formatRate } from '../../core/format';
import { formatClassTable, formatStatistics } from '../../core/heap/query/heapReport';
import type { HeapStatistics } from '../../core/heap/query/statistics';
import type { ClassSummaryRow } from '../../core/heap/types';
import { PANEL_METRICS } from '../../core/metrics/memoryMetrics';
import type { Trend } from '../../core/sampling/trend';
import type { GcResult } from '../../core/types';
import type { LeakMetricName, LeakReportView } from '../../shared/leakProtocol';
import type { AlertLevelName, SampleView, SnapshotInfoView } from '../../shared/protocol';
import { forecastSentence, leakMetricText } from '../../shared/verdictText';
import { clearedText } from '../leaks/leakText';

/** Every answer stays below this many characters (a model's context is precious); longer text is cut with a note. */
export const MAX_TOOL_TEXT = 16_000;

/** Cuts `text` to `max` characters at a line break, saying so. */
export function bounded(text: string, max = MAX_TOOL_TEXT): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf('\n', max - 80);
  return `${text.slice(0, cut > 0 ? cut : max - 80)}\n… (cut at ${max} characters; ask for fewer rows)`;
}

/** An untrusted name as one short line of plain text. */
export function plain(name: string, max = 120): string {
  const safe = escapeTerminal(name).replace(/[\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, ' ');
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}

/**
 * An untrusted name inside Markdown as an inline code span: no link, emphasis or HTML can come out of it, and VS
 * Code's plain-text rendering of a confirmation (a modal dialog outside a chat) shows it without escape characters.
 */
export function markdownCode(name: string): string {
  return `\`${plain(name).replace(/`/g, "'")}\``;
}

const TREND_WORDS: Record<Trend, string> = { up: 'rising', down: 'falling', flat: 'steady' };

/** What the session status tool knows about one monitored session. */
export interface SessionStatusInput {
  id: string;
  name: string;
  pid: number | null;
  ended: boolean;
  active: boolean;
  sample: SampleView | undefined;
  sampleCount: number;
  intervalMs: number;
  trend: { direction: Trend; bytesPerSec: number };
  level: AlertLevelName;
  thresholds: { warningBytes: number; criticalBytes: number; emergencyBytes: number };
  leak: { suspected: boolean; rateBytesPerSec: number | null; metric: LeakMetricName | null };
  lastGc: GcResult | null;
  now: number;
}

/** The status of every monitored session: figures, trend, alert level, leak suspicion, last diagnostic GC. */
export function sessionStatusText(sessions: readonly SessionStatusInput[]): string {
  if (!sessions.length)
    return 'No debug session is being monitored. Start debugging a Node.js program (F5) or run "Memory: Start Monitoring"; Memory Monitor then samples its heap and RSS.';
  const live = sessions.filter((s) => !s.ended).length;
  const out = [`${sessions.length} monitored session${sessions.length > 1 ? 's' : ''} (${live} live):`];
  for (const s of sessions) {
    out.push(
      '',
      `Session "${plain(s.name)}" (id ${plain(s.id)}${s.pid ? `, pid ${s.pid}` : ''})${s.ended ? ' — ended' : ' — live'}${s.active ? ', shown in the editor' : ''}`,
    );
    if (!s.sample) {
      out.push('  No sample yet (connecting).');
      continue;
    }
    const figures = PANEL_METRICS.filter((m) => s.sample?.[m.key] !== null && s.sample?.[m.key] !== undefined).map(
      (m) => `${m.panel.label} ${formatBytes(s.sample?.[m.key])}`,
    );
    const ago = Math.max(0, Math.round((s.now - s.sample.t) / 1000));
    out.push(`  ${figures.join(', ')} (sampled ${ago} s ago; ${s.sampleCount} samples every ${s.intervalMs} ms)`);
    out.push(
      `  Heap trend over the last minute: ${TREND_WORDS[s.trend.direction]} (${formatRate(s.trend.bytesPerSec)})`,
    );
    out.push(
      `  Alert level: ${s.level} (warning above ${formatBytes(s.thresholds.warningBytes)}, critical above ${formatBytes(s.thresholds.criticalBytes)}, emergency above ${formatBytes(s.thresholds.emergencyBytes)} of heap used or RSS)`,
    );
    out.push(
      s.leak.suspected
        ? `  Leak suspected: yes${s.leak.metric ? `, ${leakMetricText(s.leak.metric)} grows ${formatRate(s.leak.rateBytesPerSec ?? 0)} after forced GCs` : ''} (details: memoryMonitor_leakReport)`
        : '  Leak suspected: no',
    );
    if (s.lastGc) {
      const gcAgo = Math.max(0, Math.round((s.now - s.lastGc.t) / 1000));
      out.push(
        `  Last diagnostic GC ${gcAgo} s ago: freed ${formatBytes(s.lastGc.freed)} in ${Math.round(s.lastGc.durationMs)} ms`,
      );
    }
  }
  return bounded(out.join('\n'));
}

/** The leak report of one session: verdicts, ranked allocation sites, what keeps the leak, the last Hunt Leak. */
export function leakReportText(r: LeakReportView | null, maxSuspects = 10): string {
  if (!r)
    return 'No leak report: no session has been monitored with leak detection yet. Start debugging a Node.js program first.';
  const out = [
    `Leak report for "${plain(r.sessionName)}" (id ${plain(r.sessionId)}${r.pid ? `, pid ${r.pid}` : ''})${r.ended ? ', session ended' : ''}`,
    `Leak detection: ${r.enabled ? `on, sensitivity ${r.sensitivity}` : 'off (setting memoryMonitor.leakDetection.enabled)'}${r.overheadPercent !== null ? `, cost ${r.overheadPercent.toFixed(2)} % of one core` : ''}; updated ${new Date(r.updatedAt).toISOString()}`,
    '',
  ];
  if (!r.verdicts.length)
    out.push(
      `Verdict: no leak suspected (the post-GC baselines do not grow significantly${r.cleared.length ? ' now; earlier verdicts were cleared' : ''}).`,
    );
  for (const v of r.verdicts) {
    const forecast = forecastSentence(v);
    out.push(
      `Verdict: LEAK ${v.state === 'confirmed' ? 'CONFIRMED (growth went on after it was suspected)' : 'SUSPECTED'} in ${leakMetricText(v.metric)}: ${formatRate(v.rateBytesPerSec)} since ${new Date(v.since).toISOString()}, confidence ${Math.round(v.confidence * 100)} %, post-GC baseline ${formatBytes(v.baselineBytes)}${forecast ? `. Forecast: ${forecast}` : ''}`,
    );
  }
  for (const c of r.cleared) out.push(`Cleared (not a standing leak): ${clearedText(c)}`);
  if (r.suspects.length) {
    out.push(
      '',
      `Allocation sites whose live memory grows (top ${Math.min(maxSuspects, r.suspects.length)} of ${r.suspects.length}):`,
    );
    for (const s of r.suspects.slice(0, maxSuspects)) {
      out.push(
        `${s.rank}. ${plain(s.file, 200)}:${s.line}:${s.column} in ${plain(s.function)}${s.className ? ` (class ${plain(s.className)})` : ''}: ${formatRate(s.growthBytesPerSec)}, ${formatBytes(s.liveBytes)} live (sampled), confidence ${Math.round(s.confidence * 100)} %`,
      );
      const frames = s.stack.slice(0, 4).map((f) => `${plain(f.function)} ${plain(f.file, 200)}:${f.line}`);
      if (frames.length) out.push(`   stack: ${frames.join(' ← ')}`);
    }
  } else if (r.verdicts.length) {
    out.push(
      '',
      r.profilerNote
        ? `No allocation sites: ${plain(r.profilerNote, 300)}`
        : 'No allocation site grew measurably (off-heap or native growth?); "Memory: Hunt Leak" finds the retainers.',
    );
  }
  if (r.retainers.length) {
    out.push('', `What keeps the leaked objects (most responsible first; the line to fix is where they are added):`);
    for (const k of r.retainers.slice(0, maxSuspects)) {
      const where = k.file ? ` at ${plain(k.file, 200)}${k.line ? `:${k.line}` : ''}` : '';
      const figures = [
        k.count !== null ? `${k.count} entries` : null,
        k.countGrowthPerSec !== null
          ? `${k.countGrowthPerSec >= 0 ? '+' : ''}${k.countGrowthPerSec.toFixed(1)} entries/s`
          : null,
        k.retainedBytes !== null ? `retains ${formatBytes(k.retainedBytes)}` : null,
        k.keepsClass ? `keeps ${plain(k.keepsClass)}` : null,
      ].filter((x) => x !== null);
      out.push(
        `${k.rank}. ${plain(k.path, 200)} (${k.kind})${where}${figures.length ? `: ${figures.join(', ')}` : ''}`,
      );
    }
  } else if (r.verdicts.length && r.retainerProbe) {
    const p = r.retainerProbe;
    const text: Record<typeof p.state, string> = {
      idle: 'not searched yet',
      running: 'two heap snapshots are being compared now',
      done: 'the snapshots showed no growing holder',
      'over-limit': `not searched automatically: the heap (${formatBytes(p.heapBytes)}) is above the snapshot limit of ${formatBytes(p.limitBytes)}${p.estimatedPauseMs !== null ? `; a snapshot would pause the program for about ${Math.round(p.estimatedPauseMs / 1000)} s` : ''}. "Memory: Find What Keeps the Leak" searches anyway`,
      failed: `the search failed: ${plain(p.error ?? 'unknown error', 300)}`,
    };
    out.push('', `What keeps the leaked objects: ${text[p.state]}.`);
  }
  if (r.hunt) {
    out.push(
      '',
      `Last Hunt Leak (${new Date(r.hunt.t).toISOString()}, three snapshots): ${r.hunt.leakedCount} leaked objects retaining ${formatBytes(r.hunt.leakedRetainedSize)}.`,
    );
    for (const g of r.hunt.groups.slice(0, maxSuspects))
      out.push(
        `- ${g.count} × ${plain(g.name)} retaining ${formatBytes(g.retainedSize)}, retained by: ${g.retainerPath.map((p) => plain(p, 60)).join(' → ')}`,
      );
  } else if (r.verdicts.length) {
    out.push('', 'No Hunt Leak yet: run "Memory: Hunt Leak" to find which objects leak and what retains them.');
  }
  return bounded(out.join('\n'));
}

/** Where the summarised snapshot came from. */
export type SnapshotOrigin = 'open in the viewer' | 'latest in the snapshot folder' | 'file given';

/** A heap snapshot's totals, DevTools' Statistics and its top classes by retained size. */
export function snapshotSummaryText(
  file: string,
  origin: SnapshotOrigin,
  info: SnapshotInfoView,
  stats: HeapStatistics,
  classes: readonly ClassSummaryRow[],
  filter: string,
): string {
  const out = [
    `Heap snapshot ${plain(file, 300)} (${origin}), ${formatBytes(info.fileBytes)} on disk`,
    `${info.nodeCount.toLocaleString('en-US')} objects, ${info.edgeCount.toLocaleString('en-US')} references, ${info.classCount.toLocaleString('en-US')} classes, total self size ${formatBytes(info.totalSize)}`,
    '',
    'Statistics (where the bytes go):',
    formatStatistics(stats).trimEnd(),
    '',
    `Top ${classes.length} classes by retained size${filter ? ` matching "${plain(filter)}"` : ''} (Dist = distance from the GC roots):`,
    classes.length ? formatClassTable([...classes]).trimEnd() : '(no class matches)',
  ];
  return bounded(out.join('\n'));
}

/** The answer after a diagnostic GC: the same sentence as the notification, plus the figures. */
export function gcText(summary: string, r: GcResult): string {
  const out = [
    summary,
    `Before: heap used ${formatBytes(r.before.heapUsed)}; after: ${formatBytes(r.after.heapUsed)}.`,
  ];
  if (r.spaces) out.push(`Per-space figures for ${r.spaces.length} V8 heap spaces are in the Monitor panel.`);
  return out.join('\n');
}

/** The answer after a heap snapshot was taken. */
export function snapshotTakenText(sessionName: string, file: string, bytes: number): string {
  return `Heap snapshot of "${plain(sessionName)}" saved: ${plain(file, 300)} (${formatBytes(bytes)}, readable by the user only). memoryMonitor_snapshotSummary summarises it; "Memory: Open Heap Snapshot…" shows it in the viewer.`;
}
