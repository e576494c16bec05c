import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import CDP from 'chrome-remote-interface';
import {
  CdpEndpoint,
  CdpProxyAddress,
  describeEndpoint,
  isLoopbackHost,
  parseEndpoint,
  webSocketUrl,
} from './endpoint';
import type { CdpEvent, CdpEventName, CdpEventParams, CdpMethod, CdpResult, CdpSendArgs } from './protocol';
import { CdpTransport, WorkerTransport } from './workerTransport';

export type { CdpEvent, CdpEventName, CdpEventParams, CdpMethod, CdpParams, CdpResult } from './protocol';

export interface ConnectOptions {
  /** Time allowed for discovery and the WebSocket handshake. */
  connectTimeoutMs?: number;
  /** Default timeout of each request. */
  requestTimeoutMs?: number;
  /**
   * Follow a `/json/list` answer from a loopback endpoint that points at another host. Off by default: a local
   * endpoint must not be able to send memmon to a remote inspector the user never allowed (`--allow-remote`).
   */
  allowRemote?: boolean;
}

/** A failed request or connection, with a one-line message fit for users. */
export class InspectorError extends Error {
  override name = 'InspectorError';
  constructor(
    message: string,
    /** `timeout`, `closed`, `unreachable`, `protocol` (the debuggee answered with an error). */
    readonly code: 'timeout' | 'closed' | 'unreachable' | 'protocol',
  ) {
    super(message);
  }
}

interface TargetInfo {
  type?: string;
  title?: string;
  url?: string;
  webSocketDebuggerUrl?: string;
}

/**
 * One CDP connection to a Node.js (or browser) inspector over chrome-remote-interface.
 *
 * Events: `event` (CdpEvent) for every protocol event, `close` (InspectorError) once when the socket closes,
 * `heap-snapshot` ('start' | 'end') around every HeapProfiler.takeHeapSnapshot sent through it (whoever sends it: the
 * debuggee is paused meanwhile, and V8's snapshot writer leaves hundreds of MB in its allocator — see LeakMonitor).
 * Requests never hang: each has a timeout, and pending requests fail when the socket closes.
 */
export class InspectorConnection extends EventEmitter {
  private closed = false;
  private closing = false;
  readonly endpoint: CdpEndpoint;
  readonly description: string;

  private constructor(
    private readonly client: CdpTransport,
    endpoint: CdpEndpoint,
    private readonly requestTimeoutMs: number,
    description = describeEndpoint(endpoint),
  ) {
    super();
    this.endpoint = endpoint;
    this.description = description;
    // chrome-remote-interface types incoming messages loosely; the protocol's own names and shapes are CdpEvent's.
    client.on('event', (message) => this.emit('event', message));
    client.on('disconnect', () =>
      this.markClosed(
        this.closing ? 'connection closed' : `debuggee at ${this.description} went away (connection closed)`,
      ),
    );
    // ws may report errors after the handshake; the 'disconnect' that follows carries the user-facing message.
    client.on('error', () => undefined);
  }

  /** Connects to a target given as a ws:// URL, `host:port`, a port, or js-debug's `{host, port, path}`. */
  static async connect(
    target: string | CdpProxyAddress | CdpEndpoint,
    options: ConnectOptions = {},
  ): Promise<InspectorConnection> {
    const endpoint = typeof target === 'object' && 'port' in target ? parseEndpoint(target) : parseEndpoint(target);
    if (typeof target === 'object' && (target as CdpEndpoint).secure) endpoint.secure = true;
    const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    const where = describeEndpoint(endpoint);
    const url = endpoint.path
      ? webSocketUrl(endpoint)
      : await withTimeout(
          discover(endpoint),
          connectTimeoutMs,
          () => new InspectorError(`no inspector answered at ${where} within ${connectTimeoutMs} ms`, 'unreachable'),
        );
    if (!endpoint.path && isLoopbackHost(endpoint.host) && !options.allowRemote) checkDiscoveredUrl(url, where);
    let client: CDP.Client;
    try {
      const pending = CDP({ target: url, local: true, secure: endpoint.secure });
      client = await withTimeout(pending, connectTimeoutMs, () => {
        // Close the socket if it opens after we gave up.
        pending.then((c) => c.close()).catch(() => undefined); // never opened: nothing to close
        return new InspectorError(`no inspector answered at ${where} within ${connectTimeoutMs} ms`, 'unreachable');
      });
    } catch (err) {
      throw toUnreachable(err, where);
    }
    // chrome-remote-interface's client has what CdpTransport names, under looser typings.
    return new InspectorConnection(client, endpoint, options.requestTimeoutMs ?? 10_000);
  }

