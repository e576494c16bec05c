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
