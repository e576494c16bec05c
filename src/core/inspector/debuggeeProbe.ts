import { readMainThreadCpuNs } from '../sampling/processMemory';
import type { InspectorConnection } from './connection';

/**
 * What a debuggee can do right now:
 * - `running`: its event loop turns (a timer callback ran);
 * - `paused`: the inspector answers but no JavaScript callback runs and the main thread is idle: stopped at a
 *   breakpoint or `debugger;` statement, or waiting for a debugger at `--inspect-brk`;
 * - `busy`: the inspector answers but the main thread is running JavaScript without returning to the event loop;
 * - `unresponsive`: not even the inspector answers (blocked in native code, e.g. a synchronous child process).
 */
export type DebuggeeState = 'running' | 'paused' | 'busy' | 'unresponsive';

/**
 * Probes a debuggee within about `timeoutMs` (default 800 ms), without enabling the Debugger domain (which would
 * make every `debugger;` statement stop the program while we are attached): a timer-resolved promise tells whether
 * the event loop turns, `Runtime.getHeapUsage` whether the inspector answers, the main thread's CPU time (local
 * Linux targets with a known pid) whether it is busy or idle.
 */
export async function probeDebuggee(
  conn: InspectorConnection,
  options: { pid?: number | null; timeoutMs?: number } = {},
): Promise<DebuggeeState> {
  const timeoutMs = options.timeoutMs ?? 800;
  const cpuBefore = options.pid ? readMainThreadCpuNs(options.pid) : null;
  const started = Date.now();
  const [loop, inspector] = await Promise.all([
    conn
      .send(
        'Runtime.evaluate',
        { expression: 'new Promise((r) => setTimeout(() => r(1), 0))', awaitPromise: true, silent: true },
        timeoutMs,
      )
      .then(
        () => true,
        () => false,
      ),
    conn.send('Runtime.getHeapUsage', {}, timeoutMs).then(
      () => true,
      () => false,
    ),
  ]);
  if (loop) return 'running';
  if (!inspector) return 'unresponsive';
  const cpuAfter = options.pid ? readMainThreadCpuNs(options.pid) : null;
  if (cpuBefore !== null && cpuAfter !== null) {
    const elapsedNs = Math.max(1, Date.now() - started) * 1e6;
    // Paused means idle in the inspector's message loop; JavaScript that never yields keeps the thread on a core.
    if ((cpuAfter - cpuBefore) / elapsedNs > 0.5) return 'busy';
  }
  return 'paused';
}
