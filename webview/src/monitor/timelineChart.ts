import {
  Chart,
  Decimation,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type Plugin,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import { formatBytes } from '../../../src/core/format';
import { PANEL_METRICS } from '../../../src/core/metrics/memoryMetrics';
import type { MarkerView, SampleView, ThresholdsView } from '../../../src/shared/protocol';
import { oncePerFrame, themeColor, timeOfDay } from '../common/dom';
import { FAST_LINE_CHART_OPTIONS, axisColors, valueAxis, timeOfDayAxis } from '../common/lineChart';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Legend, Filler, Decimation, zoomPlugin);

/** One line per figure the panel shows, in MB. */
const SERIES = PANEL_METRICS.map(({ key, panel }) => ({
  key,
  label: panel.label,
  color: panel.color,
  dash: 'dash' in panel ? [...panel.dash] : undefined,
}));

interface Point {
  x: number;
  y: number;
}

/** Draws threshold lines and timeline markers over the chart (a local Chart.js plugin, no extra dependency). */
function overlayPlugin(get: () => { thresholds: ThresholdsView | null; markers: MarkerView[] }): Plugin<'line'> {
  return {
    id: 'memoryOverlay',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea: area, scales } = chart;
      const x = scales.x;
      const y = scales.y;
      const { thresholds, markers } = get();
      ctx.save();
      ctx.font = `11px ${themeColor('--vscode-font-family', 'sans-serif')}`;
      if (thresholds) {
        const lines: [string, number, string][] = [
          ['warning', thresholds.warning, themeColor('--vscode-charts-yellow', '#cca700')],
          ['critical', thresholds.critical, themeColor('--vscode-charts-red', '#f14c4c')],
          ['emergency', thresholds.emergency, themeColor('--vscode-errorForeground', '#f48771')],
        ];
        for (const [name, bytes, color] of lines) {
          const mbValue = bytes / 1e6;
          if (mbValue < y.min || mbValue > y.max) continue;
          const py = y.getPixelForValue(mbValue);
          ctx.strokeStyle = color;
          ctx.setLineDash(name === 'warning' ? [6, 4] : name === 'critical' ? [2, 3] : []);
          ctx.beginPath();
          ctx.moveTo(area.left, py);
          ctx.lineTo(area.right, py);
          ctx.stroke();
          ctx.fillStyle = color;
          ctx.fillText(`${name} ${formatBytes(bytes)}`, area.left + 4, py - 3);
        }
      }
      ctx.setLineDash([3, 3]);
      for (const m of markers) {
        if (m.t < x.min || m.t > x.max) continue;
        const px = x.getPixelForValue(m.t);
        const color =
          m.kind === 'gc'
            ? themeColor('--vscode-charts-green', '#89d185')
            : m.kind === 'snapshot'
              ? themeColor('--vscode-charts-blue', '#3794ff')
              : m.kind === 'skipped'
                ? themeColor('--vscode-disabledForeground', '#8c8c8c')
                : themeColor('--vscode-charts-red', '#f14c4c');
        ctx.strokeStyle = color;
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        // A letter as well as a colour: G = GC, S = snapshot, ! = alert, – = skipped diagnostic (debuggee busy or paused).
        ctx.fillStyle = color;
        ctx.fillText(
          m.kind === 'gc' ? 'G' : m.kind === 'snapshot' ? 'S' : m.kind === 'skipped' ? '–' : '!',
          px + 2,
          area.top + 10,
        );
      }
      ctx.restore();
    },
  };
}

/** The live memory timeline: four series in MB over time, zoom/pan, decimation for long recordings. */
export class TimelineChart {
  private readonly chart: Chart<'line', Point[]>;
  private thresholds: ThresholdsView | null = null;
  private markers: MarkerView[] = [];
  private followLive = true;
  /** Our own copy of each series: the decimation plugin swaps `dataset.data` for a decimated array while drawing. */
  private readonly series: Point[][] = SERIES.map(() => []);

  constructor(
    canvas: HTMLCanvasElement,
    private readonly onZoomChange: (zoomed: boolean) => void,
  ) {
    const colors = axisColors();
    const { fg } = colors;
    this.chart = new Chart<'line', Point[]>(canvas, {
      type: 'line',
      data: {
        datasets: SERIES.map((s) => ({
          label: s.label,
          data: [],
          borderColor: themeColor(s.color[0], s.color[1]),
          backgroundColor: themeColor(s.color[0], s.color[1]),
          borderDash: s.dash,
          borderWidth: 1.5,
          pointRadius: 0,
          pointHitRadius: 4,
          tension: 0,
          spanGaps: true,
        })),
      },
      options: {
        ...FAST_LINE_CHART_OPTIONS,
        scales: {
          x: timeOfDayAxis(colors),
          y: valueAxis('MB', colors),
        },
        plugins: {
          // Only series with data: a browser page has no RSS or external memory, which the figures above say.
          legend: {
            labels: {
              color: fg,
              boxHeight: 2,
              filter: (item) => this.series[item.datasetIndex ?? 0]?.length > 0,
            },
          },
          decimation: { enabled: true, algorithm: 'lttb', samples: 800, threshold: 2000 },
          tooltip: {
            callbacks: {
              title: (items) => (items[0] ? timeOfDay(items[0].parsed.x ?? 0) : ''),
              label: (item) => `${item.dataset.label}: ${formatBytes((item.parsed.y ?? 0) * 1e6)}`,
            },
          },
          zoom: {
            zoom: {
              wheel: { enabled: true },
              pinch: { enabled: true },
              mode: 'x',
              onZoomComplete: () => this.setFollow(false),
            },
            pan: { enabled: true, mode: 'x', onPanComplete: () => this.setFollow(false) },
          },
        },
      },
      plugins: [overlayPlugin(() => ({ thresholds: this.thresholds, markers: this.markers }))],
    });
  }

  /** Replaces all data (a session switch or a reload). */
  reset(samples: readonly SampleView[], markers: readonly MarkerView[]): void {
    SERIES.forEach((s, i) => {
      this.series[i] = samples.filter((x) => x[s.key] !== null).map((x) => ({ x: x.t, y: (x[s.key] as number) / 1e6 }));
    });
    this.markers = [...markers];
    this.chart.resetZoom('none');
    this.setFollow(true);
    this.redraw();
  }

  /** Appends one sample; redraws at most once per frame. */
  push(sample: SampleView): void {
    SERIES.forEach((s, i) => {
      const v = sample[s.key];
      if (v !== null) this.series[i].push({ x: sample.t, y: v / 1e6 });
    });
    if (this.followLive) this.redraw();
  }

  addMarker(marker: MarkerView): void {
    this.markers.push(marker);
    this.redraw();
  }

  setThresholds(t: ThresholdsView): void {
    this.thresholds = t;
    this.redraw();
  }

  /** Shows or hides a series by index. */
  toggle(index: number, visible: boolean): void {
    this.chart.setDatasetVisibility(index, visible);
    this.redraw();
  }

  /** Back to the whole recording, following new samples. */
  resetZoom(): void {
    this.chart.resetZoom('none');
    this.setFollow(true);
    this.redraw();
  }

  /** Number of heap samples plotted. */
  get count(): number {
    return this.series[0].length;
  }

  private setFollow(follow: boolean): void {
    if (this.followLive === follow) return;
    this.followLive = follow;
    this.onZoomChange(!follow);
  }

  private readonly redraw = oncePerFrame(() => {
    this.series.forEach((points, i) => (this.chart.data.datasets[i].data = points));
    this.chart.update('none');
  });

  destroy(): void {
    this.chart.destroy();
  }
}
