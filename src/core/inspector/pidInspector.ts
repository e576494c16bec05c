import { LOOPBACK_IP_HEX, listeningSockets, socketInodes } from './procSockets';

/** Why a pid's inspector could not be found; the message is one line for the user. */
export class PidInspectorError extends Error {
  override name = 'PidInspectorError';
}

/**
 * The loopback `host:port` of the inspector a process (by pid) has open, found through /proc: the TCP ports the
 * process listens on, each asked for `/json/list`. With `activate`, a process without one is sent SIGUSR1 (which
 * opens Node's inspector on 127.0.0.1:9229 unless it was configured otherwise) and watched for up to `timeoutMs`.
 */
export async function findInspectorOfPid(pid: number, options: { activate?: boolean; timeoutMs?: number } = {}) {
  if (process.platform !== 'linux')
    throw new PidInspectorError(`finding the inspector of pid ${pid} needs Linux; give its host:port instead`);
  try {
    process.kill(pid, 0);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PidInspectorError(code === 'EPERM' ? `pid ${pid} belongs to another user` : `no process with pid ${pid}`);
  }
  const found = await probe(listeningPorts(pid));
  if (found || !options.activate) {
    if (found) return found;
    throw new PidInspectorError(`pid ${pid} has no inspector open (start it with --inspect)`);
  }
  process.kill(pid, 'SIGUSR1');
  const end = Date.now() + (options.timeoutMs ?? 3000);
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    const port = await probe(listeningPorts(pid));
    if (port) return port;
  }
  throw new PidInspectorError(`pid ${pid} opened no inspector after SIGUSR1 (is it a Node.js process?)`);
}

/** Ports on 127.0.0.1/::1 the process listens on. */
function listeningPorts(pid: number): number[] {
  let inodes: Set<string>;
  try {
    inodes = socketInodes(pid);
  } catch {
    throw new PidInspectorError(`cannot read the open sockets of pid ${pid} (not ours?)`);
  }
  return listeningSockets([`/proc/${pid}/net/tcp`, `/proc/${pid}/net/tcp6`])
    .filter((s) => inodes.has(s.inode) && LOOPBACK_IP_HEX.has(s.ipHex))
    .map((s) => s.port);
}

/** The first port whose `/json/list` answers like an inspector, as host:port. */
async function probe(ports: number[]): Promise<string | null> {
  for (const port of ports) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/json/list`, { signal: AbortSignal.timeout(1000) });
      const list = (await res.json()) as Array<{ webSocketDebuggerUrl?: string }>;
      if (Array.isArray(list) && list.some((t) => t.webSocketDebuggerUrl)) return `127.0.0.1:${port}`;
    } catch {
      // Not an inspector (another server of the process).
    }
  }
  return null;
}
