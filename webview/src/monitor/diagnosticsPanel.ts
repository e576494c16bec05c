// The Monitor panel's Diagnostics tab: watched object counts over time, GC effectiveness, per-space detail of the
// latest detailed diagnostic GC, and the Prometheus endpoint. Heap-derived names are set as text only.
import * as l10n from '@vscode/l10n';
import { Chart } from 'chart.js';
import { formatBytes } from '../../../src/core/format';
import type { DiagnosticsView, GcEffectView, ObjectCountsView } from '../../../src/shared/protocol';
import { h, oncePerFrame, themeColor, timeOfDay } from '../common/dom';
import { countSeries, latestSpaces, watchedRows } from './diagnosticsData';
import { axisColors, valueAxis, timeOfDayAxis } from '../common/lineChart';

const PALETTE: [string, string][] = [
  ['--vscode-charts-blue', '#3794ff'],
  ['--vscode-charts-orange', '#d18616'],
  ['--vscode-charts-purple', '#b180d7'],
  ['--vscode-charts-green', '#89d185'],
  ['--vscode-charts-yellow', '#cca700'],
  ['--vscode-charts-red', '#f14c4c'],
];

type XY = { x: number; y: number };

/** Builds the tab's content into `root`; feed it with set/addObjects/addGc. */
export class DiagnosticsPanel {
  private view: DiagnosticsView = { watchedClasses: [], objects: [], gcs: [], metricsUrl: null };
  private readonly metricsLine = h('p', { id: 'metrics-url', class: 'hint' });
  private readonly watchedBody = h('tbody', { id: 'watched-body' });
  private readonly watchedNote = h('p', { class: 'hint' });
  private readonly spacesBox = h('div', { id: 'gc-spaces' });
  private readonly gcBody = h('tbody', { id: 'gc-body' });
  private readonly objectsChart: Chart<'line', XY[]>;
  private readonly gcChart: Chart<'line', XY[]>;

