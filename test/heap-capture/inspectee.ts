import { ChildProcess, spawn } from 'node:child_process';
import { captureHeapSnapshot } from '../../src/core/heap/capture/capture';
import { InspectorConnection } from '../../src/core/inspector/connection';

/** A real `node --inspect=127.0.0.1:0` child holding `count` instances of a fixture class; `kill()` when done. */
export interface Inspectee {
  child: ChildProcess;
  wsUrl: string;
  port: number;
  kill(): void;
}

/** The class name the fixture program allocates, searched for in captured snapshots. */
export const FIXTURE_CLASS = 'MemmonCaptureFixture';

/** Starts the fixture program and resolves once its inspector prints the WebSocket URL. */
export function startInspectee(count = 20_000, extraStringBytes = 0): Promise<Inspectee> {
  const program = `
    class ${FIXTURE_CLASS} { constructor(i) { this.i = i; this.label = 'item-' + i; this.tags = [i, String(i)]; } }
    globalThis.keep = [];
    for (let i = 0; i < ${count}; i++) keep.push(new ${FIXTURE_CLASS}(i));
    globalThis.big = ${extraStringBytes} ? Array.from({ length: 64 }, (_, k) => String(k).repeat(${Math.ceil(extraStringBytes / 64)})) : [];
    process.stdout.write('ready\\n');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', '-e', program], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let err = '';
    let out = '';
    let wsUrl: string | undefined;
    const timer = setTimeout(() => fail(new Error(`inspectee did not start: ${err}`)), 20_000);
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    };
    const maybeDone = () => {
      if (!wsUrl || !out.includes('ready')) return;
      clearTimeout(timer);
      const port = Number(new URL(wsUrl).port);
      resolve({ child, wsUrl, port, kill: () => child.kill('SIGKILL') });
    };
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      wsUrl ??= /Debugger listening on (ws:\/\/\S+)/.exec(err)?.[1];
      maybeDone();
    });
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      maybeDone();
    });
    child.on('exit', (code) => fail(new Error(`inspectee exited with ${code}: ${err}`)));
  });
}

/** A TCP port on loopback that nothing listens on (bound, then closed). */
export async function unusedPort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** One step of captureSeries: optionally evaluate code in the inspectee, then snapshot it into `file`. */
export interface CaptureStep {
  evaluate?: string;
  file: string;
}

/** Connects to the inspectee and takes one heap snapshot per step, in order; the connection is closed afterwards. */
export async function captureSeries(target: Inspectee, steps: CaptureStep[]): Promise<void> {
  const conn = await InspectorConnection.connect(target.wsUrl);
  try {
    for (const step of steps) {
      if (step.evaluate) await conn.send('Runtime.evaluate', { expression: step.evaluate });
      await captureHeapSnapshot(conn, step.file);
    }
  } finally {
    await conn.close();
  }
}
