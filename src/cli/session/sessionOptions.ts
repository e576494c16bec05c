import { isLoopbackHost, parseEndpoint, EndpointError } from '../../core/inspector/endpoint';
import { positiveNumber, UsageError } from '../command';
import { SessionOptions } from './monitorSession';

/** Options shared by `memmon run` and `memmon attach` (util.parseArgs spec). */
export const SESSION_OPTION_SPEC = {
  interval: { type: 'string' },
  'memory-threshold-mb': { type: 'string' },
  'memory-alert-mb': { type: 'string' },
  'dom-nodes-threshold': { type: 'string' },
  'log-dir': { type: 'string' },
  json: { type: 'boolean' },
  report: { type: 'string' },
  'fail-on': { type: 'string' },
  duration: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const SESSION_OPTION_HELP = `Options:
  --interval <s>              seconds between samples (default 1; fractions such as 0.5 allowed)
  --memory-threshold-mb <n>   critical above n MB, warning above 80 % of it (default 1000)
  --memory-alert-mb <n>       emergency above n MB (default 2000)
  --dom-nodes-threshold <n>   browser pages: critical above n DOM nodes, warning above 80 % of it (default off)
  --duration <s>              stop after s seconds (run: then stops the program)
  --log-dir <dir>             record every sample as JSON lines in dir (one file per process)
  --json                      stdout carries only JSON lines (sample, alert, gc, …, summary)
  --report <file>             write the final summary as JSON to file
  --fail-on emergency         exit 3 when the emergency level was reached`;

type Values = {
  [K in keyof typeof SESSION_OPTION_SPEC]?: (typeof SESSION_OPTION_SPEC)[K]['type'] extends 'boolean'
    ? boolean
    : string;
};

/** Turns parsed flags into session options; throws UsageError on bad values. */
export function sessionOptionsFrom(values: Values): SessionOptions & { durationMs: number | null } {
  const intervalMs = positiveNumber(values.interval, 'interval', 1) * 1000;
  const thresholdMb = positiveNumber(values['memory-threshold-mb'], 'memory-threshold-mb', 1000);
  const alertThresholdMb = positiveNumber(values['memory-alert-mb'], 'memory-alert-mb', 2000);
  const domNodesThreshold =
    values['dom-nodes-threshold'] === undefined
      ? null
      : positiveNumber(values['dom-nodes-threshold'], 'dom-nodes-threshold', 0);
  if (values['fail-on'] !== undefined && values['fail-on'] !== 'emergency') {
    throw new UsageError(`--fail-on accepts only "emergency", got "${values['fail-on']}"`);
  }
  const duration = values.duration === undefined ? null : positiveNumber(values.duration, 'duration', 0) * 1000;
  return {
    monitor: {
      intervalMs,
      thresholdMb,
      alertThresholdMb,
      domNodesThreshold,
      logDir: values['log-dir'] ?? null,
      // Evaluations cost the debuggee CPU; keep them rare, but never rarer than the sampling itself.
      memoryUsageIntervalMs: Math.max(10_000, intervalMs),
    },
    json: !!values.json,
    failOnEmergency: values['fail-on'] === 'emergency',
    reportFile: values.report,
    durationMs: duration,
  };
}

/** Validates an attach target and the loopback rule; returns it unchanged. */
export function checkTarget(target: string | undefined, allowRemote: boolean): string {
  if (!target) throw new UsageError('missing target: give a ws:// URL, host:port or a port');
  let host: string;
  try {
    host = parseEndpoint(target).host;
  } catch (err) {
    if (err instanceof EndpointError) throw new UsageError(err.message);
    throw err;
  }
  if (!isLoopbackHost(host) && !allowRemote) {
    throw new UsageError(
      `refusing to attach to non-loopback host "${host}": an inspector gives full control of the process; pass --allow-remote if you mean it`,
    );
  }
  return target;
}
