// Pure text of leak flags and reports: diagnostic messages, hovers, Markdown export. No vscode import (types only);
// flag, diagnostic and notification texts go through @vscode/l10n (hovers and the Markdown export are English so far).
// Names (functions, classes, files, retainer paths) come from the debuggee: every one is escaped for Markdown.
import * as l10n from '@vscode/l10n';
import { escapeInvisible, formatBytes, formatLeakRate, formatRate } from '../../core/format';
import { formatCount } from '../../core/metrics/domMetrics';
import type {
  LeakClearedView,
  LeakReportView,
  LeakRetainerView,
  LeakSuspectView,
  LeakVerdictView,
} from '../../shared/leakProtocol';
import { entryGrowthText } from '../../shared/retainerText';
import { forecastSentence, leakMetricText, verdictHeadline } from '../../shared/verdictText';
import type { CommandArgs, CommandId } from '../commands/commands';
import { escapeMarkdown } from '../statusBar/statusBarText';

/** The verdict a one-line summary leads with: a confirmed one before a suspected one, else the first (fastest). */
export function leadVerdict(verdicts: readonly LeakVerdictView[]): LeakVerdictView | undefined {
  return verdicts.find((v) => v.state === 'confirmed') ?? verdicts[0];
}

/** A withdrawn verdict in one line (plain text): what it was, when it was cleared and why. */
export function clearedText(c: LeakClearedView): string {
  return `${leakMetricText(c.metric)} (was ${c.state}, ${formatLeakRate(c.metric, c.rateBytesPerSec)}) cleared at ${new Date(c.t).toISOString()}: ${c.reason}`;
}

/** What is allocated at a suspect's line, in words: `live Order objects` or `live memory (in handleRequest)`. */
function what(s: Pick<LeakSuspectView, 'className' | 'function'>): string {
  if (s.className) return l10n.t('live {0} objects', escapeInvisible(s.className));
  const fn =
    s.function && s.function !== '(anonymous)' ? `${escapeInvisible(s.function)}()` : l10n.t('an anonymous function');
  return l10n.t('live memory allocated by {0}', fn);
}

/** The diagnostic's message, e.g. `Suspected leak: +3.2 MB/min of live Order objects allocated here`. Plain text. */
export function diagnosticMessage(s: LeakSuspectView): string {
  const args = [formatRate(s.growthBytesPerSec), what(s), formatBytes(s.liveBytes), Math.round(s.confidence * 100)];
  return s.className
    ? l10n.t('Suspected leak: {0} of {1} allocated here ({2} live, {3} % confidence)', ...args)
    : l10n.t('Suspected leak: {0} of {1} here ({2} live, {3} % confidence)', ...args);
}

/** The short after-line text of an inline flag. */
export function inlineText(s: LeakSuspectView): string {
  return `⚠ ${l10n.t('leak?')} ${formatRate(s.growthBytesPerSec)}${s.className ? ` ${escapeInvisible(s.className)}` : ''}`;
}

/** Heap-derived paths can be anything: long ones are cut so a flag stays one readable line. */
function shortPath(p: string, max = 100): string {
  return escapeInvisible(p.length > max ? `${p.slice(0, max - 1)}…` : p);
}

/** What a holder keeps, in words: `leaked LeakyOrderRecord objects` or `leaked objects`. */
function keptWhat(r: Pick<LeakRetainerView, 'keepsClass'>): string {
  return r.keepsClass ? l10n.t('leaked {0} objects', escapeInvisible(r.keepsClass)) : l10n.t('leaked objects');
}

/** The facts of a holder, comma-separated: growth, count, retained bytes (those known). */
function retainerFacts(r: LeakRetainerView): string[] {
  const facts: string[] = [];
  const growth = entryGrowthText(r.countGrowthPerSec);
  if (growth) facts.push(growth);
  if (r.count !== null) facts.push(l10n.t('{0} entries', r.count.toLocaleString('en-US')));
  if (r.retainedBytes !== null) facts.push(l10n.t('{0} retained', formatBytes(r.retainedBytes)));
  return facts;
}

/**
 * The "keeps" diagnostic at a retaining line, e.g. `Keeps leaked objects: cache (Map) in module orders.js,
 * +120 entries/min, 3.4 MB retained`. Plain text; distinct from the allocation flag's "Suspected leak: …".
 */
