import { Chart } from 'chart.js';
import { DOM_METRICS, formatCount } from '../../../src/core/metrics/domMetrics';
import type { SampleView } from '../../../src/shared/protocol';
import { oncePerFrame, themeColor, timeOfDay } from '../common/dom';
import { FAST_LINE_CHART_OPTIONS, axisColors, valueAxis, timeOfDayAxis } from '../common/lineChart';

interface Point {
  x: number;
  y: number;
}

/**
 * A browser page's DOM counters over time (DOM nodes, documents, JS event listeners): counts, not bytes, so on an
 * axis of their own below the memory timeline. Chart.js' parts are registered by the memory timeline's module.
 */
export class DomChart {
  private readonly chart: Chart<'line', Point[]>;
  private readonly series: Point[][] = DOM_METRICS.map(() => []);

  constructor(canvas: HTMLCanvasElement) {
    const colors = axisColors();
    this.chart = new Chart<'line', Point[]>(canvas, {
      type: 'line',
      data: {
        datasets: DOM_METRICS.map((m) => ({
          label: m.label,
          data: [],
          borderColor: themeColor(m.color[0], m.color[1]),
          backgroundColor: themeColor(m.color[0], m.color[1]),
          borderDash: m.dash ? [...m.dash] : undefined,
          borderWidth: 1.5,
          pointRadius: 0,
          pointHitRadius: 4,
          tension: 0,
        })),
      },
      options: {
        ...FAST_LINE_CHART_OPTIONS,
        scales: { x: timeOfDayAxis(colors), y: valueAxis('count', colors) },
        plugins: {
          legend: { labels: { color: colors.fg, boxHeight: 2 } },
          decimation: { enabled: true, algorithm: 'lttb', samples: 800, threshold: 2000 },
          tooltip: {
            callbacks: {
              title: (items) => (items[0] ? timeOfDay(items[0].parsed.x ?? 0) : ''),
              label: (item) => `${item.dataset.label}: ${formatCount(item.parsed.y)}`,
            },
          },
        },
      },
    });
  }

  /** Replaces all data (a session switch or a reload). */
  reset(samples: readonly SampleView[]): void {
    DOM_METRICS.forEach((m, i) => {
      this.series[i] = samples.filter((s) => s.dom).map((s) => ({ x: s.t, y: s.dom![m.key] }));
    });
    this.redraw();
  }

  /** Appends one sample's counters, if it has any; redraws at most once per frame. */
  push(sample: SampleView): void {
    if (!sample.dom) return;
    DOM_METRICS.forEach((m, i) => this.series[i].push({ x: sample.t, y: sample.dom![m.key] }));
    this.redraw();
  }

  /** Number of samples with DOM counters. */
  get count(): number {
    return this.series[0].length;
  }

  private readonly redraw = oncePerFrame(() => {
    this.series.forEach((points, i) => (this.chart.data.datasets[i].data = points));
    this.chart.update('none');
  });

  destroy(): void {
    this.chart.destroy();
  }
}
