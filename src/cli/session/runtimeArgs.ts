import path from 'node:path';

/** Where memmon asks a runtime to open its inspector: a free loopback port, reported on stderr. */
const INSPECT_FLAG = '--inspect=127.0.0.1:0';

/** Deno subcommands that run a program and accept `--inspect`. */
const DENO_RUNNERS = new Set(['run', 'test', 'serve', 'eval', 'bench', 'task']);

/**
 * The command line `memmon run` starts. Node.js processes get `--inspect` through NODE_OPTIONS; Deno and Bun read
 * no NODE_OPTIONS, so a program started directly as `deno run …` / `bun …` gets the flag on its command line
 * (unless it already has one). Other commands are left alone.
 */
export function withInspectorFlag(command: string, args: string[]): string[] {
  const name = path.basename(command).replace(/\.exe$/i, '');
  if (args.some((a) => /^--inspect(-brk|-wait)?(=|$)/.test(a))) return args;
  if (name === 'deno') {
    const at = args.findIndex((a) => !a.startsWith('-'));
    if (at < 0 || !DENO_RUNNERS.has(args[at])) return args;
    return [...args.slice(0, at + 1), INSPECT_FLAG, ...args.slice(at + 1)];
  }
  if (name === 'bun') return [INSPECT_FLAG, ...args];
  return args;
}