export function retainerDiagnosticMessage(r: LeakRetainerView): string {
  return [l10n.t('Keeps {0}: {1}', keptWhat(r), shortPath(r.path)), ...retainerFacts(r)].join(', ');
}

/** The short after-line text of a "keeps" flag. */
export function retainerInlineText(r: LeakRetainerView): string {
  const growth = entryGrowthText(r.countGrowthPerSec);
  return `⚠ ${l10n.t('keeps {0}: {1}', keptWhat(r), shortPath(r.path, 60))}${growth ? ` ${growth}` : ''}`;
}

/** The hover over a retaining line: the holder, how it grows, where the kept objects are allocated, links. */
export function retainerHoverMarkdown(
  r: LeakRetainerView,
  report: Pick<LeakReportView, 'sessionName' | 'pid' | 'suspects'>,
  links: Pick<HoverLinks, 'showReport' | 'huntLeak'>,
): string {
  const top = report.suspects[0];
  const lines = [
    `**Memory Monitor — keeps ${escapeMarkdown(keptWhat(r))}** in ${escapeMarkdown(report.sessionName)}${report.pid ? ` (pid ${report.pid})` : ''}`,
    '',
    `- Holder: ${escapeMarkdown(escapeInvisible(r.path))} (${r.kind})`,
  ];
  const facts = retainerFacts(r);
  if (facts.length) lines.push(`- Entries: ${facts.join(', ')}`);
  lines.push('- This line adds to the holder (or declares it): the leaked objects stay reachable through it.');
  if (r.keepsClass && r.keepsConstructor)
    lines.push(
      `- ${escapeMarkdown(r.keepsClass)} objects are made by its constructor at ${escapeMarkdown(`${basename(r.keepsConstructor.file)}:${r.keepsConstructor.line}`)}`,
    );
  if (top)
    lines.push(`- Allocated at: ${escapeMarkdown(`${basename(top.file)}:${top.line}`)} (the "suspected leak" flag)`);
  lines.push('', `${links.showReport} · ${links.huntLeak}`);
  return lines.join('\n');
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
  r: Pick<LeakReportView, 'sessionName' | 'pid' | 'hunt'> & Partial<Pick<LeakReportView, 'retainers' | 'verdicts'>>,
  links: HoverLinks,
  now = Date.now(),
): string {
  const verdict = r.verdicts?.find((v) => v.metric === s.metric);
  const mins = Math.max(0, Math.round((now - s.since) / 60_000));
  const lines = [
    `**Memory Monitor — suspected leak** (#${s.rank}) in ${escapeMarkdown(r.sessionName)}${r.pid ? ` (pid ${r.pid})` : ''}`,
    '',
    `- Growth: **${formatRate(s.growthBytesPerSec)}** of ${escapeMarkdown(what(s))}`,
    `- Live now: ${formatBytes(s.liveBytes)} sampled at this line`,
    `- Verdict: ${leakMetricText(s.metric)} grows since ${mins < 1 ? 'less than a minute' : `${mins} min`}, confidence ${Math.round(s.confidence * 100)} %${verdict?.state === 'confirmed' ? ' (confirmed: growth went on)' : ''}`,
    `- Line chosen: ${s.lineSource === 'allocation' ? 'the allocating statement' : 'first line of the allocating function'} in ${escapeMarkdown(s.function)}`,
  ];
  if (verdict?.forecastText) lines.push(`- Forecast: ${escapeMarkdown(forecastSentence(verdict))}`);
  const holder = r.retainers?.[0];
  if (holder)
    lines.push(
      `- Kept by: ${escapeMarkdown(shortPath(holder.path))}${holder.file && holder.line ? ` at ${escapeMarkdown(`${basename(holder.file)}:${holder.line}`)} (the "keeps" flag)` : ''}`,
    );
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
    `- Verdict: ${leakMetricText(s.metric)}, confidence ${Math.round(s.confidence * 100)} %, since ${new Date(s.since).toISOString()}`,
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
  if (!r.verdicts.length)
    out.push(
      r.cleared.length ? 'No leak suspected now (earlier verdicts were cleared, see below).' : 'No leak suspected.',
      '',
    );
  for (const v of r.verdicts) {
    const forecast = forecastSentence(v);
    out.push(
      `- **${verdictHeadline(v)}** in ${leakMetricText(v.metric)}: ${formatLeakRate(v.metric, v.rateBytesPerSec)} since ${new Date(v.since).toISOString()}, confidence ${Math.round(v.confidence * 100)} %, post-GC baseline ${v.metric === 'dom' ? `${formatCount(v.baselineBytes)} nodes` : formatBytes(v.baselineBytes)}${forecast ? `. ${escapeMarkdown(forecast)}` : ''}`,
    );
  }
  if (r.verdicts.length) out.push('');
  if (r.cleared.length) {
    out.push('## Cleared verdicts (growth stopped: not standing leaks)', '');
    for (const c of r.cleared) out.push(`- ${escapeMarkdown(clearedText(c))}`);
    out.push('');
  }
  if (r.suspects.length)
    out.push('## Suspects (top first)', '', ...r.suspects.flatMap((s) => [suspectMarkdown(s), '']));
  else if (r.verdicts.length)
    out.push(
      r.profilerNote
        ? `No allocation sites: ${escapeMarkdown(r.profilerNote)}`
        : 'No allocation site grew measurably (off-heap or native growth?); run Hunt Leak for retainers.',
      '',
    );
  if (r.retainers.length) {
    out.push('## What keeps them (retainers, most responsible first)', '');
    for (const x of r.retainers) {
      const where = x.file ? ` — ${escapeMarkdown(`${x.file}${x.line ? `:${x.line}` : ''}`)}` : '';
      out.push(
        `${x.rank}. ${escapeMarkdown(x.path)} (${x.kind}): ${retainerFacts(x).join(', ') || 'no figures'}${where}`,
      );
    }
    out.push('');
  }
  if (r.hunt) {
    out.push(
      '## Hunt Leak (baseline → target → final snapshots)',
      '',
      `${r.hunt.leakedCount} leaked objects retaining ${formatBytes(r.hunt.leakedRetainedSize)}.`,
      '',
    );
    for (const g of r.hunt.groups)
      out.push(
        `- ${g.count} × ${escapeMarkdown(g.name)} retaining ${formatBytes(g.retainedSize)} — retained by: ${escapeMarkdown(g.retainerPath.join(' → '))}${g.discounted ? ` (probably the runtime's own buffer: ${escapeMarkdown(g.discounted)})` : ''}`,
      );
    out.push('');
  }
  return out.join('\n');
}

/** The leak lines of the status bar tooltip (Markdown), or '' when nothing is suspected. */
export function statusTooltipMarkdown(
  r: Pick<LeakReportView, 'suspected' | 'verdicts' | 'suspects'> & Partial<Pick<LeakReportView, 'retainers'>>,
  showReportLink: string,
): string {
  const v = leadVerdict(r.verdicts);
  if (!r.suspected || !v) return '';
  const top = r.suspects[0];
  const where = top ? ` — top suspect ${escapeMarkdown(`${basename(top.file)}:${top.line}`)}` : '';
  const holder = r.retainers?.[0];
  const kept = holder
    ? `\n\nKept by ${escapeMarkdown(shortPath(holder.path, 80))}${holder.file && holder.line ? ` (${escapeMarkdown(`${basename(holder.file)}:${holder.line}`)})` : ''}`
    : '';
  const forecast = forecastSentence(v);
  const ahead = forecast ? `\n\n${escapeMarkdown(forecast)}` : '';
  return `**⚠ ${verdictHeadline(v)}:** ${leakMetricText(v.metric)} ${formatLeakRate(v.metric, v.rateBytesPerSec)}${where}${ahead}${kept}\n\n${showReportLink}`;
}

/** The notification text when a leak is first suspected. Plain text. */
export function notificationText(sessionName: string, r: Pick<LeakReportView, 'verdicts' | 'suspects'>): string {
  const v = leadVerdict(r.verdicts);
  const rate = v
    ? ` ${l10n.t('{0} grows {1}', leakMetricText(v.metric), formatLeakRate(v.metric, v.rateBytesPerSec))}`
    : '';
  const top = r.suspects[0];
  const where = top ? `; ${l10n.t('top suspect {0}', `${basename(top.file)}:${top.line}`)}` : '';
  const forecast = v ? forecastSentence(v) : '';
  const headline =
    v?.state === 'confirmed'
      ? l10n.t('Memory LEAK CONFIRMED in "{0}":{1}{2}.', sessionName, rate, where)
      : l10n.t('Memory LEAK SUSPECTED in "{0}":{1}{2}.', sessionName, rate, where);
  return forecast ? `${headline} ${forecast}` : headline;
}

function basename(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
