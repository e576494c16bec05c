// The Statistics tab: DevTools' breakdown of the heap (code, strings, JS arrays, typed arrays, system objects) as a
// doughnut chart and a table with the same numbers (the table is what screen readers and tests read).
import * as l10n from '@vscode/l10n';
import { ArcElement, Chart, DoughnutController, Legend, Tooltip } from 'chart.js';
import type { StatisticsView } from '../../../src/shared/summaryViewProtocol';
import { h, themeColor } from '../common/dom';
import { bytes } from './cells';
import { statisticsSlices } from './viewData';
import { viewerRequests } from './viewerRequests';

Chart.register(DoughnutController, ArcElement, Tooltip, Legend);

/** Draws the tab into `root` once asked (the chart needs a visible canvas). */
export class StatisticsPanel {
  private chart: Chart<'doughnut', number[], string> | undefined;
  private loaded = false;

  constructor(
    private readonly root: HTMLElement,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Loads and draws the statistics the first time the tab is shown. */
  show(): void {
    if (this.loaded) return;
    this.loaded = true;
    viewerRequests.call('statistics', {}).then(
      (s) => this.render(s),
      (err: unknown) => {
        this.loaded = false;
        this.onError(err);
      },
    );
  }

  private render(s: StatisticsView): void {
    const pct = (n: number) => (s.total ? `${((100 * n) / s.total).toFixed(1)} %` : '—');
    // The English name is the row's data key (tests and assistive tools match it); the label is translated.
    const rows: [key: string, label: string, bytes: number, depth: number][] = [
      ['Total', l10n.t('Total'), s.total, 0],
      ['V8 heap', l10n.t('V8 heap'), s.v8heap.total, 1],
      ['Code', l10n.t('Code'), s.v8heap.code, 2],
      ['Strings', l10n.t('Strings'), s.v8heap.strings, 2],
      ['JS arrays', l10n.t('JS arrays'), s.v8heap.jsArrays, 2],
      ['System objects', l10n.t('System objects'), s.v8heap.system, 2],
      ['Other JS objects', l10n.t('Other JS objects'), statisticsSlices(s)[5].value, 2],
      ['Native', l10n.t('Native'), s.native.total, 1],
      ['Typed arrays', l10n.t('Typed arrays'), s.native.typedArrays, 2],
      ['Other native', l10n.t('Other native'), statisticsSlices(s)[6].value, 2],
    ];
    const table = h(
      'table',
      { id: 'statistics-table', class: 'statistics' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['', l10n.t('Size'), l10n.t('Share')].map((c) => h('th', { scope: 'col', class: c ? '' : 'name' }, c)),
        ),
      ),
      h(
        'tbody',
        {},
        ...rows.map(([key, label, value, depth]) =>
          h(
            'tr',
            { class: depth === 0 ? 'total' : '', 'data-stat': key },
            h('th', { scope: 'row', class: `name depth-${depth}` }, label),
            h('td', { class: 'bytes', title: l10n.t('{0} bytes', value.toLocaleString()) }, bytes(value)),
            h('td', { class: 'share' }, pct(value)),
          ),
        ),
      ),
    );
    const canvas = h('canvas', {
      id: 'statistics-chart',
      role: 'img',
      'aria-label': l10n.t('Heap breakdown by kind of object; the table has the same data'),
    });
    this.root.replaceChildren(
      h(
        'p',
        { class: 'hint' },
        l10n.t(
          "Where the heap's bytes go, as Chrome DevTools' Statistics view counts them (total = retained size of the root plus native bytes outside V8's heap).",
        ),
      ),
      h('div', { class: 'statistics-box' }, h('div', { class: 'statistics-chart' }, canvas), table),
    );
    const slices = statisticsSlices(s);
    this.chart?.destroy();
    this.chart = new Chart(canvas, {
      type: 'doughnut',
      data: {
        labels: slices.map((x) => x.label),
        datasets: [
          {
            data: slices.map((x) => x.value),
            backgroundColor: slices.map((x) => themeColor(...x.color)),
            borderColor: themeColor('--vscode-editor-background', '#1e1e1e'),
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: {
          legend: { position: 'right', labels: { color: themeColor('--vscode-foreground', '#cccccc') } },
          tooltip: { callbacks: { label: (c) => `${c.label}: ${bytes(c.parsed)} (${pct(c.parsed)})` } },
        },
      },
    });
  }
}
