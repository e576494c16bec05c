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

/** Waits `ms`; rejects with "interrupted" as soon as `signal` aborts (a waiting step of a long run the user stopped). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('interrupted'));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new Error('interrupted'));
      },
      { once: true },
    );
  });
}
