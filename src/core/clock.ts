/**
 * Time and timers for code whose timing is its behaviour (the sampler, the adaptive scheduler): production passes
 * nothing and gets the system clock; tests pass a manual clock and move time themselves, so they check the schedule
 * itself instead of counting what happened during a sleep.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /**
   * Calls `fn` once after `ms`; with `unref` the timer does not keep the process alive. Returns a function that
   * cancels the call.
   */
  setTimer(fn: () => void, ms: number, options?: { unref?: boolean }): () => void;
}

/** The real clock: Date.now and setTimeout. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms, options) {
    const timer = setTimeout(fn, ms);
    if (options?.unref) timer.unref();
    return () => clearTimeout(timer);
  },
};
