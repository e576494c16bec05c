import { logDebug } from '../log';

/** The engine's helper threads: the edge-prefetch parser and the dominator thread. */
export type HelperThread = 'edgeThread' | 'dominatorThread';

/** How often each helper did its work, and how often the calling thread had to do it instead. */
export type HelperThreadCounts = Record<HelperThread, { ran: number; fellBack: number }>;

const counts: HelperThreadCounts = { edgeThread: { ran: 0, fellBack: 0 }, dominatorThread: { ran: 0, fellBack: 0 } };

/*
 * Fallbacks keep results identical but cost the time the thread was meant to save, so they are never silent: each
 * is counted (MEMMON_HEAP_TIMINGS prints the counts per load, tests assert the threads ran) and logged with its
 * reason. A broken helper once went unnoticed for a whole release because its fallback was silent.
 */

/** Records that a helper thread did its share of the work. */
export function noteHelperRan(thread: HelperThread): void {
  counts[thread].ran++;
}

/** Records that the calling thread did a helper's work, and why. */
export function noteHelperFallback(thread: HelperThread, reason: string): void {
  counts[thread].fellBack++;
  logDebug(`heap analysis: the ${thread} was not used (${reason}); the calling thread did its work`);
}

/** The counts since this module loaded (a copy). */
export function helperThreadCounts(): HelperThreadCounts {
  return { edgeThread: { ...counts.edgeThread }, dominatorThread: { ...counts.dominatorThread } };
}

/** `edgeThread=ran dominatorThread=fellBack …`: what changed between two readings, for MEMMON_HEAP_TIMINGS. */
export function describeHelperThreads(before: HelperThreadCounts, after: HelperThreadCounts): string {
  return (Object.keys(after) as HelperThread[])
    .map((t) => {
      const ran = after[t].ran - before[t].ran;
      const fellBack = after[t].fellBack - before[t].fellBack;
      return `${t}=${fellBack ? `fellBack×${fellBack}` : ran ? 'ran' : 'unused'}`;
    })
    .join(' ');
}
