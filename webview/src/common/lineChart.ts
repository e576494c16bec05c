import type { Scale } from 'chart.js';
import { themeColor, timeOfDay } from './dom';
import { timeStep } from './timeStep';

/**
 * Options every memory line chart shares: data already parsed and sorted by x (chart.js can then skip its own
 * parsing and decimate), no animation, sized by its container, tooltips for the nearest x.
 */
export const FAST_LINE_CHART_OPTIONS = {
  animation: false,
  parsing: false,
  normalized: true,
  responsive: true,
  maintainAspectRatio: false,
  interaction: { mode: 'nearest', axis: 'x', intersect: false },
} as const;

/** The theme's text and grid colours, read once per chart. */
export interface AxisColors {
  fg: string;
  grid: string;
}

/** Reads the axis colours from the VS Code theme. */
export function axisColors(): AxisColors {
  return {
    fg: themeColor('--vscode-foreground', '#cccccc'),
    grid: themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)'),
  };
}

/** A value axis from zero with a title (e.g. 'MB'). */
export function valueAxis(title: string, { fg, grid }: AxisColors) {
  return {
    type: 'linear',
    beginAtZero: true,
    title: { display: true, text: title, color: fg },
    ticks: { color: fg },
    grid: { color: grid },
  } as const;
}

/**
 * A time-of-day axis (x in epoch ms) whose tick steps are whole seconds/minutes/hours, so labels never repeat; spans
 * shorter than `minSpanMs` are widened by `minSpanMs` around their data.
 */
export function timeOfDayAxis({ fg, grid }: AxisColors, minSpanMs = 0) {
  return {
    type: 'linear',
    afterDataLimits: (scale: Scale) => {
      if (scale.max - scale.min < minSpanMs) {
        scale.min -= minSpanMs / 2;
        scale.max += minSpanMs / 2;
      }
      (scale.options as unknown as { ticks: { stepSize?: number } }).ticks.stepSize = timeStep(scale.max - scale.min);
    },
    ticks: { color: fg, maxRotation: 0, autoSkipPadding: 20, callback: (v: number | string) => timeOfDay(Number(v)) },
    grid: { color: grid },
  } as const;
}
