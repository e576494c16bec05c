import { Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import * as l10n from '@vscode/l10n';
import { formatBytes, formatNodeRate } from '../../../src/core/format';
import { formatCount } from '../../../src/core/metrics/domMetrics';
import type { LeakVerdictView } from '../../../src/shared/leakProtocol';
import { themeColor, timeOfDay } from '../common/dom';
import { axisColors } from '../common/lineChart';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Legend);

const METRIC_LABEL = {
  heap: l10n.t('JS heap (post-GC)'),
  external: l10n.t('External (post-GC)'),
  rss: l10n.t('RSS (post-GC)'),
  dom: l10n.t('DOM nodes (post-GC)'),
} as const;
const METRIC_COLOR = {
  heap: ['--vscode-charts-blue', '#3794ff'],
  external: ['--vscode-charts-orange', '#d18616'],
  rss: ['--vscode-charts-green', '#89d185'],
  dom: ['--vscode-charts-yellow', '#cca700'],
} as const;

/** The growth chart: each verdict's post-GC baselines (MB) over time, with the fitted rate in the legend. */
export class GrowthChart {
  private readonly chart: Chart<'line', { x: number; y: number }[]>;

  constructor(canvas: HTMLCanvasElement) {
    const { fg, grid } = axisColors();
    this.chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        maintainAspectRatio: false,
        parsing: false,
        scales: {
          x: {
            type: 'linear',
            ticks: { color: fg, callback: (v) => timeOfDay(Number(v)), maxTicksLimit: 6 },
            grid: { color: grid },
          },
          y: {
            type: 'linear',
            ticks: { color: fg, callback: (v) => formatBytes(Number(v)) },
            grid: { color: grid },
            title: { display: true, text: l10n.t('post-GC baseline'), color: fg },
          },
          // A page's DOM node count: its own axis, shown only when a `dom` verdict is drawn.
          dom: {
            type: 'linear',
            position: 'right',
            display: 'auto',
            ticks: { color: fg, callback: (v) => formatCount(Number(v)) },
            grid: { drawOnChartArea: false },
            title: { display: true, text: l10n.t('DOM nodes'), color: fg },
          },
        },
        plugins: {
          legend: { labels: { color: fg } },
          tooltip: {
            callbacks: {
              title: (items) => timeOfDay(items[0]?.parsed.x ?? 0),
              label: (item) =>
                `${item.dataset.label}: ${item.dataset.yAxisID === 'dom' ? formatCount(item.parsed.y) : formatBytes(item.parsed.y ?? 0)}`,
            },
          },
        },
      },
    });
  }

  /** Shows the baselines of these verdicts; returns how many points are drawn. */
  update(verdicts: LeakVerdictView[], rateText: (bytesPerSec: number) => string): number {
    this.chart.data.datasets = verdicts.map((v) => {
      const [name, fallback] = METRIC_COLOR[v.metric];
      const color = themeColor(name, fallback);
      return {
        label: `${METRIC_LABEL[v.metric]} ${v.metric === 'dom' ? formatNodeRate(v.rateBytesPerSec) : rateText(v.rateBytesPerSec)}`,
        data: v.points.map(([x, y]) => ({ x, y })),
        yAxisID: v.metric === 'dom' ? 'dom' : 'y',
        borderColor: color,
        backgroundColor: color,
        pointRadius: 2,
        borderWidth: 2,
      };
    });
    this.chart.update();
    return verdicts.reduce((n, v) => n + v.points.length, 0);
  }
}
