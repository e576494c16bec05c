import { readdirSync } from 'node:fs';
import CDP from 'chrome-remote-interface';
import { CdpEndpoint, isLoopbackHost } from './endpoint';
import { listeningSockets, socketInodes } from './procSockets';

/**
 * The pid of the local process behind an inspector, learned without the debuggee's main thread (which may be blocked
 * in native code or paused): Node's `/json/list` is served by the inspector's own thread and titles each target
 * `<title>[<pid>]`; failing that (Linux), the owner of the listening port. Null when neither tells.
 */
export async function findInspectorPid(endpoint: CdpEndpoint, timeoutMs = 1000): Promise<number | null> {
  if (!isLoopbackHost(endpoint.host)) return null;
  const listed = await pidFromTargetList(endpoint, timeoutMs);
  // A browser's port belongs to its browser process, not to the renderer whose heap is read: no pid rather than
  // the wrong process's RSS.
  if (listed === 'not-node') return null;
  return listed ?? pidOwningPort(endpoint.port);
}

/** The pid Node.js puts in its target's title; `not-node` for other targets (browser pages, workers, …). */
async function pidFromTargetList(endpoint: CdpEndpoint, timeoutMs: number): Promise<number | null | 'not-node'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const targets = (await Promise.race([
      CDP.List({ host: endpoint.host, port: endpoint.port }),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs))),
    ])) as Array<{ title?: string; type?: string; webSocketDebuggerUrl?: string }>;
    const id = endpoint.path?.replace(/^\//, '');
    const target = targets.find((t) => id && t.webSocketDebuggerUrl?.endsWith(`/${id}`)) ?? targets[0];
    if (target?.type !== undefined && target.type !== 'node') return 'not-node';
    const m = /\[(?:pid: )?(\d+)\]$/.exec(target?.title ?? '');
    return m ? Number(m[1]) : null;
  } catch {
    return null; // Not a Node.js inspector, or not answering: the next way is tried.
  } finally {
    clearTimeout(timer);
  }
}

/** Linux: the process holding the socket that listens on `port` (from /proc/net/tcp{,6} and /proc/<pid>/fd). */
export function pidOwningPort(port: number): number | null {
  if (process.platform !== 'linux') return null;
  const inodes = new Set(
    listeningSockets()
      .filter((s) => s.port === port)
      .map((s) => s.inode),
  );
  if (!inodes.size) return null;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  for (const pid of pids) {
    let held: Set<string>;
    try {
      held = socketInodes(pid);
    } catch {
      continue; // Gone, or not ours to look at.
    }
    for (const inode of held) if (inodes.has(inode)) return Number(pid);
  }
  return null;
}
