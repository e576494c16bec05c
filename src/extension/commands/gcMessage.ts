// Pure text of the diagnostic GC notification. No vscode import.
import { formatBytes } from '../../core/format';
import type { GcResult } from '../../core/types';

/** The notification text of a diagnostic GC. */
export function describeGc(name: string, r: GcResult): string {
  const freed = r.freed >= 0 ? `freed ${formatBytes(r.freed)}` : `heap grew by ${formatBytes(-r.freed)} meanwhile`;
  const cycle = r.testCycle
    ? r.testCycle.collected
      ? ' Test cycle collected: collector verified.'
      : ' WARNING: the test cycle was NOT collected.'
    : '';
  return `Diagnostic GC in "${name}": ${freed} (heap ${formatBytes(r.before.heapUsed)} → ${formatBytes(r.after.heapUsed)}) in ${Math.round(r.durationMs)} ms.${cycle}`;
}
