// Pure conversion of two loaded recordings into the comparison panel's message. No vscode import.
import { alignedSeries, compareRecordings, summarizeRecording } from '../../core/recording/compare';
import { largestProcess, Recording } from '../../core/recording/recordingLoader';
import type { AlignedSeriesView, RecordingSummaryView, ToCompareMessage } from '../../shared/protocol';

/** Points sent per recording; longer recordings are thinned evenly (the chart decimates further). */
const MAX_POINTS = 5000;

/** The `comparison` message for baseline A and candidate B (labels: file names). */
export function comparisonMessage(
  a: Recording,
  b: Recording,
  labels: [string, string],
  tolerance = 0.1,
): Extract<ToCompareMessage, { type: 'comparison' }> {
  const c = compareRecordings(a, b, { tolerance });
  return {
    type: 'comparison',
    a: summaryView(summarizeRecording(a), labels[0]),
    b: summaryView(summarizeRecording(b), labels[1]),
    seriesA: seriesView(a),
    seriesB: seriesView(b),
    checks: c.checks.map((k) => ({ metric: k.metric, a: k.a, b: k.b, limit: k.limit, worse: k.worse })),
    tolerance: c.tolerance,
    worse: c.worse,
  };
}

function summaryView(s: ReturnType<typeof summarizeRecording>, label: string): RecordingSummaryView {
  const { source: _source, ...rest } = s;
  return { label, ...rest };
}

/** Aligned at start (seconds since the first sample), at most MAX_POINTS points. */
export function seriesView(rec: Recording): AlignedSeriesView {
  const all = alignedSeries(largestProcess(rec.processes));
  const step = Math.max(1, Math.ceil(all.length / MAX_POINTS));
  const picked = all.filter((_, i) => i % step === 0 || i === all.length - 1);
  return { s: picked.map((p) => p.s), heapUsed: picked.map((p) => p.heapUsed), rss: picked.map((p) => p.rss) };
}
