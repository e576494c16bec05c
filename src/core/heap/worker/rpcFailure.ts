import type { RpcErrorCode, RpcErrorPayload } from './protocol';

/** An error that crosses the worker boundary with its code intact. */
export class RpcFailure extends Error {
  override name = 'RpcFailure';
  constructor(
    message: string,
    readonly code: RpcErrorCode,
  ) {
    super(message);
  }

  /** Rebuilds the error on the receiving side. */
  static from(payload: RpcErrorPayload): RpcFailure {
    return new RpcFailure(payload.message, payload.code);
  }
}

/** Turns anything thrown inside the worker into a one-line payload. */
export function toErrorPayload(err: unknown, signal?: AbortSignal): RpcErrorPayload {
  if (err instanceof RpcFailure) return { message: err.message, code: err.code };
  if (signal?.aborted || (err as Error)?.name === 'AbortError') return { message: 'cancelled', code: 'cancelled' };
  const e = err as { message?: string; code?: unknown; name?: string };
  if (e?.name === 'HeapSnapshotError') return { message: (e.message ?? '').split('\n')[0], code: 'bad-input' };
  const message = (e?.message ?? String(err)).split('\n')[0];
  // Engine and file-system errors about the input carry a string code (ENOENT, EISDIR, a parse error code…).
  const badInput =
    typeof e?.code === 'string' || /snapshot|JSON|ENOENT|EISDIR|EACCES|truncat|corrupt|invalid/i.test(message);
  return { message, code: badInput ? 'bad-input' : 'internal' };
}
