import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

/** A real Node.js process started with the inspector on a free loopback port. */
export interface Debuggee {
  child: ChildProcess;
  pid: number;
  wsUrl: string;
  port: number;
  /** Everything the process printed on stdout so far. */
  stdout(): string;
  kill(): Promise<void>;
}

export const FIXTURES = path.resolve(__dirname, '../fixtures/programs');

const STARTED_SIGNAL = path.join(__dirname, 'started-signal.cjs');
const STARTED_LINE = 'memmon-test: script started';

/**
 * Starts `node --inspect=127.0.0.1:0 <file>` and resolves once the inspector is listening and the script has run its
 * first synchronous pass (so the fixture's globals exist). With `--inspect-brk` it resolves on the inspector alone.
 */
export function startDebuggee(file: string, args: string[] = [], nodeArgs: string[] = []): Promise<Debuggee> {
  const script = path.isAbsolute(file) ? file : path.join(FIXTURES, file);
  const waitsForScript = !nodeArgs.some((a) => a.startsWith('--inspect-brk'));
  const child = spawn(
    process.execPath,
    ['--inspect=127.0.0.1:0', '--require', STARTED_SIGNAL, ...nodeArgs, script, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  let started = false;
  child.stdout!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`debuggee did not start: ${err}`)), 10_000);
    child.stderr!.on('data', (d) => {
      err += d;
      const m = /Debugger listening on (ws:\/\/[^\s]+)/.exec(err);
      if (m && !started && (!waitsForScript || err.includes(STARTED_LINE))) {
        clearTimeout(timer);
        started = true;
        const wsUrl = m[1]!;
        resolve({
          child,
          pid: child.pid!,
          wsUrl,
          port: Number(new URL(wsUrl).port),
          stdout: () => out,
          kill: () => killProcess(child),
        });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`debuggee exited with ${code}: ${err}`));
    });
  });
}

/** Kills a child and waits for it to exit. */
export function killProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** Waits until `predicate` holds, polling; throws after `timeoutMs`. */
export async function waitFor<T>(
  predicate: () => T | undefined | null | false,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = predicate();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
