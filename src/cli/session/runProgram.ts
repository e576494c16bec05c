import { CliIO, ExitCode, interruptExitCode, signalExitCode } from '../command';
import { MonitoredChild } from './childProcess';
import { MonitorSession, SessionOptions, SessionPlugin } from './monitorSession';

export interface RunProgramOptions extends SessionOptions {
  durationMs: number | null;
  plugins?: SessionPlugin[];
}

/**
 * Starts a program with the inspector enabled in every Node.js process of its tree, monitors each of them until
 * the program exits, the duration ends (then stops it: SIGTERM, SIGKILL after a grace period) or the user
 * interrupts (stops the whole tree), and returns memmon's exit code.
 */
export async function runProgram(program: string[], options: RunProgramOptions, io: CliIO): Promise<number> {
  const session = new MonitorSession(options, io);
  for (const p of options.plugins ?? []) session.use(p);
  const attaching: Promise<unknown>[] = [];
  let child: MonitoredChild;
  try {
    child = new MonitoredChild({
      command: program[0],
      args: program.slice(1),
      stdin: io.programStdin,
      stdout: options.json ? io.stderr : io.stdout,
      stderr: io.stderr,
      onInspector: (url) => attaching.push(session.add(url)),
      beforeOutput: () => session.clearLive(),
    });
  } catch (err) {
    session.fail(`cannot start ${program[0]}: ${(err as Error).message}`);
    return session.finish({ programExitCode: null, reason: 'start-failed', command: program });
  }

  let reason = 'program-exited';
  let durationTimer: NodeJS.Timeout | undefined;
  const stopBy = (why: string) => {
    if (reason !== 'program-exited') return;
    reason = why;
    void child.stop();
  };
  if (options.durationMs !== null) durationTimer = setTimeout(() => stopBy('duration'), options.durationMs);
  const onAbort = () => stopBy('interrupted');
  io.signal.addEventListener('abort', onAbort);

  let exit: { code: number | null; signal: NodeJS.Signals | null };
  try {
    exit = await child.exited;
  } catch (err) {
    clearTimeout(durationTimer);
    io.signal.removeEventListener('abort', onAbort);
    const e = err as NodeJS.ErrnoException;
    session.fail(
      e.code === 'ENOENT'
        ? `cannot start "${program[0]}": command not found`
        : `cannot start "${program[0]}": ${e.message}`,
    );
    return session.finish({ programExitCode: null, reason: 'start-failed', command: program });
  }
  clearTimeout(durationTimer);
  io.signal.removeEventListener('abort', onAbort);
  // Let attaches in flight settle, and monitors notice their process is gone.
  await Promise.allSettled(attaching);
  // A referenced timer: with nothing else pending (no monitor attached), an unreferenced one would let Node exit
  // with code 0 before the summary is written.
  let settle: NodeJS.Timeout | undefined;
  if (session.active.length)
    await Promise.race([session.whenIdle(), new Promise((r) => (settle = setTimeout(r, 2000)))]);
  clearTimeout(settle);

  if (!session.monitors.size)
    session.note('no Node.js process of this program opened an inspector, so nothing was monitored');
  // When memmon ended the program (duration), the run itself succeeded; otherwise keep the program's result.
  const programExitCode =
    reason === 'duration'
      ? ExitCode.ok
      : reason === 'interrupted'
        ? interruptExitCode(io.signal)
        : (exit.code ?? (exit.signal ? signalExitCode(exit.signal) : ExitCode.runtimeError));
  return session.finish({ programExitCode, reason, command: program, signal: exit.signal });
}
