import { escapeTerminal, formatBytes, formatLeakRate, formatRate, formatTarget } from '../format';
import { formatForecast } from './forecast';
import type { LeakOverhead, ProfilerState, RetainerProbeStatus } from './leakMonitor';
import type { LeakClearedLine, LeakReportLine, LeakRetainer, LeakSite } from './types';

/** A retainer with just the contract's seven fields (`keeps` is not part of the JSON line). */
export function toRetainerJson(r: LeakRetainer): Omit<LeakRetainer, 'keeps'> {
  return {
    path: r.path,
    kind: r.kind,
    file: r.file,
    line: r.line,
    count: r.count,
    countGrowthPerSec: r.countGrowthPerSec,
    retainedBytes: r.retainedBytes,
  };
}

/** The `leak` JSON line exactly as the contract names it (sites reduced to the contract's six fields). */
export function toLeakJsonLine(line: LeakReportLine): LeakReportLine {
  return {
    type: 'leak',
    t: line.t,
    pid: line.pid,
    ...(line.threadId !== undefined && { threadId: line.threadId }),
    metric: line.metric,
    rateBytesPerSec: line.rateBytesPerSec,
    ...(line.rateNodesPerSec !== undefined && { rateNodesPerSec: line.rateNodesPerSec }),
    confidence: line.confidence,
    since: line.since,
    sites: line.sites.map((s) => ({
      file: s.file,
      line: s.line,
      column: s.column,
      function: s.function,
      liveBytes: s.liveBytes,
      growthBytesPerSec: s.growthBytesPerSec,
    })),
    retainers: (line.retainers ?? []).map(toRetainerJson),
    state: line.state,
    forecast: {
      criticalInSec: line.forecast.criticalInSec,
      emergencyInSec: line.forecast.emergencyInSec,
      heapLimitInSec: line.forecast.heapLimitInSec,
    },
  };
}

/** The `leak-cleared` JSON line exactly as the contract names it. */
export function toLeakClearedJsonLine(line: LeakClearedLine): LeakClearedLine {
  return {
    type: 'leak-cleared',
    t: line.t,
    pid: line.pid,
    ...(line.threadId !== undefined && { threadId: line.threadId }),
    metric: line.metric,
    reason: line.reason,
  };
}

const METRIC_NAME = {
  heap: 'JS heap',
  external: 'off-heap (external/Buffer) memory',
  rss: 'process RSS (native memory)',
  dom: 'DOM nodes (kept after GC)',
} as const;

