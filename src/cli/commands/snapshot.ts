import path from 'node:path';
import { formatBytes } from '../../core/format';
import {
  CliCommand,
  CliIO,
  ExitCode,
  parseOptions,
  positiveNumber,
  RuntimeError,
  UsageError,
  writeJsonLine,
} from '../command';
import { InspectorConnection, InspectorError } from '../../core/inspector/connection';
import { EndpointError, isLoopbackHost, parseEndpoint } from '../../core/inspector/endpoint';
import { captureHeapSnapshot, HeapSnapshotCaptureError } from '../../core/heap/capture/capture';

const usage = `
Usage: memmon snapshot <target> [-o file] [--json] [--allow-remote] [--connect-timeout s] [--proxy]

Takes a heap snapshot of a running Node.js program and streams it to a file (mode 0600).

  <target>              ws://host:port/id, host:port or a port of an inspector (node --inspect)
  -o, --output <file>   where to write (default: Heap-<timestamp>.heapsnapshot in the current directory)
  --json                print one line {"type":"snapshot","t","file","bytes","durationMs"} on stdout
  --allow-remote        allow a target that is not on this machine (loopback only by default)
  --connect-timeout <s> seconds to wait for the inspector (default 3)
  --proxy               the target is js-debug's CDP proxy (subscribe to HeapProfiler events first)

Progress goes to stderr. Ctrl-C cancels and deletes the partial file; V8 cannot stop a snapshot it has started,
so the program stays busy (full CPU, the snapshot's memory) until it is done: memmon says for about how long.
Exit codes: 0 written · 1 runtime error (unreachable, cancelled, disk full…) · 2 usage error`;

/** `memmon snapshot`: capture a heap snapshot to a file. */
export const command: CliCommand = {
  name: 'snapshot',
  summary: 'take a heap snapshot of a running Node.js program and write it to a file',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseOptions(argv, {
      output: { type: 'string', short: 'o' },
      json: { type: 'boolean' },
      'allow-remote': { type: 'boolean' },
      'connect-timeout': { type: 'string' },
      proxy: { type: 'boolean' },
    });
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length
          ? `expected one target, got ${positionals.length}`
          : 'missing <target> (a ws:// URL, host:port or port)',
      );
    let endpoint;
    try {
      endpoint = parseEndpoint(positionals[0]);
    } catch (err) {
      if (err instanceof EndpointError) throw new UsageError(err.message);
      throw err;
    }
    if (!isLoopbackHost(endpoint.host) && !values['allow-remote']) {
      throw new UsageError(
        `target host ${endpoint.host} is not this machine; pass --allow-remote to connect to it anyway`,
      );
    }
    const connectTimeoutMs = positiveNumber(values['connect-timeout'], 'connect-timeout', 3) * 1000;
    const file = path.resolve(values.output ?? defaultFileName(new Date()));

    let conn: InspectorConnection;
    try {
      conn = await InspectorConnection.connect(endpoint, {
        connectTimeoutMs,
        requestTimeoutMs: 10_000,
        allowRemote: !!values['allow-remote'],
      });
    } catch (err) {
      throw new RuntimeError(err instanceof InspectorError ? err.message : String((err as Error)?.message ?? err));
    }
    const progress = new ProgressLine(io);
    const t = Date.now();
    try {
      io.stderr.write(`taking heap snapshot of ${conn.description} → ${file}\n`);
      const result = await captureHeapSnapshot(conn, file, {
        signal: io.signal,
        proxy: values.proxy ? true : 'auto',
        onProgress: (done, total) => progress.update(done, total),
        onWarning: (message) => io.stderr.write(`warning: ${message}\n`),
      });
      progress.clear();
      io.stderr.write(
        `wrote ${formatBytes(result.bytes)} to ${result.file} in ${(result.durationMs / 1000).toFixed(1)} s\n`,
      );
      if (values.json)
        writeJsonLine(io.stdout, {
          type: 'snapshot',
          t,
          file: result.file,
          bytes: result.bytes,
          durationMs: result.durationMs,
        });
      return ExitCode.ok;
    } catch (err) {
      progress.clear();
      if (err instanceof HeapSnapshotCaptureError) {
        if (err.debuggeeStillBusy) io.stderr.write(`memmon snapshot: ${err.debuggeeStillBusy}\n`);
        throw new RuntimeError(err.message);
      }
      throw err;
    } finally {
      await conn.close();
    }
  },
};

/** `Heap-20240131T154501.heapsnapshot`, local time, like DevTools' default names. */
function defaultFileName(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `Heap-${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}T${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}.heapsnapshot`;
}

/** Progress on stderr: a live percentage on a terminal, a line per 25 % otherwise. */
class ProgressLine {
  private lastShown = -1;
  private live = false;
  constructor(private readonly io: CliIO) {}

  update(done: number, total: number): void {
    if (!(total > 0)) return;
    const pct = Math.min(100, Math.floor((done / total) * 100));
    if (this.io.isTTY) {
      if (pct === this.lastShown) return;
      this.lastShown = pct;
      this.live = true;
      this.io.stderr.write(
        `\r\x1b[2Ksnapshot ${pct}% (${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} objects)`,
      );
    } else {
      const step = Math.floor(pct / 25) * 25;
      if (step <= this.lastShown) return;
      this.lastShown = step;
      this.io.stderr.write(`snapshot ${step}%\n`);
    }
  }

  clear(): void {
    if (this.live) this.io.stderr.write('\r\x1b[2K');
    this.live = false;
  }
}
