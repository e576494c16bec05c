import { constants } from 'node:os';
import { parseArgs, ParseArgsConfig } from 'node:util';
import { ensurePrivateDir } from '../core/recording/outputFile';

/** Streams and context a CLI command runs with; tests pass their own. */
export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** True when stderr is a terminal (live status line allowed). */
  isTTY: boolean;
  /** Aborted on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
  /** What a started program's stdin is connected to (default: memmon's own). The MCP server's stdin is its protocol. */
  programStdin?: 'inherit' | 'ignore';
}

/** One `memmon <name>` subcommand. `run` resolves to the process exit code. */
export interface CliCommand {
  name: string;
  /** One line for `memmon --help`. */
  summary: string;
  /** Full usage text for `memmon <name> --help`. */
  usage: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

/** Documented exit codes. The first applicable one wins in the order usage, runtime, leak, emergency, program. */
export const ExitCode = {
  ok: 0,
  runtimeError: 1,
  usage: 2,
  emergency: 3,
  leak: 4,
  regression: 5,
} as const;

/** A mistake in the command line: printed with a hint and exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure the user can act on: printed as one line (no stack) with exit code 1. */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

/** util.parseArgs with errors turned into UsageErrors. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  allowPositionals = true,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0].replace(/^TypeError \[\w+\]: /, ''));
  }
}

/** Parses a positive number option such as `--interval 0.5`. */
export function positiveNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} expects a positive number, got "${value}"`);
  return n;
}

/** Parses a non-negative integer option such as `--top 0`. */
export function nonNegativeInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} expects a whole number ≥ 0, got "${value}"`);
  return n;
}

/** Writes one JSON line. */
export function writeJsonLine(out: NodeJS.WritableStream, value: object): void {
  out.write(`${JSON.stringify(value)}\n`);
}

/** The shell's exit code for a process ended by `signal`: 128 + its number (SIGINT 130, SIGTERM 143). */
export function signalExitCode(signal: NodeJS.Signals): number {
  const n = constants.signals[signal];
  return 128 + (typeof n === 'number' ? n : 0);
}

/** Exit code for a run interrupted through `io.signal` (its reason is the signal name; Ctrl-C when unknown). */
export function interruptExitCode(signal: AbortSignal): number {
  const reason: unknown = signal.reason;
  return signalExitCode(typeof reason === 'string' && reason.startsWith('SIG') ? (reason as NodeJS.Signals) : 'SIGINT');
}

/** Creates an output folder named by `flag` (0700, parents too) up front; a RuntimeError saying why it cannot be. */
export function createOutputDir(dir: string, flag: string): void {
  try {
    ensurePrivateDir(dir);
  } catch (err) {
    throw new RuntimeError(`cannot create ${flag} ${dir}: ${(err as Error).message}`);
  }
}
