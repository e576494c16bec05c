// The recording comparison panel: two runs overlaid on one time axis (aligned at start) and the summary table
// that `memmon compare` prints. File names are shown as text only.
import './common/localize';
import './common/elements';
import { Chart, Decimation, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { formatBytes } from '../../src/core/format';
import type { AlignedSeriesView, FromCompareMessage, ToCompareMessage } from '../../src/shared/protocol';
import * as l10n from '@vscode/l10n';
import { adoptStyles, h, safeText, themeColor } from './common/dom';
import { vscodeApi } from './common/vscodeApi';
import css from './monitor/monitor.css';
import { summaryRows } from './compare/summaryRows';
import { FAST_LINE_CHART_OPTIONS, axisColors, valueAxis } from './common/lineChart';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Legend, Decimation);
adoptStyles(css);
const vscode = vscodeApi<unknown>();
const send = (m: FromCompareMessage) => vscode.postMessage(m);

const app = document.getElementById('app')!;
const title = h('h2', { id: 'compare-title' }, l10n.t('Loading recordings…'));
const verdict = h('p', { id: 'verdict', role: 'status' });
const canvas = h('canvas', {
  id: 'overlay',
  role: 'img',
  'aria-label': l10n.t('Heap used and RSS of both recordings over time since their start; the table has the figures'),
});
const table = h('table', { id: 'summary-table' });
app.append(title, verdict, h('div', { class: 'chart-box' }, canvas), h('h3', {}, l10n.t('Summary')), table);

function points(series: AlignedSeriesView, key: 'heapUsed' | 'rss') {
  const out: { x: number; y: number }[] = [];
  series.s.forEach((s, i) => {
    const v = series[key][i];
    if (v !== null && v !== undefined) out.push({ x: s, y: v / 1e6 });
  });
  return out;
}

function render(m: Extract<ToCompareMessage, { type: 'comparison' }>): void {
  title.replaceChildren(safeText(l10n.t('A: {0}  ↔  B: {1}', m.a.label, m.b.label)));
  verdict.textContent = m.worse
    ? l10n.t(
        '⚠ B is worse than A beyond the {0} % tolerance ({1}).',
        Math.round(m.tolerance * 100),
        m.checks
          .filter((c) => c.worse)
          .map((c) => c.metric)
          .join(', '),
      )
    : l10n.t('✓ B is not worse than A within the {0} % tolerance.', Math.round(m.tolerance * 100));
  verdict.className = m.worse ? 'level warning' : 'level normal';
  const colors = axisColors();
  const { fg, grid } = colors;
  const a = themeColor('--vscode-charts-blue', '#3794ff');
  const b = themeColor('--vscode-charts-orange', '#d18616');
  const ds = (label: string, data: { x: number; y: number }[], color: string, dash?: number[]) => ({
    label,
    data,
    borderColor: color,
    backgroundColor: color,
    borderDash: dash,
    borderWidth: 1.5,
    pointRadius: 0,
    tension: 0,
  });
  new Chart(canvas, {
    type: 'line',
    data: {
      datasets: [
        ds(l10n.t('A heap used'), points(m.seriesA, 'heapUsed'), a),
        ds(l10n.t('B heap used'), points(m.seriesB, 'heapUsed'), b),
        ds(l10n.t('A RSS'), points(m.seriesA, 'rss'), a, [4, 3]),
        ds(l10n.t('B RSS'), points(m.seriesB, 'rss'), b, [4, 3]),
      ],
    },
    options: {
      ...FAST_LINE_CHART_OPTIONS,
      scales: {
        x: {
          type: 'linear',
          title: { display: true, text: l10n.t('seconds since start'), color: fg },
          ticks: { color: fg },
          grid: { color: grid },
        },
        y: valueAxis('MB', colors),
      },
      plugins: {
        legend: { labels: { color: fg, boxHeight: 2 } },
        decimation: { enabled: true, algorithm: 'lttb', samples: 800 },
        tooltip: {
          callbacks: {
            title: (items) => `${(items[0]?.parsed.x ?? 0).toFixed(1)} s`,
            label: (item) => `${item.dataset.label}: ${formatBytes((item.parsed.y ?? 0) * 1e6)}`,
          },
        },
      },
    },
  });
  table.replaceChildren(
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['', l10n.t('A (baseline)'), 'B', 'B − A', l10n.t('Check')].map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      ...summaryRows(m).map((r) =>
        h(
          'tr',
          { class: r.worse ? 'worse' : '' },
          h('th', { scope: 'row' }, r.label),
          h('td', {}, r.a),
          h('td', {}, r.b),
          h('td', {}, r.delta),
          h('td', {}, r.check),
        ),
      ),
    ),
  );
  app.dataset.ready = 'true';
}

window.addEventListener('message', (event: MessageEvent<ToCompareMessage>) => {
  const m = event.data;
  if (m.type === 'comparison') render(m);
  else if (m.type === 'error') title.textContent = m.message;
});
send({ type: 'ready' });
