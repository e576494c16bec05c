#!/usr/bin/env node
import { commandLoaders } from './commands/index';
import { setCoreLogger } from '../core/log';
import { CliIO, ExitCode, RuntimeError, signalExitCode, UsageError } from './command';
import { cliVersion } from './version';

const HELP_TAIL = `
Exit codes: 0 ok · 1 runtime error · 2 usage error · 3 emergency level (with --fail-on emergency)
            4 leak suspected · 5 regression (compare) · otherwise \`run\` exits with the program's own code.
Run \`memmon <command> --help\` for a command's options.`;

/** Runs the CLI with the given arguments and returns the exit code. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(await helpText());
    return name ? ExitCode.ok : ExitCode.usage;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${cliVersion()}\n`);
    return ExitCode.ok;
  }
  const load = commandLoaders[name];
  if (!load) {
    io.stderr.write(`memmon: unknown command "${name}"\n${await helpText()}`);
    return ExitCode.usage;
  }
  const command = await load();
  if (rest[0] === '--help' || rest[0] === '-h') {
    io.stdout.write(`${command.usage.trim()}\n`);
    return ExitCode.ok;
  }
  // What core recovered from (failed cleanup requests, helper-thread fallbacks) is shown only when debugging.
  const restoreLogger = process.env.MEMMON_DEBUG
    ? setCoreLogger({ debug: (message) => void io.stderr.write(`memmon: ${message}\n`) })
    : undefined;
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`memmon ${name}: ${err.message}\nRun \`memmon ${name} --help\` for usage.\n`);
      return ExitCode.usage;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`memmon ${name}: ${message.split('\n')[0]}\n`);
    if (!(err instanceof RuntimeError) && process.env.MEMMON_DEBUG) io.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    return ExitCode.runtimeError;
  } finally {
    restoreLogger?.();
  }
}

async function helpText(): Promise<string> {
  const lines = await Promise.all(
    Object.entries(commandLoaders).map(async ([n, load]) => `  ${n.padEnd(9)} ${(await load()).summary}`),
  );
  return `memmon ${cliVersion()} — watch the memory of Node.js programs and find their leaks\n\nUsage: memmon <command> [options]\n\nCommands:\n${lines.join('\n')}\n${HELP_TAIL}\n`;
}

if (require.main === module) {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts++;
    // A second signal means now: the watchdog (see childProcess.ts) still stops the program tree.
    if (interrupts > 1) process.exit(signalExitCode(sig));
    controller.abort(sig);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Writing to a closed pipe (e.g. `memmon … | head`) must not crash.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => e.code === 'EPIPE' && process.exit(0));
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: !!process.stderr.isTTY,
    signal: controller.signal,
  }).then(
    (code) => {
      process.exitCode = code;
      // Let pending writes flush, then leave even if a stray handle is open.
      setTimeout(() => process.exit(code), 50).unref();
    },
    (err) => {
      process.stderr.write(`memmon: ${(err as Error)?.message ?? err}\n`);
      process.exit(ExitCode.runtimeError);
    },
  );
}