/** The human leak report (plain text) for one or more processes. */
export function formatLeakReport(
  processes: Array<{
    pid: number | null;
    threadId?: number;
    /** Verdicts standing at the end. */
    verdicts: LeakReportLine[];
    /** Verdicts withdrawn during the run. */
    cleared?: readonly LeakClearedLine[];
    /** Post-GC baselines gathered, and whether they could support a verdict at all. */
    data?: { baselines: number; enough: boolean };
    /** The thresholds the forecasts count down to (bytes). */
    thresholds?: { criticalBytes: number; emergencyBytes: number };
    overhead?: LeakOverhead;
    profiler?: ProfilerState;
    /** Where the search for what keeps the leaked objects stood at the end (said when a verdict has no retainers). */
    retainerSearch?: RetainerProbeStatus;
  }>,
): string {
  const out: string[] = ['', 'memmon leak report'];
  for (const p of processes) {
    const who = formatTarget(p.pid, p.threadId);
    const cleared = p.cleared ?? [];
    if (!p.verdicts.length && cleared.length) out.push(`  ${who}: no leak standing at the end`);
    else if (!p.verdicts.length && p.data && !p.data.enough)
      out.push(
        `  ${who}: not enough data (${p.data.baselines} baseline${p.data.baselines === 1 ? '' : 's'}) for a verdict`,
      );
    else if (!p.verdicts.length) out.push(`  ${who}: no leak suspected`);
    for (const c of cleared)
      out.push(`  ${who}: cleared at ${new Date(c.t).toISOString()}: ${METRIC_NAME[c.metric]} — ${c.reason}`);
    for (const v of p.verdicts) {
      out.push(
        `  ${who}: LEAK SUSPECTED in ${METRIC_NAME[v.metric]}${v.state === 'confirmed' ? ' (confirmed: growth went on)' : ''}: ${formatLeakRate(v.metric, v.rateBytesPerSec)} after GC since ${new Date(v.since).toISOString()} (confidence ${(v.confidence * 100).toFixed(0)} %)`,
      );
      const ahead = p.thresholds && v.forecast ? formatForecast(v.forecast, p.thresholds) : '';
      if (ahead) out.push(`    at this rate it ${ahead}`);
      if (v.sites.length) out.push('    allocation sites whose live memory keeps growing (top suspect first):');
      v.sites.forEach((s: LeakSite, i) =>
        out.push(
          `    ${i + 1}. ${escapeTerminal(s.file)}:${s.line}:${s.column}  ${escapeTerminal(s.function)}  live ${formatBytes(s.liveBytes)}, ${formatRate(s.growthBytesPerSec)}`,
        ),
      );
      if (v.retainers?.length) out.push('    what keeps them (most responsible first):');
      v.retainers?.forEach((r, i) => out.push(`    ${i + 1}. ${formatRetainer(r)}`));
      const search = !v.retainers?.length && v.metric !== 'dom' ? retainerSearchLine(p.retainerSearch) : '';
      if (search) out.push(`    what keeps them: ${search}`);
      if (!v.sites.length && p.profiler && 'reason' in p.profiler)
        out.push(`    no allocation sites: ${p.profiler.reason}`);
      else if (!v.sites.length && p.overhead?.withheldReadMs)
        out.push(
          `    no allocation sites yet: reading the sampling profile would now cost the program ~${p.overhead.withheldReadMs.toFixed(0)} ms of CPU (a fast leak's sampled objects stay live, so each read grows), beyond the 1 % budget; \`memmon hunt\` names what keeps them`,
        );
      else if (!v.sites.length)
        out.push(
          '    no allocation site grew measurably (off-heap or native growth?); try `memmon hunt` for retainers',
        );
    }
    if (p.overhead?.snapshotPausesMs?.length) {
      const ms = p.overhead.snapshotPausesMs;
      out.push(
        `    retainer snapshots: ${ms.length}, longest pause ${Math.max(...ms).toFixed(0)} ms (capture time, an upper bound)`,
      );
    }
    if (p.overhead) {
      const o = p.overhead;
      out.push(
        `    detection cost: ${o.gcCount} forced GCs (${o.gcMs.toFixed(0)} ms CPU) and ${o.profileCount} profile reads (${o.profileCpuMs.toFixed(0)} ms CPU)${o.naturalBaselines ? `, ${o.naturalBaselines} baselines from V8's own GCs (${o.drainMs.toFixed(0)} ms CPU)` : ''} = ${o.cpuPercent.toFixed(2)} % of one core over ${(o.wallMs / 1000).toFixed(0)} s`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

/** Why a standing verdict names no retainer, and what to do about it ('' when there is nothing to say). */
export function retainerSearchLine(status: RetainerProbeStatus | undefined): string {
  if (!status) return '';
  const mb = (bytes: number) => Math.ceil(bytes / (1024 * 1024));
  switch (status.state) {
    case 'over-limit': {
      const pause =
        status.estimatedPauseMs === null
          ? ''
          : `; each of its 2 snapshots would pause the program ~${formatSeconds(status.estimatedPauseMs)}`;
      const heap = status.heapBytes === null ? 'the heap' : `the heap (${formatBytes(status.heapBytes)})`;
      const next =
        status.heapBytes === null
          ? ''
          : ` --retainer-snapshot-limit ${Math.ceil((mb(status.heapBytes) * 2) / 256) * 256}`;
      return `not searched: ${heap} is above the ${mb(status.limitBytes)} MB snapshot limit${pause}. Run again with${next || ' a higher --retainer-snapshot-limit'}, or use \`memmon hunt\``;
    }
    case 'running':
      return 'the retainer snapshots were still running when monitoring ended (a longer --duration lets them finish)';
    case 'failed':
      return `the retainer search failed: ${escapeTerminal(status.error ?? 'unknown error')}`;
    case 'done':
      return 'no growing holder was found in the two retainer snapshots (off-heap growth, or objects kept by native code?)';
    default:
      return '';
  }
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** One retainer as a report line: `cache (Map) in module orders.js  keeps 1,204 entries (+10/s), 1.3 MB  at file:line`. */
export function formatRetainer(r: LeakRetainer): string {
  const count =
    r.count === null
      ? ''
      : `  ${r.count.toLocaleString('en-US')} ${r.kind === 'detached-dom' ? 'detached nodes' : 'entries'}${r.countGrowthPerSec !== null ? ` (${r.countGrowthPerSec >= 0 ? '+' : ''}${r.countGrowthPerSec.toLocaleString('en-US', { maximumFractionDigits: 1 })}/s)` : ''}`;
  const bytes = r.retainedBytes === null ? '' : `, retains ${formatBytes(r.retainedBytes)}`;
  const at = r.file ? `  at ${escapeTerminal(r.file)}${r.line !== null ? `:${r.line}` : ''}` : '';
  // The path carries property and event names from the debuggee's heap: untrusted text.
  const keeps = r.keeps?.file
    ? `; keeps ${escapeTerminal(r.keeps.className)} objects (constructor at ${escapeTerminal(r.keeps.file)}:${r.keeps.line})`
    : '';
  return `${escapeTerminal(r.path)} [${r.kind}]${count}${bytes}${at}${keeps}`;
}
