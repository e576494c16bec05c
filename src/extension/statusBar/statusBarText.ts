// Pure formatting of the status bar item: text, trend, accessibility label and tooltip. No vscode import.
import { formatBytes } from '../../core/format';
import type { GcResult } from '../../core/types';
import type { AlertLevelName, SampleView } from '../../shared/protocol';

export type Trend = 'up' | 'down' | 'flat';

const ARROWS: Record<Trend, string> = { up: '↗', down: '↘', flat: '→' };
const TREND_WORDS: Record<Trend, string> = { up: 'rising', down: 'falling', flat: 'steady' };

/**
 * The trend of heap used over the recent samples: the change between the mean of the older and the newer
 * half of the window, counted only when it exceeds 1 % of the heap and 256 kB (so noise reads as steady).
 */
export function trendOf(samples: readonly SampleView[], window = 10): Trend {
  const recent = samples.slice(-window);
  if (recent.length < 4) return 'flat';
  const half = Math.floor(recent.length / 2);
  const mean = (xs: readonly SampleView[]) => xs.reduce((a, s) => a + s.heapUsed, 0) / xs.length;
  const older = mean(recent.slice(0, half));
  const newer = mean(recent.slice(recent.length - half));
  const delta = newer - older;
  const noise = Math.max(256e3, 0.01 * older);
  return delta > noise ? 'up' : delta < -noise ? 'down' : 'flat';
}

/** Status bar text, e.g. `$(pulse) 182 MB · RSS 240 MB ↗`. */
export function statusText(sample: Pick<SampleView, 'heapUsed' | 'rss'>, trend: Trend): string {
  const rss = sample.rss === null ? '' : ` · RSS ${formatBytes(sample.rss)}`;
  return `$(pulse) ${formatBytes(sample.heapUsed)}${rss} ${ARROWS[trend]}`;
}

/** What a screen reader says for the item. */
export function accessibilityLabel(
  sample: Pick<SampleView, 'heapUsed' | 'rss'>,
  trend: Trend,
  level: AlertLevelName,
  sessionName: string,
): string {
  const rss = sample.rss === null ? '' : `, resident set size ${formatBytes(sample.rss)}`;
  const alert = level === 'normal' ? '' : `, alert level ${level}`;
  return `Memory of ${sessionName}: heap used ${formatBytes(sample.heapUsed)}${rss}, ${TREND_WORDS[trend]}${alert}. Click to show the Memory Monitor.`;
}

/** Escapes text for Markdown so names from the debuggee cannot inject links or HTML. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>&~]/g, (c) =>
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
  now?: number;
}

/** The Markdown tooltip: figures, alert level, last diagnostic GC. */
export function tooltipMarkdown(i: TooltipInput): string {
  const lines = [
    `**Memory Monitor** — ${escapeMarkdown(i.sessionName)}${i.pid ? ` (pid ${i.pid})` : ''}`,
    '',
    '| | |',
    '|---|---:|',
    `| Heap used | ${formatBytes(i.sample.heapUsed)} |`,
    `| Heap total | ${formatBytes(i.sample.heapTotal)} |`,
    `| RSS | ${formatBytes(i.sample.rss)} |`,
    `| External | ${formatBytes(i.sample.external)} |`,
    '',
    `Trend: ${ARROWS[i.trend]} ${TREND_WORDS[i.trend]} · Alert level: **${i.level}**`,
  ];
  if (i.lastGc) {
    const ago = Math.max(0, Math.round(((i.now ?? Date.now()) - i.lastGc.t) / 1000));
    const verified = i.lastGc.testCycle
      ? i.lastGc.testCycle.collected
        ? ', collector verified'
        : ', test cycle not collected'
      : '';
    lines.push(
      '',
      `Last diagnostic GC ${ago} s ago: freed ${formatBytes(i.lastGc.freed)} in ${Math.round(i.lastGc.durationMs)} ms${verified}`,
    );
  }
  if (i.otherSessions > 0) lines.push('', `${i.otherSessions} more monitored session${i.otherSessions > 1 ? 's' : ''}`);
  lines.push('', 'Click to show the Memory Monitor');
  return lines.join('\n');
}
