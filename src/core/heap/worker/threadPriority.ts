import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { describeError, logDebug } from '../../log';

/** Nice value of the analysis threads: below the extension host and the debuggee, above idle work. */
export const ANALYSIS_NICE = 10;

/**
 * Lowers the scheduling priority of the calling thread (Linux: a thread id is a valid target of setpriority, and
 * threads started from it afterwards inherit the value). The analysis threads then never delay the thread that
 * started them (the extension host's event loop) when the cores are busy; on an idle machine they run as fast as
 * before. Returns false where this is not supported (other platforms, restricted containers).
 */
export function lowerThisThreadPriority(nice = ANALYSIS_NICE): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    // Never raise it (a thread that already runs lower stays there; raising would need privileges anyway).
    if (getPriority(tid) < nice) setPriority(tid, nice);
    return true;
  } catch (err) {
    logDebug(`heap analysis: cannot lower the thread priority: ${describeError(err)}`);
    return false;
  }
}
