// Pure rows of the comparison summary table (text only). No DOM.
import * as l10n from '@vscode/l10n';
import { formatBytes, formatRate } from '../../../src/core/format';
import type { RecordingSummaryView, ToCompareMessage } from '../../../src/shared/protocol';

export interface SummaryRow {
  label: string;
  a: string;
  b: string;
  delta: string;
  /** Verdict of the matching `memmon compare` check, '' when the figure is not checked. */
  check: string;
  worse: boolean;
}

const bytes = (v: number | null | undefined) => (v === null || v === undefined ? '—' : formatBytes(v));
const signedBytes = (v: number) => (v < 0 ? `−${formatBytes(-v)}` : `+${formatBytes(v)}`);
const rate = (v: number | null) => (v === null ? '—' : formatRate(v));
const duration = (ms: number) =>
  ms >= 3_600_000
    ? `${(ms / 3_600_000).toFixed(1)} h`
    : ms >= 60_000
      ? `${(ms / 60_000).toFixed(1)} min`
      : `${(ms / 1000).toFixed(1)} s`;

/** The table: peak and final heap/RSS, growth rates, GC freed, alerts, with each check's verdict. */
export function summaryRows(m: Extract<ToCompareMessage, { type: 'comparison' }>): SummaryRow[] {
  const check = (metric: string) => {
    const c = m.checks.find((k) => k.metric === metric);
    if (!c || c.limit === null) return { check: c ? l10n.t('not comparable') : '', worse: false };
    const limit =
      typeof c.limit === 'number' ? (metric === 'heapGrowth' ? rate(c.limit) : formatBytes(c.limit)) : c.limit;
    return { check: c.worse ? l10n.t('WORSE (limit {0})', limit) : l10n.t('ok (limit {0})', limit), worse: c.worse };
  };
  const row = (
    label: string,
    pick: (s: RecordingSummaryView) => number | null,
    fmt: (v: number | null) => string,
    metric = '',
    deltaFmt = signedBytes,
  ): SummaryRow => {
    const va = pick(m.a);
    const vb = pick(m.b);
    return {
      label,
      a: fmt(va),
      b: fmt(vb),
      delta: va !== null && vb !== null ? deltaFmt(vb - va) : '—',
      ...(metric ? check(metric) : { check: '', worse: false }),
    };
  };
  const count = (v: number | null) => (v === null ? '—' : String(v));
  const alerts = (s: RecordingSummaryView) =>
    l10n.t('{0} warning · {1} critical · {2} emergency', s.alerts.warning, s.alerts.critical, s.alerts.emergency) +
    (s.alerts.leak ? l10n.t(' · {0} leak', s.alerts.leak) : '');
  const levelCheck = check('maxAlertLevel');
  return [
    {
      label: l10n.t('Duration'),
      a: duration(m.a.durationMs),
      b: duration(m.b.durationMs),
      delta: '',
      check: '',
      worse: false,
    },
    row(
      l10n.t('Samples'),
      (s) => s.samples,
      count,
      '',
      (d) => `${d >= 0 ? '+' : ''}${d}`,
    ),
    row(l10n.t('Peak heap used'), (s) => s.heap.peak, bytes, 'peakHeap'),
    row(l10n.t('Final heap used'), (s) => s.heap.final, bytes),
    row(l10n.t('Peak RSS'), (s) => s.rss?.peak ?? null, bytes, 'peakRss'),
    row(l10n.t('Final RSS'), (s) => s.rss?.final ?? null, bytes),
    row(l10n.t('Heap growth rate'), (s) => s.heapGrowthBytesPerSec, rate, 'heapGrowth', formatRate),
    row(l10n.t('RSS growth rate'), (s) => s.rssGrowthBytesPerSec, rate, '', formatRate),
    row(
      l10n.t('Diagnostic GCs'),
      (s) => s.gc.runs,
      count,
      '',
      (d) => `${d >= 0 ? '+' : ''}${d}`,
    ),
    row(l10n.t('GC freed (total)'), (s) => s.gc.freedBytes, bytes),
    { label: l10n.t('Alerts'), a: alerts(m.a), b: alerts(m.b), delta: '', check: '', worse: false },
    {
      label: l10n.t('Highest alert level'),
      a: m.a.maxLevel,
      b: m.b.maxLevel,
      delta: '',
      check: levelCheck.check,
      worse: levelCheck.worse,
    },
  ];
}
