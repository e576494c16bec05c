import { ChildProcess, spawn } from 'node:child_process';
import { withInspectorFlag } from './runtimeArgs';

/** Matches the banner Node.js and Deno print when their inspector opens. */
const LISTENING = /Debugger listening on (wss?:\/\/\S+)/;
/** Bun prints its inspector's URL alone on an indented line of its "Bun Inspector" banner. */
const BUN_LISTENING = /^\s+(wss?:\/\/\S+)\s*$/;
/** Inspector chatter that would only confuse the user's own stderr. */
const INSPECTOR_NOISE =
  /^(Debugger listening on wss?:\/\/|For help, see: https:\/\/nodejs\.org\/en\/docs\/inspector|Debugger attached\.|Waiting for the debugger to disconnect\.\.\.|Debugger ending on |Visit chrome:\/\/inspect to connect to the debugger\.|Debugger session started\.|-+ Bun Inspector -+$|Listening:$|Inspect in browser:$|\s+https:\/\/debug\.bun\.sh\/|\s+wss?:\/\/\S+\s*$)/;

export interface MonitoredChildOptions {
  command: string;
  args: string[];
  /** The program's stdin (default: inherited). */
  stdin?: 'inherit' | 'ignore';
  /** Receives the program's stdout. */
  stdout: NodeJS.WritableStream;
  /** Receives the program's stderr, without the inspector's banners. */
  stderr: NodeJS.WritableStream;
  /** Called with the WebSocket URL of every process in the tree that opens an inspector. */
  onInspector(url: string): void;
  /** Called right before program output is forwarded (the live status line clears itself). */
  beforeOutput?(): void;
}

/**
 * A tiny shell that outlives memmon: it blocks reading a pipe only memmon holds, so the read returns when memmon
 * dies in any way (even SIGKILL), and then stops the program's process group. memmon kills it on a normal exit.
 */
const WATCHDOG =
  'trap "" INT TERM HUP; read _; kill -TERM "-$1" 2>/dev/null || exit 0; sleep 2; kill -KILL "-$1" 2>/dev/null';

/**
 * The user's program, started so that every Node.js process in its tree opens an inspector on a free loopback
 * port: `--inspect=127.0.0.1:0` goes through NODE_OPTIONS, which also reaches `npm start`, npx, and children.
 * The child leads its own process group so the whole tree can be stopped together, and a watchdog stops that group
 * if memmon itself is killed, so no program with an open inspector is ever left behind.
 */
export class MonitoredChild {
  readonly process: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private pending = '';
  /** Inside Bun's inspector banner, where the URL line is. */
  private inBunBanner = false;
  private flushTimer: NodeJS.Timeout | null = null;
  private watchdog: ChildProcess | null = null;
  private readonly killWatchdog = () => {
    if (this.watchdog?.pid) this.watchdog.kill('SIGKILL');
    this.watchdog = null;
    process.removeListener('exit', this.killWatchdog);
  };

  constructor(private readonly options: MonitoredChildOptions) {
    const nodeOptions = [process.env.NODE_OPTIONS, '--inspect=127.0.0.1:0'].filter(Boolean).join(' ');
    this.process = spawn(options.command, withInspectorFlag(options.command, options.args), {
      stdio: [options.stdin ?? 'inherit', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: nodeOptions },
      detached: process.platform !== 'win32',
      // `npm start` and friends are .cmd shims on Windows.
      shell: process.platform === 'win32',
    });
    if (process.platform !== 'win32' && this.process.pid) this.startWatchdog(this.process.pid);
    this.exited = new Promise((resolve, reject) => {
      this.process.once('error', (err) => {
        this.killWatchdog();
        reject(err);
      });
      this.process.once('exit', (code, signal) => {
        this.flushStderr();
        // Processes of the tree still running keep their guard until memmon exits.
        if (!this.groupAlive()) this.killWatchdog();
        resolve({ code, signal });
      });
    });
    this.process.stdout!.on('data', (d: Buffer) => {
      options.beforeOutput?.();
      options.stdout.write(d);
    });
    this.process.stderr!.on('data', (d: Buffer) => this.onStderr(d.toString('utf8')));
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Stops the whole tree: SIGTERM, then SIGKILL after `graceMs`. Resolves when the child has exited. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.signalTree('SIGTERM');
    const killer = setTimeout(() => this.signalTree('SIGKILL'), graceMs);
    // A failed start was reported when it happened; here only the end matters.
    await this.exited.catch(() => undefined);
    clearTimeout(killer);
    // Grandchildren that ignored SIGTERM go too.
    this.signalTree('SIGKILL');
    this.killWatchdog();
  }

  private startWatchdog(pgid: number): void {
    try {
      const dog = spawn('/bin/sh', ['-c', WATCHDOG, 'memmon-watchdog', String(pgid)], {
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      dog.on('error', () => undefined); // No /bin/sh: the tree is only stopped by memmon itself.
      dog.unref();
      (dog.stdin as unknown as { unref?(): void } | null)?.unref?.();
      this.watchdog = dog;
      process.on('exit', this.killWatchdog);
    } catch {
      // As above.
    }
  }

  private groupAlive(): boolean {
    const pid = this.process.pid;
    if (!pid || process.platform === 'win32') return false;
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** Sends a signal to the child's process group (falling back to the child alone). */
  signalTree(signal: NodeJS.Signals): void {
    const pid = this.process.pid;
    if (!pid) return;
    try {
      if (process.platform !== 'win32') process.kill(-pid, signal);
      else this.process.kill(signal);
    } catch {
      // No process group of its own (or not ours to signal): the child alone.
      try {
        this.process.kill(signal);
      } catch {
        // Already gone.
      }
    }
  }

  private onStderr(text: string): void {
    this.pending += text;
    const lines = this.pending.split('\n');
    this.pending = lines.pop()!;
    for (const line of lines) this.handleLine(line, true);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    // A partial line (a prompt, a progress bar) is shown after a short wait rather than held back.
    if (this.pending) this.flushTimer = setTimeout(() => this.flushStderr(), 30);
  }

  private flushStderr(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (!this.pending) return;
    const partial = this.pending;
    this.pending = '';
    this.handleLine(partial, false);
  }

  private handleLine(line: string, complete: boolean): void {
    const m = LISTENING.exec(line) ?? (this.inBunBanner ? BUN_LISTENING.exec(line) : null);
    if (m) this.options.onInspector(m[1]);
    if (/^-+ Bun Inspector -+$/.test(line.trim())) this.inBunBanner = !this.inBunBanner;
    if (INSPECTOR_NOISE.test(line.replace(/\r$/, ''))) return;
    this.options.beforeOutput?.();
    this.options.stderr.write(complete ? `${line}\n` : line);
  }
}
