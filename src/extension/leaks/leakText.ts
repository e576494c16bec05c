// Pure text of leak flags and reports: diagnostic messages, hovers, Markdown export. No vscode import (types only).
// Names (functions, classes, files, retainer paths) come from the debuggee: every one is escaped for Markdown.
import { formatBytes, formatRate } from '../../core/format';
import type { LeakReportView, LeakSuspectView } from '../../shared/leakProtocol';
import type { CommandArgs, CommandId } from '../commands/commands';
import { escapeMarkdown } from '../statusBar/statusBarText';

const METRIC_TEXT = {
  heap: 'JS heap',
  external: 'off-heap (Buffer/ArrayBuffer) memory',
  rss: 'native memory (RSS)',
} as const;

/** What is allocated at a suspect's line, in words: `live Order objects` or `live memory (in handleRequest)`. */
function what(s: Pick<LeakSuspectView, 'className' | 'function'>): string {
  if (s.className) return `live ${s.className} objects`;
  const fn = s.function && s.function !== '(anonymous)' ? `${s.function}()` : 'an anonymous function';
  return `live memory allocated by ${fn}`;
}

/** The diagnostic's message, e.g. `Suspected leak: +3.2 MB/min of live Order objects allocated here`. Plain text. */
export function diagnosticMessage(s: LeakSuspectView): string {
  const where = s.className ? ' allocated here' : ' here';
  const conf = `${Math.round(s.confidence * 100)} % confidence`;
  return `Suspected leak: ${formatRate(s.growthBytesPerSec)} of ${what(s)}${where} (${formatBytes(s.liveBytes)} live, ${conf})`;
}

/** The short after-line text of an inline flag. */
export function inlineText(s: LeakSuspectView): string {
  return `⚠ leak? ${formatRate(s.growthBytesPerSec)}${s.className ? ` ${s.className}` : ''}`;
}

/** A link that runs a command with JSON arguments (only commands the hover allows run). */
export function commandLink<K extends CommandId>(label: string, command: K, args: CommandArgs[K]): string {
  return `[${label}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;
}

export interface HoverLinks {
  showReport: string;
  huntLeak: string;
  takeSnapshot: string;
}

/** The hover over a flagged line: the evidence, and links to the report and the hunt. */
export function hoverMarkdown(
  s: LeakSuspectView,
  r: Pick<LeakReportView, 'sessionName' | 'pid' | 'hunt'>,
  links: HoverLinks,
  now = Date.now(),
): string {
  const mins = Math.max(0, Math.round((now - s.since) / 60_000));
  const lines = [
    `**Memory Monitor — suspected leak** (#${s.rank}) in ${escapeMarkdown(r.sessionName)}${r.pid ? ` (pid ${r.pid})` : ''}`,
    '',
    `- Growth: **${formatRate(s.growthBytesPerSec)}** of ${escapeMarkdown(what(s))}`,
    `- Live now: ${formatBytes(s.liveBytes)} sampled at this line`,
    `- Verdict: ${METRIC_TEXT[s.metric]} grows since ${mins < 1 ? 'less than a minute' : `${mins} min`}, confidence ${Math.round(s.confidence * 100)} %`,
    `- Line chosen: ${s.lineSource === 'allocation' ? 'the allocating statement' : 'first line of the allocating function'} in ${escapeMarkdown(s.function)}`,
  ];
  const group = r.hunt?.groups[0];
  if (group)
    lines.push(
      `- Last hunt: ${group.count} × ${escapeMarkdown(group.name)} retained by ${escapeMarkdown(group.retainerPath.slice(-4).join(' → '))}`,
    );
  lines.push('', `${links.showReport} · ${links.huntLeak} · ${links.takeSnapshot}`);
  return lines.join('\n');
}

