import { Writable } from 'node:stream';
import { CliIO } from '../command';
import { main } from '../main';

/** What one in-process `memmon` run printed and returned. */
export interface CliRun {
  exitCode: number;
  /** Every JSON line of stdout, parsed. */
  records: Array<Record<string, unknown> & { type?: string }>;
  /** stderr lines (the last 200; a program's own output can be long). */
  stderr: string[];
}

/** Keeps the stderr lines a tool may need (errors, notes) without growing without bound. */
const MAX_STDERR_LINES = 200;

/**
 * Runs a `memmon` command in this process with captured output, so each MCP tool is exactly the CLI command it
 * names (same options, JSON and one-line errors) instead of a second implementation. `onStderrLine` sees each line
 * as it comes (progress); the signal cancels like Ctrl-C does.
 */
export async function runCliCommand(
  argv: string[],
  signal: AbortSignal,
  onStderrLine?: (line: string) => void,
): Promise<CliRun> {
  let out = '';
  let errPending = '';
  const stderr: string[] = [];
  const pushErr = (line: string) => {
    stderr.push(line);
    if (stderr.length > MAX_STDERR_LINES) stderr.shift();
    onStderrLine?.(line);
  };
  const io: CliIO = {
    stdout: new Writable({
      write(chunk: Buffer | string, _enc, cb) {
        out += chunk.toString();
        cb();
      },
    }),
    stderr: new Writable({
      write(chunk: Buffer | string, _enc, cb) {
        errPending += chunk.toString();
        const lines = errPending.split('\n');
        errPending = lines.pop()!;
        for (const l of lines) pushErr(l.replace(/\r$/, ''));
        cb();
      },
    }),
    isTTY: false,
    signal,
    // The server's stdin carries the protocol: a started program must not read from it.
    programStdin: 'ignore',
  };
  const exitCode = await main(argv, io);
  if (errPending) pushErr(errPending);
  const records: CliRun['records'] = [];
  for (const line of out.split('\n')) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line) as CliRun['records'][number]);
    } catch {
      // Not JSON: commands print only JSON lines with --json; anything else is ignored.
    }
  }
  return { exitCode, records, stderr };
}

/** The CLI's one-line error of a failed run: its last `memmon …:` line on stderr (usage hints dropped). */
export function cliErrorLine(run: CliRun, fallback: string): string {
  const lines = run.stderr.filter((l) => /^memmon[ :]/.test(l) && !l.startsWith('memmon: could not attach'));
  const attach = run.stderr.filter((l) => l.startsWith('memmon: could not attach'));
  return lines.at(-1) ?? attach.at(-1) ?? fallback;
}