  /**
   * A connection to one `worker_threads` Worker of this (Node.js) debuggee, tunnelled through the `NodeWorker`
   * domain: `sessionId` comes from `NodeWorker.attachedToWorker`. It closes when the Worker ends or this closes.
   */
  forWorker(sessionId: string, threadId: number): InspectorConnection {
    const transport = new WorkerTransport(this, sessionId);
    return new InspectorConnection(
      transport,
      this.endpoint,
      this.requestTimeoutMs,
      `${this.description} (worker thread ${threadId})`,
    );
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Event patterns already subscribed through js-debug's proxy on this connection. */
  private readonly jsDebugSubscriptions = new Set<string>();

  /**
   * Subscribes to events through js-debug's CDP proxy, each pattern once per connection: js-debug delivers an event
   * once per subscription, so subscribing twice duplicates every event (a heap snapshot's chunks arrive twice and
   * the file is corrupt). Rejects like `send` (a direct inspector answers that the method was not found).
   */
  async subscribeThroughJsDebug(events: string[], timeoutMs = 5000): Promise<void> {
    const fresh = events.filter((e) => !this.jsDebugSubscriptions.has(e));
    if (!fresh.length) return;
    await this.send('JsDebug.subscribe', { events: fresh }, timeoutMs);
    for (const e of fresh) this.jsDebugSubscriptions.add(e);
  }

  /**
   * The TCP socket under the WebSocket, for flow control (pausing it while the disk falls behind a snapshot), or
   * undefined. Best effort through private fields: chrome-remote-interface 0.34 does not expose its WebSocket, and
   * its `ws` 7 has no public pause/resume; without the socket, data simply queues in memory.
   */
  get transportSocket(): Socket | undefined {
    const socket = (this.client as { _ws?: { _socket?: Partial<Socket> } })._ws?._socket;
    return typeof socket?.pause === 'function' && typeof socket.resume === 'function' ? (socket as Socket) : undefined;
  }

  /** Sends a request; rejects with an InspectorError on timeout, on a protocol error, or when the socket is closed. */
  async send<M extends CdpMethod>(
    method: M,
    ...[params, timeoutMs = this.requestTimeoutMs]: CdpSendArgs<M>
  ): Promise<CdpResult<M>> {
    if (this.closed)
      throw new InspectorError(`cannot send ${method}: connection to ${this.description} is closed`, 'closed');
    // The client's own typing stops at the browser protocol; NodeRuntime/JsDebug commands travel the same way.
    const request = this.client.send(method, params ?? {}) as Promise<CdpResult<M>>;
    const snapshot = method === 'HeapProfiler.takeHeapSnapshot';
    if (snapshot) this.emit('heap-snapshot', 'start');
    try {
      return await withTimeout(
        request,
        timeoutMs,
        () =>
          new InspectorError(`${method} got no answer within ${timeoutMs} ms (debuggee busy or paused?)`, 'timeout'),
      );
    } catch (err) {
      if (err instanceof InspectorError) {
        // The request may still settle later; swallow that outcome.
        request.catch(() => undefined);
        throw err;
      }
      if (this.closed || /WebSocket connection closed|not opened|CLOSED/i.test(String((err as Error)?.message))) {
        throw new InspectorError(`${method} failed: connection to ${this.description} is closed`, 'closed');
      }
      const message = (err as { message?: string; data?: string })?.message ?? String(err);
      throw new InspectorError(`${method} failed: ${message}`, 'protocol');
    } finally {
      if (snapshot) this.emit('heap-snapshot', 'end');
    }
  }

  /** Waits for one event, with a timeout; resolves with its parameters. */
  waitForEvent<E extends CdpEventName>(method: E, timeoutMs: number): Promise<CdpEventParams<E>> {
    return new Promise((resolve, reject) => {
      const onEvent = (e: CdpEvent) => {
        if (e.method !== method) return;
        cleanup();
        resolve(e.params as CdpEventParams<E>);
      };
      const onClose = (err: InspectorError) => {
        cleanup();
        reject(err);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new InspectorError(`no ${method} event within ${timeoutMs} ms`, 'timeout'));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off('event', onEvent);
        this.off('close', onClose);
      };
      this.on('event', onEvent);
      this.on('close', onClose);
    });
  }

  /** Closes the socket; safe to call more than once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closing = true;
    try {
      await withTimeout(this.client.close(), 2000, () => new InspectorError('close timed out', 'timeout'));
    } catch {
      // The socket is gone either way.
    }
    this.markClosed('connection closed');
  }

  private markClosed(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    const err = new InspectorError(reason, 'closed');
    if (this.listenerCount('close') > 0) this.emit('close', err);
  }
}

/** Finds the first debuggable target at host:port through `/json/list`. */
async function discover(ep: CdpEndpoint): Promise<string> {
  const where = `${ep.host}:${ep.port}`;
  let targets: TargetInfo[];
  try {
    targets = await CDP.List({ host: ep.host, port: ep.port, secure: ep.secure });
  } catch (err) {
    throw toUnreachable(err, where);
  }
  const target =
    targets.find((t) => t.webSocketDebuggerUrl && (t.type === 'node' || t.type === 'page')) ??
    targets.find((t) => t.webSocketDebuggerUrl);
  if (!target?.webSocketDebuggerUrl) {
    throw new InspectorError(
      `the inspector at ${where} lists no debuggable target (is another debugger attached?)`,
      'unreachable',
    );
  }
  return target.webSocketDebuggerUrl;
}

/** The loopback rule applied to the WebSocket URL a local `/json/list` returned (it could name any host). */
function checkDiscoveredUrl(url: string, where: string): void {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    throw new InspectorError(`the inspector at ${where} returned an invalid webSocketDebuggerUrl`, 'unreachable');
  }
  if (!isLoopbackHost(host))
    throw new InspectorError(
      `refusing to follow the inspector at ${where} to non-loopback host "${host}" (its /json/list webSocketDebuggerUrl points there); pass --allow-remote if you mean it`,
      'unreachable',
    );
}

function toUnreachable(err: unknown, where: string): InspectorError {
  if (err instanceof InspectorError) return err;
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  const why =
    code === 'ECONNREFUSED'
      ? 'connection refused: nothing is listening there'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'unknown host'
        : code === 'ECONNRESET'
          ? 'connection reset'
          : (/Unexpected server response: (\d+)/.exec(e?.message ?? '')?.[0] ??
            (e?.message || String(err)).split('\n')[0]);
  return new InspectorError(`cannot connect to inspector at ${where}: ${why}`, 'unreachable');
}

/** Races a promise against a timer; the timer never keeps the process alive. */
export function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
    timer.unref?.();
  });
  return Promise.race([p, timedOut]).finally(() => clearTimeout(timer));
}
