import { threadId } from 'node:worker_threads';
import type { HeapRpcMethods, HeapWorkerData } from './protocol';
import { createEngineHandlers } from './engineHandlers';
import type { HandlerTable } from './rpcServer';

/** All worker methods: the RPC check plus the engine's. */
export function createHandlers(data: HeapWorkerData): HandlerTable<HeapRpcMethods> {
  return {
    ping: ({ echo }) => ({ echo, threadId, heapLimitMb: data.heapLimitMb }),
    ...createEngineHandlers(data.handleBase),
  };
}
