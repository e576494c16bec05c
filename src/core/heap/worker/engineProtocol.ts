/**
 * Engine methods of the worker protocol (snapshot handles, paged queries, diffs). Filled in as the engine facade
 * (src/core/heap/index.ts) lands; see protocol.ts for the envelope.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface HeapEngineMethods {}
