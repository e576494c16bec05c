// Pure formatting of the status bar item: text, trend, accessibility label and tooltip. No vscode import; strings go
// through @vscode/l10n, which activation gives VS Code's bundle.
import * as l10n from '@vscode/l10n';
import { escapeInvisible, formatBytes } from '../../core/format';
import { DOM_METRICS, formatCount, PAGE_RSS_TEXT } from '../../core/metrics/domMetrics';
import { PANEL_METRICS } from '../../core/metrics/memoryMetrics';
import { TREND_ARROW, type Trend } from '../../core/sampling/trend';
import type { GcResult } from '../../core/types';
import type { AlertLevelName, SampleView } from '../../shared/protocol';

/** The trend in words, in the user's language (read at each call: the translator is set at activation). */
function trendWord(trend: Trend): string {
  return trend === 'up' ? l10n.t('rising') : trend === 'down' ? l10n.t('falling') : l10n.t('steady');
}

/** Status bar text, e.g. `$(pulse) 182 MB · RSS 240 MB ↗`, or for a page `$(pulse) 3.1 MB · 1,204 DOM nodes ↗`. */
export function statusText(sample: Pick<SampleView, 'heapUsed' | 'rss' | 'dom'>, trend: Trend): string {
  const second =
    sample.rss !== null
      ? ` · RSS ${formatBytes(sample.rss)}`
      : sample.dom
        ? ` · ${l10n.t('{0} DOM nodes', formatCount(sample.dom.nodes))}`
        : '';
  return `$(pulse) ${formatBytes(sample.heapUsed)}${second} ${TREND_ARROW[trend]}`;
}

/** What a screen reader says for the item. */
export function accessibilityLabel(
  sample: Pick<SampleView, 'heapUsed' | 'rss' | 'dom'>,
  trend: Trend,
  level: AlertLevelName,
  sessionName: string,
): string {
  const rss =
    sample.rss !== null
      ? `, ${l10n.t('resident set size {0}', formatBytes(sample.rss))}`
      : sample.dom
        ? `, ${l10n.t('{0} DOM nodes', formatCount(sample.dom.nodes))}`
        : '';
  const alert = level === 'normal' ? '' : `, ${l10n.t('alert level {0}', level)}`;
  return l10n.t(
    'Memory of {0}: heap used {1}{2}, {3}{4}. Click to show the Memory Monitor.',
    sessionName,
    formatBytes(sample.heapUsed),
    rss,
    trendWord(trend),
    alert,
  );
}

/** Escapes text for Markdown so names from the debuggee cannot inject links or HTML, nor hide behind bidi controls. */
export function escapeMarkdown(text: string): string {
  return escapeInvisible(text).replace(/[\\`*_{}[\]()#+\-.!|<>&~]/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`,
  );
}

export interface TooltipInput {
  sessionName: string;
  pid: number | null;
  sample: SampleView;
  trend: Trend;
  level: AlertLevelName;
  lastGc: GcResult | null;
  otherSessions: number;
  /** True for a browser page: RSS is said to be unavailable rather than shown as a dash. */
  page?: boolean;
  /** The Worker threads of this process, for the total and the breakdown (see {@link workerBreakdown}). */
  workers?: readonly WorkerFigure[];
  now?: number;
}

/** One `worker_threads` Worker's latest heap, for the parent's tooltip. */
export interface WorkerFigure {
  name: string;
  threadId: number | undefined;
  heapUsed: number | null;
  ended: boolean;
}

/** The Markdown tooltip: figures, alert level, last diagnostic GC. */
export function tooltipMarkdown(i: TooltipInput): string {
  const lines = [
    `**Memory Monitor** — ${escapeMarkdown(i.sessionName)}${i.pid ? ` (${l10n.t('pid {0}', i.pid)})` : ''}`,
    '',
    '| | |',
    '|---|---:|',
    ...PANEL_METRICS.map(
      (m) =>
        `| ${m.panel.label} | ${m.key === 'rss' && i.page && i.sample.rss === null ? PAGE_RSS_TEXT : formatBytes(i.sample[m.key])} |`,
    ),
    ...(i.sample.dom ? DOM_METRICS.map((m) => `| ${m.label} | ${formatCount(i.sample.dom![m.key])} |`) : []),
    ...workerRows(i.sample.heapUsed, i.workers),
    '',
    l10n.t('Trend: {0} {1} · Alert level: **{2}**', TREND_ARROW[i.trend], trendWord(i.trend), i.level),
  ];
  if (i.lastGc) {
    const ago = Math.max(0, Math.round(((i.now ?? Date.now()) - i.lastGc.t) / 1000));
    const verified = i.lastGc.testCycle
      ? i.lastGc.testCycle.collected
        ? `, ${l10n.t('collector verified')}`
        : `, ${l10n.t('test cycle not collected')}`
      : '';
    lines.push(
      '',
      l10n.t(
        'Last diagnostic GC {0} s ago: freed {1} in {2} ms{3}',
        ago,
        formatBytes(i.lastGc.freed),
        Math.round(i.lastGc.durationMs),
        verified,
      ),
    );
  }
  if (i.otherSessions > 0)
    lines.push(
      '',
      i.otherSessions > 1 ? l10n.t('{0} more monitored sessions', i.otherSessions) : l10n.t('1 more monitored session'),
    );
  lines.push('', l10n.t('Click to show the Memory Monitor'));
  return lines.join('\n');
}

/** Heap of the process's main thread plus its live Workers (what the parent's status bar item shows). */
export function totalHeap(mainHeapUsed: number, workers: readonly WorkerFigure[] | undefined): number {
  return mainHeapUsed + (workers ?? []).reduce((sum, w) => sum + (w.ended ? 0 : (w.heapUsed ?? 0)), 0);
}

/** Tooltip rows for a process with Workers: main thread, each Worker, and the total heap. */
function workerRows(mainHeapUsed: number, workers: readonly WorkerFigure[] | undefined): string[] {
  if (!workers?.length) return [];
  return [
    `| **Heap by thread** | |`,
    `| main thread | ${formatBytes(mainHeapUsed)} |`,
    ...workers.map(
      (w) =>
        `| ${w.threadId !== undefined ? `Worker ${w.threadId}` : 'Worker'} · ${escapeMarkdown(w.name)} | ${w.ended ? 'ended' : formatBytes(w.heapUsed)} |`,
    ),
    `| **Total heap** | **${formatBytes(totalHeap(mainHeapUsed, workers))}** |`,
  ];
}
