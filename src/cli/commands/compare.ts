import { formatBytes, formatRate } from '../../core/format';
import {
  CheckResult,
  compareRecordings,
  incompleteRecording,
  parseTolerance,
  RecordingComparison,
  RecordingSummary,
} from '../../core/recording/compare';
import { loadRecording, RecordingError } from '../../core/recording/recordingLoader';
import { CliCommand, ExitCode, parseOptions, RuntimeError, UsageError, writeJsonLine } from '../command';

export const command: CliCommand = {
  name: 'compare',
  summary: 'compare two recordings (baseline A, candidate B); exit 5 when B is worse beyond a tolerance',
  usage: `Usage: memmon compare [options] <A.jsonl> <B.jsonl>

Summarizes two recordings — memmon --log-dir files (or a folder of them) or captured \`memmon run --json\` output —
and tells whether B is worse than A: peak RSS or peak heap higher by more than the tolerance, heap growth rate
higher by more than the tolerance (and by at least 1 MB/min), or a higher alert level. With several processes in
a recording, the largest one (highest peak RSS) is compared.

Options:
  --tolerance <n%>   allowed relative increase (default 10%)
  --json             print one JSON line: {"type":"compare",…}

Exit codes: 0 B is not worse, 5 B is worse than A beyond the tolerance, 1 a recording cannot be read or is
incomplete (cut mid-line, a single sample, absurd values, or B covering less than half of A's time or samples),
2 usage error.`,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { tolerance: { type: 'string' }, json: { type: 'boolean' } });
    if (positionals.length !== 2) throw new UsageError(`expected two recordings (A then B), got ${positionals.length}`);
    const tolerance = values.tolerance === undefined ? 0.1 : parseTolerance(values.tolerance);
    if (tolerance === null)
      throw new UsageError(`--tolerance expects a percentage such as 10%, got "${values.tolerance}"`);
    const [a, b] = await Promise.all(positionals.map((p) => loadRecording(p))).catch((err: Error) => {
      throw err instanceof RecordingError ? new RuntimeError(err.message) : err;
    });
    const result = compareRecordings(a, b, { tolerance });
    const incomplete = incompleteRecording(a, b, result);
    if (incomplete) throw new RuntimeError(incomplete);
    if (values.json) writeJsonLine(io.stdout, { type: 'compare', ...result });
    else io.stdout.write(describeComparison(result));
    return result.worse ? ExitCode.regression : ExitCode.ok;
  },
};

const CHECK_TITLES: Record<CheckResult['metric'], string> = {
  peakRss: 'peak RSS',
  peakHeap: 'peak heap',
  heapGrowth: 'heap growth',
  maxAlertLevel: 'alert level',
};

/** The comparison as a table and a verdict. */
function describeComparison(r: RecordingComparison): string {
  const { a, b } = r;
  const pct = (va: number | null | undefined, vb: number | null | undefined) =>
    va && vb !== null && vb !== undefined ? `${vb >= va ? '+' : ''}${((100 * (vb - va)) / va).toFixed(1)} %` : '';
  const rows: Array<[string, string, string, string]> = [
    ['process', pidText(a), pidText(b), ''],
    ['duration', `${(a.durationMs / 1000).toFixed(1)} s`, `${(b.durationMs / 1000).toFixed(1)} s`, ''],
    ['peak heap', formatBytes(a.heap.peak), formatBytes(b.heap.peak), pct(a.heap.peak, b.heap.peak)],
    ['final heap', formatBytes(a.heap.final), formatBytes(b.heap.final), pct(a.heap.final, b.heap.final)],
    ['peak RSS', formatBytes(a.rss?.peak), formatBytes(b.rss?.peak), pct(a.rss?.peak, b.rss?.peak)],
    ['final RSS', formatBytes(a.rss?.final), formatBytes(b.rss?.final), pct(a.rss?.final, b.rss?.final)],
    ['heap growth', formatRate(a.heapGrowthBytesPerSec), formatRate(b.heapGrowthBytesPerSec), ''],
    [
      'GC freed',
      `${formatBytes(a.gc.freedBytes)} (${a.gc.runs} GCs)`,
      `${formatBytes(b.gc.freedBytes)} (${b.gc.runs} GCs)`,
      '',
    ],
    ['alerts w/c/e/leak', alertsText(a), alertsText(b), ''],
    ['max level', a.maxLevel, b.maxLevel, ''],
  ];
  const w = [18, Math.max(14, ...rows.map((x) => x[1].length)), Math.max(14, ...rows.map((x) => x[2].length))];
  const lines = [
    `A: ${a.source}`,
    `B: ${b.source}`,
    '',
    `${''.padEnd(w[0])}  ${'A'.padEnd(w[1])}  ${'B'.padEnd(w[2])}  change`,
    ...rows.map(([k, va, vb, d]) => `${k.padEnd(w[0])}  ${va.padEnd(w[1])}  ${vb.padEnd(w[2])}  ${d}`.trimEnd()),
    '',
  ];
  const worse = r.checks.filter((c) => c.worse);
  const tol = `${+(r.tolerance * 100).toFixed(2)} %`;
  if (worse.length)
    lines.push(
      `B is WORSE than A beyond the ${tol} tolerance: ${worse.map((c) => `${CHECK_TITLES[c.metric]} ${checkValue(c, c.b)} > ${checkValue(c, c.limit)}`).join('; ')}`,
    );
  else lines.push(`B is not worse than A (tolerance ${tol}).`);
  return `${lines.join('\n')}\n`;
}

function pidText(s: RecordingSummary): string {
  return `pid ${s.pid ?? '?'}${s.processCount > 1 ? ` (largest of ${s.processCount})` : ''}`;
}

function alertsText(s: RecordingSummary): string {
  return `${s.alerts.warning}/${s.alerts.critical}/${s.alerts.emergency}/${s.alerts.leak}`;
}

function checkValue(c: CheckResult, v: number | string | null): string {
  if (typeof v === 'string' || v === null) return String(v);
  return c.metric === 'heapGrowth' ? formatRate(v) : formatBytes(v);
}
