import type { CdpEvent } from '../inspector/protocol';
import { logFailure } from '../log';
import { MonitorOptions, ProcessMonitor } from './processMonitor';

/** Called with each Worker's monitor, once it has its first sample. */
export type WorkerFound = (worker: ProcessMonitor, info: { threadId: number; url: string }) => void;

/**
 * Monitors every `worker_threads` Worker of a Node.js debuggee as its own ProcessMonitor, reached through Node's
 * `NodeWorker` domain on the process's own connection (no extra port). Running Workers are reported at once, new
 * ones as they start; each Worker's monitor closes when the Worker ends. Targets without the domain (browsers, Deno,
 * older Node) simply report none. Returns a function that stops looking for new Workers.
 */
export async function watchWorkers(
  parent: ProcessMonitor,
  options: MonitorOptions,
  found: WorkerFound,
): Promise<() => void> {
  const conn = parent.connection;
  const onEvent = (e: CdpEvent): void => {
    if (e.method !== 'NodeWorker.attachedToWorker') return;
    const { sessionId, workerInfo } = e.params;
    const threadId = Number(workerInfo.workerId);
    if (!Number.isInteger(threadId)) return;
    const workerConn = conn.forWorker(sessionId, threadId);
    ProcessMonitor.fromConnection(workerConn, { ...options, threadId, pid: parent.pid ?? undefined })
      .then((m) => found(m, { threadId, url: workerInfo.url }))
      .catch(logFailure(`monitoring worker thread ${threadId} of pid ${parent.pid ?? '?'}`));
  };
  conn.on('event', onEvent);
  const stop = () => void conn.off('event', onEvent);
  try {
    await conn.send('NodeWorker.enable', { waitForDebuggerOnStart: false }, 3000);
  } catch (err) {
    stop();
    logFailure('NodeWorker.enable (a target without worker threads?)')(err);
  }
  return stop;
}
