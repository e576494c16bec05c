import path from 'node:path';
import { formatBytes } from '../../core/format';
import {
  CliCommand,
  CliIO,
  ExitCode,
  parseOptions,
  nonNegativeInt,
  positiveNumber,
  RuntimeError,
  UsageError,
  writeJsonLine,
} from '../command';
import { InspectorConnection, InspectorError } from '../../core/inspector/connection';
import { EndpointError, isLoopbackHost, parseEndpoint } from '../../core/inspector/endpoint';
import { captureHeapSnapshot, HeapSnapshotCaptureError } from '../../core/heap/capture/capture';
import { abortableSleep } from '../../core/clock';

const usage = `
Usage: memmon snapshot <target> [-o file] [--count n --interval s] [--json] [--allow-remote] [--connect-timeout s] [--proxy]

Takes a heap snapshot of a running Node.js program and streams it to a file (mode 0600).

  <target>              ws://host:port/id, host:port or a port of an inspector (node --inspect)
  -o, --output <file>   where to write (default: Heap-<timestamp>.heapsnapshot in the current directory); with
                        --count, the files are numbered: app-1.heapsnapshot, app-2.heapsnapshot, …
  --count <n>           take n snapshots --interval seconds apart over one inspector session (default 1)
  --interval <s>        seconds between the starts of those snapshots (default 30)
  --json                print one line {"type":"snapshot","t","file","bytes","durationMs"} on stdout per snapshot
  --allow-remote        allow a target that is not on this machine (loopback only by default)
  --connect-timeout <s> seconds to wait for the inspector (default 3)
  --proxy               the target is js-debug's CDP proxy (subscribe to HeapProfiler events first)

Object ids are stable only within one inspector session: V8 renumbers every object when a session ends, so
snapshots from separate memmon snapshot commands can only be compared by class counts and sizes (memmon diff says
so). To compare by object (new / deleted objects, memmon diff A B C's leaks and growing holders), take them with
one command: memmon snapshot 9229 --count 3 --interval 30 -o app.heapsnapshot.

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
      count: { type: 'string' },
      interval: { type: 'string' },
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
    const count = nonNegativeInt(values.count, 'count', 1);
    if (count < 1) throw new UsageError('--count expects a whole number ≥ 1, got "0"');
    const intervalMs = positiveNumber(values.interval, 'interval', 30) * 1000;
    if (values.interval !== undefined && count === 1) throw new UsageError('--interval needs --count 2 or more');
    const started = new Date();
    const fileFor = (i: number) => numbered(path.resolve(values.output ?? defaultFileName(started)), i, count);

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
    let progress = new ProgressLine(io);
    const written: string[] = [];
    try {
      for (let i = 1; i <= count; i++) {
        const t = Date.now();
        const file = fileFor(i);
        progress = new ProgressLine(io);
        io.stderr.write(
          `taking heap snapshot${count > 1 ? ` ${i} of ${count}` : ''} of ${conn.description} → ${file}\n`,
        );
        const result = await captureHeapSnapshot(conn, file, {
          signal: io.signal,
          proxy: values.proxy ? true : 'auto',
          onProgress: (done, total) => progress.update(done, total),
          onWarning: (message) => io.stderr.write(`warning: ${message}\n`),
        });
        progress.clear();
        written.push(result.file);
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
        // The next one starts --interval after this one started (or right away when this one took longer).
        if (i < count) await abortableSleep(Math.max(0, t + intervalMs - Date.now()), io.signal);
      }
      if (count > 1)
        io.stderr.write(
          `compare them (object ids match within this session): memmon diff ${written.map(quoteArg).join(' ')}\n`,
        );
      return ExitCode.ok;
    } catch (err) {
      progress.clear();
      if (written.length)
        io.stderr.write(
          `memmon snapshot: kept the ${written.length} of ${count} snapshots already written: ${written.join(', ')}\n`,
        );
      if (io.signal?.aborted && !(err instanceof HeapSnapshotCaptureError))
        throw new RuntimeError(`stopped after ${written.length} of ${count} snapshots`);
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

/** With --count, `app.heapsnapshot` becomes `app-1.heapsnapshot`, `app-2.heapsnapshot`, … */
function numbered(file: string, i: number, count: number): string {
  if (count === 1) return file;
  const ext = path.extname(file);
  return `${file.slice(0, file.length - ext.length)}-${i}${ext}`;
}

/** A file name for a shell command line, quoted when it needs it. */
function quoteArg(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

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
