import { ChildProcess, spawn } from 'node:child_process';

/** A `node --inspect=127.0.0.1:0` child and its inspector URL. */
export interface InspectedProcess {
  child: ChildProcess;
  pid: number;
  wsUrl: string;
  stdout(): string;
  kill(): Promise<void>;
}

const live = new Set<ChildProcess>();
let handlersInstalled = false;

/** Interrupting the benchmark must not leave corpus programs running. */
function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      for (const c of live) c.kill('SIGKILL');
      process.exit(130);
    });
  }
  process.once('exit', () => {
    for (const c of live) c.kill('SIGKILL');
  });
}

/** Starts a Node.js program with the inspector on a free loopback port; resolves when it is listening. */
export function launchInspected(file: string, nodeArgs: string[] = [], args: string[] = []): Promise<InspectedProcess> {
  installExitHandlers();
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', ...nodeArgs, file, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not open an inspector: ${err}`)), 10_000);
    child.stderr!.on('data', (d) => {
      err += d;
      const m = /Debugger listening on (ws:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ child, pid: child.pid!, wsUrl: m[1]!, stdout: () => out, kill: () => kill(child) });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with ${code}: ${err.slice(-500)}`));
    });
  });
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
