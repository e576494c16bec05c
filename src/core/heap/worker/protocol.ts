/**
 * The one typed protocol between the main thread (HeapAnalysisClient) and the heap analysis worker (heapWorker.ts).
 *
 * main → worker: `request` {id, method, params}, `cancel` {id}
 * worker → main: `response` {id, result} | {id, error: {message, code}}, `progress` {id, phase, fraction}
 *
 * Every result is a small, structured-clone-friendly value (a page of rows, one node's details): the graph itself
 * never crosses the boundary.
 */
import type { HeapEngineMethods } from './engineProtocol';

/** Why a call failed. `worker-crashed`, `out-of-memory` and `disposed` are produced by the client, the rest by the worker. */
export type RpcErrorCode =
  | 'cancelled'
  | 'bad-input'
  | 'not-found'
  | 'unknown-method'
  | 'internal'
  | 'worker-crashed'
  | 'out-of-memory'
  | 'disposed';

export interface RpcErrorPayload {
  /** One line fit for users. */
  message: string;
  code: RpcErrorCode;
}

/** Methods for checking the RPC itself; `crashForTest` exists only when the client enables test methods. */
export interface HeapMechanicsMethods {
  ping: { params: { echo?: string }; result: { echo?: string; threadId: number; heapLimitMb: number } };
  /** Waits `ms`, reporting progress; honours cancellation. Used by tests and the event-loop benchmark. */
  sleep: { params: { ms: number }; result: { sleptMs: number } };
  /** Busy-loops `ms` on the worker thread (proves the caller's event loop stays free). */
  spin: { params: { ms: number }; result: { spunMs: number } };
  crashForTest: { params: { how: 'exit' | 'throw' | 'oom' }; result: never };
}

/** Every method the worker answers: name → params and result types. */
export type HeapRpcMethods = HeapMechanicsMethods & HeapEngineMethods;
export type HeapRpcMethod = keyof HeapRpcMethods;
export type ParamsOf<M extends HeapRpcMethod> = HeapRpcMethods[M]['params'];
export type ResultOf<M extends HeapRpcMethod> = HeapRpcMethods[M]['result'];

export interface RpcRequest<M extends HeapRpcMethod = HeapRpcMethod> {
  type: 'request';
  id: number;
  method: M;
  params: ParamsOf<M>;
}

export interface RpcCancel {
  type: 'cancel';
  id: number;
}

export type RpcResponse =
  { type: 'response'; id: number; result: unknown } | { type: 'response'; id: number; error: RpcErrorPayload };

export interface RpcProgress {
  type: 'progress';
  id: number;
  /** Engine phase such as `parse`, `dominators`, `summary`. */
  phase: string;
  /** 0…1 within the phase. */
  fraction: number;
}

export type ToWorkerMessage = RpcRequest | RpcCancel;
export type FromWorkerMessage = RpcResponse | RpcProgress;

/** Data the worker is started with. */
export interface HeapWorkerData {
  enableTestMethods: boolean;
  heapLimitMb: number;
  /** Snapshot handles of this worker start above this number, so that handles of a crashed worker never alias. */
  handleBase: number;
}
