// Which monitors are `worker_threads` Workers of which process. No vscode import: pure over the monitors' shape.
import type { WorkerFigure } from './statusBarText';

/** What grouping needs of a monitor (SessionMonitor has all of it). */
export interface ThreadMonitor {
  id: string;
  pid: number | null;
  threadId: number | undefined;
  ended: boolean;
  target: { name: string; session?: { parentSession?: { id: string } } };
  samples: readonly { heapUsed: number }[];
}

/**
 * The Workers of a process's main-thread monitor: js-debug gives each Worker its own child session, whose monitor
 * learned its threadId; it belongs to the main thread of the same pid, or, while the pid is unknown, to the
 * session it is a child of. Empty for a Worker itself.
 */
export function workersOf<M extends ThreadMonitor>(main: M, all: readonly M[]): M[] {
  if (main.threadId !== undefined) return [];
  return all.filter(
    (m) =>
      m !== main &&
      m.threadId !== undefined &&
      ((main.pid !== null && m.pid === main.pid) || m.target.session?.parentSession?.id === main.id),
  );
}

/** The live main-thread monitor a Worker belongs to, if any. */
export function mainThreadOf<M extends ThreadMonitor>(worker: M, all: readonly M[]): M | undefined {
  if (worker.threadId === undefined) return undefined;
  return all.find((m) => !m.ended && m.threadId === undefined && workersOf(m, all).includes(worker));
}

/** Each Worker's latest heap, for the parent's tooltip. */
export function workerFigures(workers: readonly ThreadMonitor[]): WorkerFigure[] {
  return workers.map((w) => ({
    name: w.target.name,
    threadId: w.threadId,
    heapUsed: w.samples[w.samples.length - 1]?.heapUsed ?? null,
    ended: w.ended,
  }));
}
