import { formatBytes, formatRate } from '../format';
import type { LeakOverhead, ProfilerState } from './leakMonitor';
import type { LeakReportLine, LeakSite } from './types';

/** The `leak` JSON line exactly as the contract names it (sites reduced to the contract's six fields). */
export function toLeakJsonLine(line: LeakReportLine): LeakReportLine {
  return {
    type: 'leak',
    t: line.t,
    pid: line.pid,
    metric: line.metric,
    rateBytesPerSec: line.rateBytesPerSec,
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
  };
}

const METRIC_NAME = {
  heap: 'JS heap',
  external: 'off-heap (external/Buffer) memory',
  rss: 'process RSS (native memory)',
} as const;

/** The human leak report (plain text) for one or more processes. */
export function formatLeakReport(
  processes: Array<{
    pid: number | null;
    verdicts: LeakReportLine[];
    overhead?: LeakOverhead;
    profiler?: ProfilerState;
  }>,
): string {
  const out: string[] = ['', 'memmon leak report'];
  for (const p of processes) {
    const who = `pid ${p.pid ?? '?'}`;
    if (!p.verdicts.length) out.push(`  ${who}: no leak suspected`);
    for (const v of p.verdicts) {
      out.push(
        `  ${who}: LEAK SUSPECTED in ${METRIC_NAME[v.metric]}: ${formatRate(v.rateBytesPerSec)} since ${new Date(v.since).toISOString()} (confidence ${(v.confidence * 100).toFixed(0)} %)`,
      );
      if (v.sites.length) out.push('    allocation sites whose live memory keeps growing (top suspect first):');
      v.sites.forEach((s: LeakSite, i) =>
        out.push(
          `    ${i + 1}. ${s.file}:${s.line}:${s.column}  ${s.function}  live ${formatBytes(s.liveBytes)}, ${formatRate(s.growthBytesPerSec)}`,
        ),
      );
      if (!v.sites.length && p.profiler && 'reason' in p.profiler)
        out.push(`    no allocation sites: ${p.profiler.reason}`);
      else if (!v.sites.length)
        out.push(
          '    no allocation site grew measurably (off-heap or native growth?); try `memmon hunt` for retainers',
        );
    }
    if (p.overhead) {
      const o = p.overhead;
      out.push(
        `    detection cost: ${o.gcCount} forced GCs (${o.gcMs.toFixed(0)} ms CPU) and ${o.profileCount} profile reads (${o.profileCpuMs.toFixed(0)} ms CPU) = ${o.cpuPercent.toFixed(2)} % of one core over ${(o.wallMs / 1000).toFixed(0)} s`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}
