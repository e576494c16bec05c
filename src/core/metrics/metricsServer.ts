import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MetricsRegistry } from './metricsRegistry';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from './prometheusText';

/**
 * Serves `/metrics` in the Prometheus text format on 127.0.0.1 only (the figures describe local processes and
 * need no exposure beyond this machine; put a reverse proxy in front to scrape from elsewhere).
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
  static listen(registry: MetricsRegistry, port: number): Promise<MetricsServer> {
    const server = createServer((req, res) => handle(registry, req, res));
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

function handle(registry: MetricsRegistry, req: IncomingMessage, res: ServerResponse): void {
  const url = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
    return;
  }
  if (url === '/metrics') {
    const body = renderPrometheus(registry.snapshot());
    res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  if (url === '/') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('memmon metrics: see /metrics\n');
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
}