/** One suspect as Markdown (Copy as Markdown). */
export function suspectMarkdown(s: LeakSuspectView): string {
  const out = [
    `### ${s.rank}. ${escapeMarkdown(`${s.file}:${s.line}:${s.column}`)}`,
    '',
    `- Function: ${escapeMarkdown(s.function)}${s.className ? ` (class ${escapeMarkdown(s.className)})` : ''}`,
    `- Growth: ${formatRate(s.growthBytesPerSec)}, ${formatBytes(s.liveBytes)} live (sampled)`,
    `- Verdict: ${METRIC_TEXT[s.metric]}, confidence ${Math.round(s.confidence * 100)} %, since ${new Date(s.since).toISOString()}`,
    '- Allocation stack:',
    ...s.stack.map(
      (f) => `  - ${escapeMarkdown(f.function)} — ${escapeMarkdown(`${f.file}:${f.line}:${f.column}`)} (${f.note})`,
    ),
  ];
  return out.join('\n');
}

/** The whole report as Markdown (export and Copy as Markdown). */
export function reportMarkdown(r: LeakReportView): string {
  const out = [
    `# Memory Monitor leak report — ${escapeMarkdown(r.sessionName)}${r.pid ? ` (pid ${r.pid})` : ''}`,
    '',
    `Generated ${new Date(r.updatedAt).toISOString()}, sensitivity ${r.sensitivity}.`,
    '',
  ];
  if (!r.verdicts.length) out.push('No leak suspected.', '');
  for (const v of r.verdicts) {
    out.push(
      `- **Leak suspected** in ${METRIC_TEXT[v.metric]}: ${formatRate(v.rateBytesPerSec)} since ${new Date(v.since).toISOString()}, confidence ${Math.round(v.confidence * 100)} %, post-GC baseline ${formatBytes(v.baselineBytes)}`,
    );
  }
  if (r.verdicts.length) out.push('');
  if (r.suspects.length)
    out.push('## Suspects (top first)', '', ...r.suspects.flatMap((s) => [suspectMarkdown(s), '']));
  else if (r.verdicts.length)
    out.push(
      r.profilerNote
        ? `No allocation sites: ${escapeMarkdown(r.profilerNote)}`
        : 'No allocation site grew measurably (off-heap or native growth?); run Hunt Leak for retainers.',
      '',
    );
  if (r.hunt) {
    out.push(
      '## Hunt Leak (baseline → target → final snapshots)',
      '',
      `${r.hunt.leakedCount} leaked objects retaining ${formatBytes(r.hunt.leakedRetainedSize)}.`,
      '',
    );
    for (const g of r.hunt.groups)
      out.push(
        `- ${g.count} × ${escapeMarkdown(g.name)} retaining ${formatBytes(g.retainedSize)} — retained by: ${escapeMarkdown(g.retainerPath.join(' → '))}`,
      );
    out.push('');
  }
  return out.join('\n');
}

/** The leak lines of the status bar tooltip (Markdown), or '' when nothing is suspected. */
export function statusTooltipMarkdown(
  r: Pick<LeakReportView, 'suspected' | 'verdicts' | 'suspects'>,
  showReportLink: string,
): string {
  if (!r.suspected || !r.verdicts.length) return '';
  const v = r.verdicts[0];
  const top = r.suspects[0];
  const where = top ? ` — top suspect ${escapeMarkdown(`${basename(top.file)}:${top.line}`)}` : '';
  return `**⚠ Leak suspected:** ${METRIC_TEXT[v.metric]} ${formatRate(v.rateBytesPerSec)}${where}\n\n${showReportLink}`;
}

/** The notification text when a leak is first suspected. Plain text. */
export function notificationText(sessionName: string, r: Pick<LeakReportView, 'verdicts' | 'suspects'>): string {
  const v = r.verdicts[0];
  const rate = v ? ` ${METRIC_TEXT[v.metric]} grows ${formatRate(v.rateBytesPerSec)}` : '';
  const top = r.suspects[0];
  const where = top ? `; top suspect ${basename(top.file)}:${top.line}` : '';
  return `Memory LEAK SUSPECTED in "${sessionName}":${rate}${where}.`;
}

function basename(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
