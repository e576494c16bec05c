/**
 * Keeps V8's sampling heap profiler cheap: each sample costs the debuggee a few microseconds (stack walk, weak
 * handle), so a program allocating 500 MB/s at a 16 KB interval would lose ~10 % CPU. The profile's sample
 * ordinals count every sample ever taken, so their growth gives the sample rate and, times the interval, the
 * allocation rate. The profiler starts coarse, settles on the finest power-of-two multiple of the preferred
 * interval that fits the budget during the first seconds, later only ever gets coarser (each change restarts the
 * profiler and loses its history), and goes finer only on request, to find a site once a leak is suspected.
 */
export class SamplingIntervalController {
  private last: { t: number; ordinal: number } | undefined;
  private firstObservation: number | undefined;
  /** Latest measured samples per second. */
  rate = 0;
  interval: number;

  constructor(
    private readonly preferred: number,
    private readonly maxSamplesPerSec = 1000,
    private readonly settleMs = 10_000,
    private readonly minInterval = 1024,
    private readonly maxInterval = 8 * 1024 * 1024,
  ) {
    this.interval = Math.min(maxInterval, preferred * 8);
  }

  /** Records the highest sample ordinal of a profile read at t; returns a new interval when it should change. */
  observe(t: number, maxOrdinal: number): number | null {
    this.firstObservation ??= t;
    const prev = this.last;
    if (!prev || maxOrdinal < prev.ordinal) {
      this.last = { t, ordinal: maxOrdinal };
      return null;
    }
    if (t - prev.t < 300) return null;
    // No sample over a short span says little (the program may not have started working): measure longer.
    if (maxOrdinal === prev.ordinal && t - prev.t < 2500) return null;
    this.rate = ((maxOrdinal - prev.ordinal) * 1000) / (t - prev.t);
    this.last = { t, ordinal: maxOrdinal };
    const bytesPerSec = this.rate * this.interval;
    let fit = this.preferred;
    while (bytesPerSec / fit > this.maxSamplesPerSec && fit < this.maxInterval) fit *= 2;
    if (fit > this.interval && this.rate > this.maxSamplesPerSec * 1.5) return this.change(fit);
    if (fit < this.interval && t - this.firstObservation <= this.settleMs) return this.change(fit);
    return null;
  }

  /**
   * A finer interval for finding a site the current one is too coarse for, allowing up to 4× the budget's rate
   * (used only once a leak is already suspected). Null when not affordable or already fine.
   */
  finer(): number | null {
    let next = this.interval;
    const projected = (i: number) => (this.rate * this.interval) / i;
    while (next / 2 >= this.minInterval && projected(next / 2) <= this.maxSamplesPerSec * 4) next /= 2;
    return next < this.interval ? this.change(next) : null;
  }

  /**
   * A coarser interval (4×) when reading the profile costs too much: a fast leak's samples all stay live, so each
   * read lists more of them; restarted coarser, the profile starts empty and fills 4× slower. Null at the maximum.
   */
  coarser(): number | null {
    const next = Math.min(this.maxInterval, this.interval * 4);
    return next > this.interval ? this.change(next) : null;
  }

  private change(interval: number): number {
    this.interval = interval;
    // A restarted profiler numbers its samples from zero again.
    this.last = undefined;
    return interval;
  }
}
