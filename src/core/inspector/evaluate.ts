import type { InspectorConnection } from './connection';

/** How one by-value evaluation runs. */
export interface EvaluateOptions {
  /** Default 5 s. */
  timeoutMs?: number;
  /** Make the console's command-line API (`require` in Node, also for ESM programs) available to the expression. */
  includeCommandLineAPI?: boolean;
}

/**
 * Evaluates `expression` in the debuggee (silently: no pause on exceptions) and resolves with its JSON value;
 * undefined when it threw. The value is `unknown`: the debuggee decides what comes back, so callers check its shape
 * (e.g. with `numberFields`). Rejects with an InspectorError when the request fails.
 */
export async function evaluateValue(
  conn: InspectorConnection,
  expression: string,
  options: EvaluateOptions = {},
): Promise<unknown> {
  const r = await conn.send(
    'Runtime.evaluate',
    {
      expression,
      returnByValue: true,
      silent: true,
      ...(options.includeCommandLineAPI !== undefined && { includeCommandLineAPI: options.includeCommandLineAPI }),
    },
    options.timeoutMs ?? 5000,
  );
  return r.exceptionDetails ? undefined : (r.result.value as unknown);
}

/**
 * Calls `functionDeclaration` with the remote object `objectId` as `this` and resolves with the JSON value it
 * returns; undefined when it threw. Rejects with an InspectorError when the request fails (e.g. a stale handle).
 */
export async function callFunctionValue(
  conn: InspectorConnection,
  objectId: string,
  functionDeclaration: string,
  timeoutMs: number,
): Promise<unknown> {
  const r = await conn.send(
    'Runtime.callFunctionOn',
    { objectId, functionDeclaration, returnByValue: true, silent: true },
    timeoutMs,
  );
  return r.exceptionDetails ? undefined : (r.result.value as unknown);
}

/** `value`'s fields `keys` when it is an object and each of them is a number; otherwise undefined. */
export function numberFields<K extends string>(value: unknown, ...keys: K[]): Record<K, number> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  return keys.every((k) => typeof record[k] === 'number') ? (record as Record<K, number>) : undefined;
}
