import { spawn } from 'node:child_process';
import path from 'node:path';

export const CLI = path.resolve(__dirname, '../../dist/cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CliOptions {
  /** The CLI is killed (SIGKILL) after this long; default 60 s. */
  timeoutMs?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** A command that execs the CLI with its arguments appended, e.g. `sh -c 'ulimit -f 8; exec "$@"' sh`. */
  prefix?: string[];
}

/** What a predicate over a running CLI's output sees: everything printed so far. */
export interface CliOutput {
  stdout: string;
  stderr: string;
}

/** A `memmon` process that is still running: its output so far, and a way to wait for a line or to signal it. */
export interface RunningCli {
  pid: number;
  output(): CliOutput;
  /**
   * Resolves with the first truthy value of `test`, checked on every chunk of output; rejects when the CLI exits
   * first or after `timeoutMs`.
   */
  waitForOutput<T>(
    test: (out: CliOutput) => T | undefined | null | false,
    what: string,
    timeoutMs?: number,
  ): Promise<T>;
  kill(signal: NodeJS.Signals): void;
  /** Resolves when the CLI has exited and its output is closed. */
  done: Promise<CliResult>;
}

/** Starts the built `memmon` CLI as a real process, for tests that act while it runs. */
export function startCli(args: string[], opts: CliOptions = {}): RunningCli {
  const started = Date.now();
  const [command, ...prefixArgs] = [...(opts.prefix ?? []), process.execPath];
  const child = spawn(command, [...prefixArgs, CLI, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: CliOutput = { stdout: '', stderr: '' };
  const watchers = new Set<() => void>();
  const notify = () => {
    for (const w of [...watchers]) w();
  };
  child.stdout.on('data', (d) => {
    out.stdout += d;
    notify();
  });
  child.stderr.on('data', (d) => {
    out.stderr += d;
    notify();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  let closed = false;
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      closed = true;
      notify();
      resolve({ code, stdout: out.stdout, stderr: out.stderr, ms: Date.now() - started });
    });
  });
  return {
    pid: child.pid!,
    output: () => ({ ...out }),
    waitForOutput: (test, what, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const finish = (err: Error | null, value?: ReturnType<typeof test>) => {
          watchers.delete(check);
          clearTimeout(deadline);
          if (err) reject(err);
          else resolve(value as never);
        };
        const check = () => {
          let value;
          try {
            value = test({ ...out });
          } catch (err) {
            return finish(err as Error);
          }
          if (value) finish(null, value);
          else if (closed)
            finish(new Error(`memmon exited before ${what}\nstdout:\n${out.stdout}\nstderr:\n${out.stderr}`));
        };
        const deadline = setTimeout(
          () => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\nstderr:\n${out.stderr}`)),
          timeoutMs,
        );
        watchers.add(check);
        check();
      }),
    kill: (signal) => child.kill(signal),
    done,
  };
}

/** Runs the built `memmon` CLI as a real process to its end. */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return startCli(args, opts).done;
}

/** Parses every stdout line as JSON; throws on any line that is not. */
// JSON lines of many types, read field by field; a precise type would need a guard per line type in every test.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function jsonLines(stdout: string): any[] {
  return stdout
    .split('\n')
    .filter((l) => l.length)
    .map((l, i) => {
      try {
        return JSON.parse(l) as unknown;
      } catch {
        throw new Error(`stdout line ${i + 1} is not JSON: ${l.slice(0, 200)}`);
      }
    });
}

/** The JSON lines of a still-running CLI's stdout: only lines already ended by a newline. */
export function completeJsonLines(stdout: string): ReturnType<typeof jsonLines> {
  return jsonLines(stdout.slice(0, stdout.lastIndexOf('\n') + 1));
}
