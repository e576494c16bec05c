import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';

/** The request context the SDK hands each tool call. */
export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Reports progress (as `notifications/progress`) when the client asked for it; a no-op otherwise. */
export type Progress = (progress: number, total: number | undefined, message: string) => void;

/** Minimum time between two progress notifications: enough for a client, not a flood. */
const EVERY_MS = 250;

/** Progress for one call: throttled, strictly increasing as the protocol requires, never failing the call. */
export function progressFor(extra: ToolExtra): Progress {
  const token = extra._meta?.progressToken;
  if (token === undefined) return () => undefined;
  let last = -Infinity;
  let lastAt = 0;
  return (progress, total, message) => {
    const now = Date.now();
    const done = total !== undefined && progress >= total;
    if (progress <= last || (!done && now - lastAt < EVERY_MS)) return;
    last = progress;
    lastAt = now;
    extra
      .sendNotification({
        method: 'notifications/progress',
        params: { progressToken: token, progress, total, message },
      })
      .catch(() => undefined);
  };
}

/** Ticks elapsed seconds of a timed run as progress until stopped. */
export function elapsedProgress(progress: Progress, seconds: number, what: string): () => void {
  const started = Date.now();
  const timer = setInterval(() => {
    const s = Math.min(seconds, Math.round((Date.now() - started) / 1000));
    progress(s, seconds, `${what}: ${s} of ${seconds} s`);
  }, 1000);
  return () => clearInterval(timer);
}
