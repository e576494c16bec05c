import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_METRICS_NAMES, type MetricsNaming } from './metricFamilies';
import { MetricsRegistry } from './metricsRegistry';
import { negotiateContentType, renderMetrics } from './prometheusText';

/** The namings served: fixed, or read at every scrape (a setting that may change). */
export type NamingsSource = readonly MetricsNaming[] | (() => readonly MetricsNaming[]);

/**
 * Serves `/metrics` in the Prometheus text format (OpenMetrics when the Accept header asks) on 127.0.0.1 only (the figures describe local processes and
 * need no exposure beyond this machine; put a reverse proxy in front to scrape from elsewhere). Requests whose Host
 * header is not a loopback name are refused (403), so a DNS-rebinding web page cannot read them.
 */
export class MetricsServer {
  private constructor(
    private readonly server: Server,
    /** The port actually bound (useful with port 0). */
    readonly port: number,
  ) {}

  /** URL of the endpoint, e.g. `http://127.0.0.1:9464/metrics`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/metrics`;
  }

  /** Starts listening; port 0 picks a free port. Rejects with a one-line message when the port is taken. */
  static listen(
    registry: MetricsRegistry,
    port: number,
    namings: NamingsSource = DEFAULT_METRICS_NAMES,
  ): Promise<MetricsServer> {
    const names = typeof namings === 'function' ? namings : () => namings;
    const server = createServer((req, res) => handle(registry, names, req, res));
    server.keepAliveTimeout = 5000;
    return new Promise((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        reject(
          new Error(
            err.code === 'EADDRINUSE'
              ? `port ${port} on 127.0.0.1 is already in use`
              : `cannot serve metrics on port ${port}: ${err.message}`,
          ),
        );
      });
      server.listen(port, '127.0.0.1', () => {
        server.removeAllListeners('error');
        server.on('error', () => undefined);
        resolve(new MetricsServer(server, (server.address() as AddressInfo).port));
      });
    });
  }

  /** Stops listening and closes open connections. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

/** `127.0.0.1`, `localhost` or `[::1]`, each with an optional port: the only Host headers answered. */
const LOCAL_HOST_HEADER = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/i;

function handle(
  registry: MetricsRegistry,
  namings: () => readonly MetricsNaming[],
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const url = (req.url ?? '/').split('?')[0];
  // DNS rebinding: a web page whose name resolves to 127.0.0.1 reaches this port with its own Host; refuse it.
  if (!LOCAL_HOST_HEADER.test(req.headers.host ?? '')) {
    res
      .writeHead(403, { 'content-type': 'text/plain' })
      .end('forbidden: the Host header must be 127.0.0.1, localhost or [::1] (DNS rebinding protection)\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
    return;
  }
  if (url === '/metrics') {
    const contentType = negotiateContentType(req.headers.accept);
    renderMetrics(registry.snapshot(), namings(), contentType).then(
      (body) => {
        res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (err: Error) =>
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`cannot render metrics: ${err.message}\n`),
    );
    return;
  }
  if (url === '/') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('memmon metrics: see /metrics\n');
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
}
