/**
 * The cost budget of leak detection: debuggee CPU spent on forced GCs, profile reads and drains may not exceed
 * `share` of the wall time since the start, counted cumulatively (a median of recent costs lets a growing heap
 * overshoot: each forced GC costs more than the ones the interval was planned on).
 */
export class CostBudget {
  private spentMs = 0;
  private readsMs = 0;

  constructor(
    private readonly share: number,
    private readonly startedAt: number,
    /** Spending allowed up front (ms): the first baseline comes right away when it is cheap. */
    private readonly creditMs = 0,
  ) {}

  /** Charges `ms` of debuggee CPU; `read` marks profile reads, which have their own share (see allowsRead). */
  charge(ms: number, read = false): void {
    if (!Number.isFinite(ms) || ms <= 0) return;
    this.spentMs += ms;
    if (read) this.readsMs += ms;
  }

  /** CPU charged so far (ms). */
  get spent(): number {
    return this.spentMs;
  }

  /** True when spending `estimateMs` more at `now` keeps the total within the share of the elapsed time. */
  allows(now: number, estimateMs: number): boolean {
    return this.spentMs + Math.max(0, estimateMs) <= this.earned(now);
  }

  /**
   * True when a profile read of `estimateMs` keeps the reads within `part` of the budget, whatever forced GCs took
   * (sites need reads; forced GCs then wait until the total is back within the budget).
   */
  allowsRead(now: number, estimateMs: number, part: number): boolean {
    return this.readsMs + Math.max(0, estimateMs) <= part * this.earned(now);
  }

  private earned(now: number): number {
    return this.creditMs + this.share * Math.max(0, now - this.startedAt);
  }
}

/** Full-GC cost assumed before one was measured: about 1 ms per MB of heap (measured 0.5–3 ms/MB here). */
const FIRST_GC_MS_PER_BYTE = 1 / (1024 * 1024);

/**
 * The expected CPU cost of the next forced full GC: marking is proportional to the live heap, so the last forced
 * GC's cost scales with the heap now (an upper bound of the live heap: it includes garbage). Before the first, a
 * cost per byte of the heap now (0 when that is unknown too).
 */
export function estimateForcedGcMs(
  last: { costMs: number; heapBytes: number } | null,
  heapNowBytes: number | null,
): number {
  if (!last) return (heapNowBytes ?? 0) * FIRST_GC_MS_PER_BYTE;
  if (heapNowBytes === null || last.heapBytes <= 0) return last.costMs;
  return last.costMs * Math.max(1, heapNowBytes / last.heapBytes);
}
