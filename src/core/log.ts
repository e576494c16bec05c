/**
 * Where core code tells what it recovered from: a request that failed and was done without, a helper thread that
 * fell back to the calling thread, a file it could not delete. Core has no output of its own, so its host decides:
 * the CLI writes to stderr when MEMMON_DEBUG is set, the extension to its output channel. Without a host (tests,
 * the analysis worker) the same MEMMON_DEBUG switch applies.
 */
export interface CoreLogger {
  debug(message: string): void;
}

/** Writes `memmon: <message>` lines to stderr. */
export const stderrLogger: CoreLogger = {
  debug: (message) => void process.stderr.write(`memmon: ${message}\n`),
};

const silent: CoreLogger = { debug: () => undefined };

let current: CoreLogger = process.env.MEMMON_DEBUG ? stderrLogger : silent;

/** Routes core's messages to `logger` (process-wide); returns a function that restores the previous one. */
export function setCoreLogger(logger: CoreLogger): () => void {
  const previous = current;
  current = logger;
  return () => {
    current = previous;
  };
}

/** Reports something core recovered from. */
export function logDebug(message: string): void {
  current.debug(message);
}

/** A rejection handler that reports `<what> failed: <reason>` and lets the caller carry on (resolves undefined). */
export function logFailure(what: string): (err: unknown) => undefined {
  return (err) => {
    logDebug(`${what} failed: ${describeError(err)}`);
    return undefined;
  };
}

/** The first line of an error's message. */
export function describeError(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
