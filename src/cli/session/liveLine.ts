import { formatBytes, formatRate } from '../../core/format';
import { TREND_ARROW } from '../../core/sampling/trend';
import { AlertLevel } from '../../core/types';
import { ProcessStats } from './processStats';

const LEVEL_LABEL: Record<AlertLevel, string> = {
  normal: 'ok',
  warning: 'WARNING',
  critical: 'CRITICAL',
  emergency: 'EMERGENCY',
};
const LEVEL_COLOR: Record<AlertLevel, string> = { normal: '32', warning: '33', critical: '31', emergency: '41;97' };

/**
 * One compact status line: heap, RSS, trend and alert level of the process using the most memory. While a leak
 * verdict stands, `leakGrowth` gives its post-GC rate, shown instead of the raw one-minute trend (one growth figure).
 */
export function renderLiveLine(
  stats: ProcessStats[],
  levels: Map<ProcessStats, AlertLevel>,
  color: boolean,
  extra = '',
  leakGrowth?: (s: ProcessStats) => number | undefined,
): string {
  const withData = stats.filter((s) => s.samples > 0);
  if (!withData.length) return 'memmon: waiting for the first sample…';
  const main = withData.reduce((a, b) =>
    (b.ranges.rss.last ?? b.ranges.heapUsed.last ?? 0) > (a.ranges.rss.last ?? a.ranges.heapUsed.last ?? 0) ? b : a,
  );
  const level = levels.get(main) ?? 'normal';
  const { heapUsed, heapTotal, rss } = main.ranges;
  const trend = main.trend;
  const leak = leakGrowth?.(main);
  const growth =
    leak !== undefined
      ? `${TREND_ARROW[leak > 0 ? 'up' : 'flat']} ${formatRate(leak)} after GC`
      : `${TREND_ARROW[trend.direction]} ${formatRate(trend.bytesPerSec)}`;
  const label = color ? `\x1b[${LEVEL_COLOR[level]}m${LEVEL_LABEL[level]}\x1b[0m` : LEVEL_LABEL[level];
  const more = withData.length > 1 ? ` (+${withData.length - 1} more)` : '';
  return `memmon pid ${main.pid ?? '?'}${more} │ heap ${formatBytes(heapUsed.last)} / ${formatBytes(heapTotal.last)} │ RSS ${formatBytes(rss.last)} │ ${growth} │ ${label}${extra}`;
}
