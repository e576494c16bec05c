// Pure formatting of the status bar item: text, trend, accessibility label and tooltip. No vscode import.
import { formatBytes } from '../../core/format';
import { PANEL_METRICS } from '../../core/metrics/memoryMetrics';
import { TREND_ARROW, type Trend } from '../../core/sampling/trend';
import type { GcResult } from '../../core/types';
import type { AlertLevelName, SampleView } from '../../shared/protocol';

const TREND_WORDS: Record<Trend, string> = { up: 'rising', down: 'falling', flat: 'steady' };

/** Status bar text, e.g. `$(pulse) 182 MB · RSS 240 MB ↗`. */
export function statusText(sample: Pick<SampleView, 'heapUsed' | 'rss'>, trend: Trend): string {
  const rss = sample.rss === null ? '' : ` · RSS ${formatBytes(sample.rss)}`;
  return `$(pulse) ${formatBytes(sample.heapUsed)}${rss} ${TREND_ARROW[trend]}`;
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
    ...PANEL_METRICS.map((m) => `| ${m.panel.label} | ${formatBytes(i.sample[m.key])} |`),
    '',
    `Trend: ${TREND_ARROW[i.trend]} ${TREND_WORDS[i.trend]} · Alert level: **${i.level}**`,
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
