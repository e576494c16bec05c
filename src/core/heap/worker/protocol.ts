/**
 * The one typed protocol between the main thread (HeapAnalysisClient) and the heap analysis worker (heapWorker.ts).
 *
 * main → worker: `request` {id, method, params}, `cancel` {id}
 * worker → main: `response` {id, result} | {id, error: {message, code}}, `progress` {id, phase, fraction}, `log` {message}
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

/** Method name → params and result types (`T` is the table itself): what a worker answers and its client may call. */
export type RpcMethodTable<T> = { [M in keyof T]: { params: unknown; result: unknown } };

/** The RPC check (the tests' worker adds methods that sleep, spin and crash: test/heap-worker/testWorker.ts). */
export interface HeapMechanicsMethods {
  ping: { params: { echo?: string }; result: { echo?: string; threadId: number; heapLimitMb: number } };
}

/** Every method the worker answers. */
export type HeapRpcMethods = HeapMechanicsMethods & HeapEngineMethods;
export type HeapRpcMethod = keyof HeapRpcMethods;
export type ParamsOf<M extends HeapRpcMethod> = HeapRpcMethods[M]['params'];
export type ResultOf<M extends HeapRpcMethod> = HeapRpcMethods[M]['result'];

export interface RpcRequest {
  type: 'request';
  id: number;
  method: string;
  params: unknown;
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

/** Something the worker's core code recovered from (see core/log.ts); the client passes it to its own core logger. */
export interface RpcLog {
  type: 'log';
  message: string;
}

export type ToWorkerMessage = RpcRequest | RpcCancel;
export type FromWorkerMessage = RpcResponse | RpcProgress | RpcLog;

/** Data the worker is started with. */
export interface HeapWorkerData {
  heapLimitMb: number;
  /** Snapshot handles of this worker start above this number, so that handles of a crashed worker never alias. */
  handleBase: number;
}
