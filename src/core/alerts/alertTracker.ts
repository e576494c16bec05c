import { ALERT_LEVELS, alertRank, AlertEvent, AlertLevel, AlertMetric, MemorySample } from '../types';

/** Thresholds in bytes. Warning is at 80 % of `threshold`. */
export interface AlertThresholds {
  /** Critical above this (`thresholdMb`, default 1000 MB). */
  threshold: number;
  /** Emergency above this (`alertThresholdMb`, default 2000 MB). */
  alertThreshold: number;
  /** A level clears only when the value drops this fraction below its boundary (default 5 %). */
  hysteresis?: number;
  /**
   * A browser page's DOM nodes (`--dom-nodes-threshold`, `memoryMonitor.domNodesThreshold`): critical above this
   * many, warning above 80 % of it, no emergency level. Off when absent or null.
   */
  domNodes?: number | null;
}

/** The thresholds the DOM node count is judged by (counts, not bytes), or null when DOM alerts are off. */
export function domThresholds(t: AlertThresholds): AlertThresholds | null {
  return t.domNodes ? { threshold: t.domNodes, alertThreshold: Infinity, hysteresis: t.hysteresis } : null;
}

export const DEFAULT_THRESHOLD_MB = 1000;
export const DEFAULT_ALERT_THRESHOLD_MB = 2000;

/** Level boundaries (bytes) for warning, critical and emergency. */
export function levelBoundaries(t: AlertThresholds): Record<Exclude<AlertLevel, 'normal'>, number> {
  return { warning: 0.8 * t.threshold, critical: t.threshold, emergency: t.alertThreshold };
}

/** The level a value is at, given the level it was at before (hysteresis on the way down). */
export function nextLevel(value: number, previous: AlertLevel, t: AlertThresholds): AlertLevel {
  const b = levelBoundaries(t);
  const h = t.hysteresis ?? 0.05;
  const raw: AlertLevel =
    value > b.emergency ? 'emergency' : value > b.critical ? 'critical' : value > b.warning ? 'warning' : 'normal';
  if (alertRank(raw) >= alertRank(previous)) return raw;
  // Going down: stay at a level until the value is clearly below its boundary.
  let level = previous;
  while (level !== 'normal' && value < b[level] * (1 - h)) level = ALERT_LEVELS[alertRank(level) - 1]!;
  return level;
}

/** One entry of the alert history: a raise (an AlertEvent) or a level going down. */
export type AlertHistoryEntry =
  | AlertEvent
  | {
      t: number;
      pid?: number | null;
      level: AlertLevel;
      metric: AlertMetric;
      value: number;
      limit: number;
      cleared: true;
    };

/**
 * Tracks alert levels of RSS and heap for one process. `update` returns the alerts raised by a sample:
 * one per metric whose level went up. Levels going down are recorded in the history only.
 */
export class AlertTracker {
  private readonly levels: Record<AlertMetric, AlertLevel> = { rss: 'normal', heap: 'normal', dom: 'normal' };
  private readonly log: AlertHistoryEntry[] = [];
  /** Set by leak detection; shown beside the magnitude level. */
  leakSuspected = false;

  constructor(
    private thresholds: AlertThresholds,
    private readonly historyLimit = 1000,
  ) {}

  /** Replaces the thresholds (settings changed); levels are re-evaluated on the next sample. */
  setThresholds(t: AlertThresholds): void {
    this.thresholds = t;
    if (!t.domNodes) this.levels.dom = 'normal';
  }

  /** The current level of one metric. */
  level(metric: AlertMetric): AlertLevel {
    return this.levels[metric];
  }

  /** The highest of the RSS, heap and DOM levels. */
  get overall(): AlertLevel {
    return ALERT_LEVELS[Math.max(alertRank(this.levels.rss), alertRank(this.levels.heap), alertRank(this.levels.dom))];
  }

  /** Alert history, oldest first. */
  get history(): readonly AlertHistoryEntry[] {
    return this.log;
  }

  /** Feeds one sample; returns alerts for levels that went up. */
  update(sample: MemorySample): AlertEvent[] {
    const raised: AlertEvent[] = [];
    const dom = domThresholds(this.thresholds);
    const values: [AlertMetric, number | null, AlertThresholds | null][] = [
      // RSS is the whole process's: alerted on the main thread's row only, not again for each Worker.
      ['rss', sample.threadId !== undefined ? null : sample.rss, this.thresholds],
      ['heap', sample.stale?.includes('heap') ? null : sample.heapUsed, this.thresholds],
      ['dom', sample.dom?.nodes ?? null, dom],
    ];
    for (const [metric, value, thresholds] of values) {
      if (value === null || thresholds === null) continue;
      const bounds = levelBoundaries(thresholds);
      const prev = this.levels[metric];
      const next = nextLevel(value, prev, thresholds);
      if (next === prev) continue;
      this.levels[metric] = next;
      if (alertRank(next) > alertRank(prev)) {
        const ev: AlertEvent = {
          t: sample.t,
          pid: sample.pid,
          ...(sample.threadId !== undefined && { threadId: sample.threadId }),
          level: next as AlertEvent['level'],
          metric,
          value,
          limit: bounds[next as keyof typeof bounds],
        };
        raised.push(ev);
        this.record(ev);
      } else {
        const limit = next === 'normal' ? bounds.warning : bounds[next];
        this.record({ t: sample.t, pid: sample.pid, level: next, metric, value, limit, cleared: true });
      }
    }
    return raised;
  }

  /** Records an alert raised elsewhere (e.g. a suspected leak). */
  record(entry: AlertHistoryEntry): void {
    this.log.push(entry);
    if (this.log.length > this.historyLimit) this.log.splice(0, this.log.length - this.historyLimit);
  }
}
