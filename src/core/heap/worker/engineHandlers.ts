import type { HeapEngineMethods } from './engineProtocol';
import type { Handler } from './workerHandlers';

/** Engine method handlers; each keeps results to small pages. */
export function createEngineHandlers(): { [M in keyof HeapEngineMethods]: Handler<M> } {
  return {};
}
