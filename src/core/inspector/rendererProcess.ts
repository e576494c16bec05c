// A browser page has no process of its own in CDP: its JavaScript runs in one of the browser's renderer processes,
// and no command maps a page target to one. The browser target lists them (SystemInfo.getProcessInfo, with each
// process's pid); when there are several, a short busy loop in the page marks its renderer: the one whose main
// thread's CPU clock grows by it. Its RSS then stands for the page's (local browsers only: the pid must be on this machine).
import CDP from 'chrome-remote-interface';
import { existsSync, readFileSync } from 'node:fs';
import type { CdpEndpoint } from './endpoint';
import { isLoopbackHost } from './endpoint';
import { InspectorConnection, withTimeout } from './connection';
import { readMainThreadCpuNs } from '../sampling/processMemory';

/** CPU time the page's busy loop spends (ms); its renderer must gain at least MIN_SHARE of it, the others far less. */
const BURN_MS = 150;
const MIN_SHARE = 0.3;
/**
 * The runner-up may gain at most this share of the page's renderer's time: another renderer can work along with the
 * page (measured: ~50 ms per 150 ms loop for the browser's UI renderer while a page changes its DOM).
 */
const NEXT_AT_MOST = 0.6;
/** Busy loops at most, until one renderer stands out. */
const ROUNDS = 4;
/** Looks at the browser's processes at most this many times, 0.5 s apart. */
const ATTEMPTS = 3;

interface ProcessInfo {
  type: string;
  id: number;
}

/**
 * The pid of the renderer process that runs the page behind `page` (a page target's connection on a local browser),
 * or null when it cannot be told: not a browser, a remote one, no process info, or no single renderer stood out.
 */
export async function findRendererPid(page: InspectorConnection, timeoutMs = 3000): Promise<number | null> {
  const endpoint: CdpEndpoint = page.endpoint;
  if (!isLoopbackHost(endpoint.host) || process.platform !== 'linux') return null;
  let browserUrl: string | undefined;
  try {
    const version = (await withTimeout(
      CDP.Version({ host: endpoint.host, port: endpoint.port }),
      timeoutMs,
      () => new Error('timeout'),
    )) as {
      Browser?: string;
      webSocketDebuggerUrl?: string;
    };
    if (!/Chrom|Edg/i.test(version.Browser ?? '')) return null;
    browserUrl = version.webSocketDebuggerUrl;
  } catch {
    return null;
  }
  if (!browserUrl) return null;
  let browser: InspectorConnection | undefined;
  try {
    browser = await InspectorConnection.connect(browserUrl, {
      connectTimeoutMs: timeoutMs,
      requestTimeoutMs: timeoutMs,
    });
    // Right after the browser starts, the page's renderer may not be listed yet: a few tries.
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (attempt) await new Promise((r) => setTimeout(r, 500));
      // Early on the browser may also not answer yet: that is one more try too.
      const pid = await pickRenderer(browser, page, timeoutMs).catch(() => null);
      if (pid !== null) return pid;
    }
    return null;
  } catch {
    return null;
  } finally {
    await browser?.close().catch(() => undefined);
  }
}

/** The page's renderer among the browser's renderers, or null when none (or no single one) stood out. */
async function pickRenderer(
  browser: InspectorConnection,
  page: InspectorConnection,
  timeoutMs: number,
): Promise<number | null> {
  const { processInfo } = await browser.send('SystemInfo.getProcessInfo', {});
  const renderers = (processInfo as ProcessInfo[])
    .filter((p) => p.type === 'renderer' && isLocalRenderer(p.id))
    .map((p) => p.id);
  // Even a single renderer must show the loop's time: right after start it may be the browser UI's, not the page's.
  if (!renderers.length) return null;
  // The browser's own CPU times lag (refreshed every few seconds); the main threads' clocks in /proc do not. A
  // renderer just starting (a browser UI page, e.g.) can burn as much once: the gains add up over a few rounds,
  // and the page's renderer is the one that gains the loop's time in every round.
  const gained = new Map(renderers.map((pid) => [pid, 0]));
  for (let round = 1; round <= ROUNDS; round++) {
    const before = renderers.map((pid) => readMainThreadCpuNs(pid));
    await page.send(
      'Runtime.evaluate',
      { expression: `{const e=performance.now()+${BURN_MS};while(performance.now()<e);}`, returnByValue: true },
      timeoutMs,
    );
    renderers.forEach((pid, i) => {
      const a = before[i];
      const b = readMainThreadCpuNs(pid);
      if (a !== null && b !== null) gained.set(pid, gained.get(pid)! + (b - a) / 1e6);
    });
    const [top, next] = [...gained].sort((x, y) => y[1] - x[1]);
    // On a loaded machine the loop gets less CPU than its wall time: a share of it is enough.
    if (top[1] >= BURN_MS * MIN_SHARE * round && (!next || next[1] <= NEXT_AT_MOST * top[1])) return top[0];
  }
  return null;
}

/** A process on this machine whose command line says it is a renderer. */
function isLocalRenderer(pid: number): boolean {
  try {
    return existsSync(`/proc/${pid}`) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer');
  } catch {
    return false;
  }
}