  constructor(root: HTMLElement, countButton: HTMLElement, detailedButton: HTMLElement) {
    const objectsCanvas = h('canvas', {
      id: 'objects-chart',
      role: 'img',
      'aria-label': l10n.t('Watched object counts over time; the table below has the same data'),
    });
    const gcCanvas = h('canvas', {
      id: 'gc-chart',
      role: 'img',
      'aria-label': l10n.t('Bytes and percentage freed by each diagnostic GC; the table below has the same data'),
    });
    root.append(
      h('div', { class: 'chart-actions' }, countButton, detailedButton, this.metricsLine),
      h('h3', {}, l10n.t('Watched objects')),
      this.watchedNote,
      h('div', { class: 'small-chart' }, objectsCanvas),
      h(
        'table',
        { id: 'watched-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...[l10n.t('Class'), l10n.t('Live instances'), l10n.t('Change since first count'), l10n.t('Note')].map(
              (c) => h('th', { scope: 'col' }, c),
            ),
          ),
        ),
        this.watchedBody,
      ),
      h('h3', {}, l10n.t('GC effectiveness')),
      h('div', { class: 'small-chart' }, gcCanvas),
      h(
        'div',
        { class: 'table-box short' },
        h(
          'table',
          { id: 'gc-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...[
                l10n.t('Time'),
                l10n.t('Freed'),
                l10n.t('% of heap'),
                l10n.t('Heap before'),
                l10n.t('Heap after'),
              ].map((c) => h('th', { scope: 'col' }, c)),
            ),
          ),
          this.gcBody,
        ),
      ),
      h('h3', {}, l10n.t('Latest detailed GC, per heap space')),
      this.spacesBox,
    );
    this.objectsChart = smallChart(objectsCanvas, 'count', false);
    this.gcChart = smallChart(gcCanvas, l10n.t('MB freed'), true);
  }

  /** Replaces everything (state, session switch, settings change). */
  set(view: DiagnosticsView): void {
    this.view = { ...view, objects: [...view.objects], gcs: [...view.gcs] };
    this.render();
  }

  addObjects(o: ObjectCountsView): void {
    this.view.objects.push(o);
    this.render();
  }

  addGc(g: GcEffectView): void {
    this.view.gcs.push(g);
    this.render();
  }

  private readonly render = oncePerFrame(() => {
    this.renderNow();
  });

  private renderNow(): void {
    const { watchedClasses, objects, gcs, metricsUrl } = this.view;
    this.metricsLine.textContent = metricsUrl
      ? l10n.t('Prometheus metrics: {0}', metricsUrl)
      : l10n.t('Prometheus endpoint off (setting memoryMonitor.metricsPort).');
    // Watched classes.
    const rows = watchedRows(watchedClasses, objects);
    this.watchedNote.textContent = watchedClasses.length
      ? l10n.t('{0} counts. Each count forces one full GC in the debuggee.', objects.length)
      : l10n.t(
          'No watched classes. Add class names to the memoryMonitor.watchedClasses setting to count their live instances over time.',
        );
    this.watchedBody.replaceChildren(
      ...rows.map((r) =>
        h(
          'tr',
          {},
          h('td', {}, r.name),
          h('td', {}, r.count === null ? '—' : r.count.toLocaleString('en-US')),
          h('td', {}, r.change === null ? '—' : `${r.change > 0 ? '+' : ''}${r.change.toLocaleString('en-US')}`),
          h('td', { class: 'note' }, r.problem ?? ''),
        ),
      ),
    );
    const names = rows.map((r) => r.name);
    const series = countSeries(names, objects);
    this.objectsChart.data.datasets = names.map((name, i) => dataset(name, series[i], i, 'y'));
    this.objectsChart.update('none');
    // GC effectiveness.
    this.gcChart.data.datasets = [
      dataset(
        l10n.t('Freed (MB)'),
        gcs.map((g) => ({ x: g.t, y: g.freed / 1e6 })),
        3,
        'y',
      ),
      dataset(
        l10n.t('Freed (% of heap)'),
        gcs.map((g) => ({ x: g.t, y: g.percent })),
        1,
        'y1',
        [4, 3],
      ),
    ];
    this.gcChart.update('none');
    this.gcBody.replaceChildren(
      ...[...gcs]
        .reverse()
        .slice(0, 200)
        .map((g) =>
          h(
            'tr',
            {},
            h('td', {}, timeOfDay(g.t)),
            h('td', {}, g.freed >= 0 ? formatBytes(g.freed) : l10n.t('−{0} (heap grew)', formatBytes(-g.freed))),
            h('td', {}, `${g.percent.toFixed(1)} %`),
            h('td', {}, formatBytes(g.heapBefore)),
            h('td', {}, formatBytes(g.heapAfter)),
          ),
        ),
    );
    if (!gcs.length)
      this.gcBody.append(h('tr', {}, h('td', { colspan: 5, class: 'hint' }, l10n.t('No diagnostic GC yet.'))));
    // Per-space detail.
    const latest = latestSpaces(gcs);
    if (!latest) {
      this.spacesBox.replaceChildren(
        h(
          'p',
          { class: 'hint' },
          l10n.t(
            'Run “Memory: Run Diagnostic GC” → “Detailed (per heap space)” to see each V8 heap space before and after.',
          ),
        ),
      );
    } else if (!latest.rows.length) {
      this.spacesBox.replaceChildren(
        h(
          'p',
          { class: 'hint' },
          l10n.t(
            '{0}: this target cannot report heap spaces (v8.getHeapSpaceStatistics is Node.js only).',
            timeOfDay(latest.gc.t),
          ),
        ),
      );
    } else {
      const total = latest.rows.reduce((a, r) => ({ before: a.before + r.usedBefore, after: a.after + r.usedAfter }), {
        before: 0,
        after: 0,
      });
      this.spacesBox.replaceChildren(
        h(
          'p',
          {},
          l10n.t(
            '{0}: freed {1} ({2} % of the heap).',
            timeOfDay(latest.gc.t),
            formatBytes(latest.gc.freed),
            latest.gc.percent.toFixed(1),
          ),
        ),
        h(
          'table',
          { id: 'spaces-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...[
                l10n.t('Heap space'),
                l10n.t('Used before'),
                l10n.t('Used after'),
                l10n.t('Freed'),
                l10n.t('Available after'),
              ].map((c) => h('th', { scope: 'col' }, c)),
            ),
          ),
          h(
            'tbody',
            {},
            ...latest.rows.map((r) =>
              h(
                'tr',
                {},
                h('td', {}, r.name),
                h('td', {}, formatBytes(r.usedBefore)),
                h('td', {}, formatBytes(r.usedAfter)),
                h('td', {}, formatBytes(r.freed)),
                h('td', {}, formatBytes(r.availableAfter)),
              ),
            ),
          ),
          h(
            'tfoot',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, l10n.t('All spaces')),
              h('td', {}, formatBytes(total.before)),
              h('td', {}, formatBytes(total.after)),
              h('td', {}, formatBytes(total.before - total.after)),
              h('td', {}),
            ),
          ),
        ),
      );
    }
  }
}

function dataset(label: string, data: XY[], colour: number, yAxisID: string, dash?: number[]) {
  const [name, fallback] = PALETTE[colour % PALETTE.length];
  const c = themeColor(name, fallback);
  return {
    label,
    data,
    yAxisID,
    borderColor: c,
    backgroundColor: c,
    borderDash: dash,
    borderWidth: 1.5,
    pointRadius: 2.5,
    tension: 0,
  };
}

function smallChart(canvas: HTMLCanvasElement, yTitle: string, percentAxis: boolean): Chart<'line', XY[]> {
  const colors = axisColors();
  const { fg } = colors;
  return new Chart<'line', XY[]>(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false,
      parsing: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: timeOfDayAxis(colors, 2000),
        y: valueAxis(yTitle, colors),
        ...(percentAxis
          ? {
              y1: {
                type: 'linear' as const,
                position: 'right' as const,
                min: 0,
                max: 100,
                title: { display: true, text: '%', color: fg },
                ticks: { color: fg },
                grid: { drawOnChartArea: false },
              },
            }
          : {}),
      },
      plugins: {
        legend: { labels: { color: fg, boxHeight: 2 } },
        tooltip: { callbacks: { title: (items) => (items[0] ? timeOfDay(items[0].parsed.x ?? 0) : '') } },
      },
    },
  });
}
