/** Where a CDP endpoint lives: a WebSocket URL, or a host and port whose `/json/list` names the targets. */
export interface CdpEndpoint {
  host: string;
  port: number;
  /** WebSocket path such as `/3c2a…`; when absent the first target from `/json/list` is used. */
  path?: string;
  /** Secure WebSocket (wss:); only meaningful for remote targets. */
  secure?: boolean;
}

/** The shape js-debug's `extension.js-debug.requestCDPProxy` returns. */
export interface CdpProxyAddress {
  host: string;
  port: number;
  path?: string;
}

export class EndpointError extends Error {
  override name = 'EndpointError';
}

/**
 * Parses a target given as `ws://host:port/path`, `host:port`, a bare port, or `{host, port, path}`.
 * Throws an EndpointError with a one-line message on anything else.
 */
export function parseEndpoint(target: string | CdpProxyAddress): CdpEndpoint {
  if (typeof target === 'object' && target !== null) {
    const port = Number(target.port);
    if (!target.host || !Number.isInteger(port) || port <= 0 || port > 65535) {
      throw new EndpointError(`invalid CDP address ${JSON.stringify(target)}: expected {host, port, path}`);
    }
    return { host: target.host, port, path: normalizePath(target.path) };
  }
  const text = String(target ?? '').trim();
  if (!text) throw new EndpointError('no target given: expected a ws:// URL, host:port or a port number');
  if (/^\d+$/.test(text)) return { host: '127.0.0.1', port: checkPort(text, text) };
  if (/^wss?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new EndpointError(`invalid WebSocket URL: ${text}`);
    }
    const secure = url.protocol === 'wss:';
    const port = url.port ? checkPort(url.port, text) : secure ? 443 : 80;
    return { host: stripBrackets(url.hostname), port, path: normalizePath(url.pathname + url.search), secure };
  }
  if (/^https?:\/\//i.test(text)) {
    const url = new URL(text);
    return { host: stripBrackets(url.hostname), port: checkPort(url.port || '80', text) };
  }
  const m = /^(\[[^\]]+\]|[^:/\s]+):(\d+)$/.exec(text);
  if (m) return { host: stripBrackets(m[1]), port: checkPort(m[2], text) };
  throw new EndpointError(`cannot understand target "${text}": expected a ws:// URL, host:port or a port number`);
}

/** True for 127.0.0.0/8, ::1 and localhost: targets that need no `--allow-remote`. */
export function isLoopbackHost(host: string): boolean {
  const h = stripBrackets(host).toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** The WebSocket URL for an endpoint that has a path. */
export function webSocketUrl(ep: CdpEndpoint): string {
  const host = ep.host.includes(':') ? `[${ep.host}]` : ep.host;
  return `${ep.secure ? 'wss' : 'ws'}://${host}:${ep.port}${ep.path ?? '/'}`;
}

/** Human-readable form used in messages. */
export function describeEndpoint(ep: CdpEndpoint): string {
  return ep.path ? webSocketUrl(ep) : `${ep.host}:${ep.port}`;
}

function checkPort(p: string, original: string): number {
  const n = Number(p);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new EndpointError(`invalid port in target "${original}"`);
  return n;
}

function stripBrackets(h: string): string {
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

function normalizePath(p: string | undefined): string | undefined {
  if (!p) return undefined;
  return p.startsWith('/') ? p : `/${p}`;
}
