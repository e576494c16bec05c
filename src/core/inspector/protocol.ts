import type ProtocolMapping from 'devtools-protocol/types/protocol-mapping';

/*
 * The CDP methods and events memmon may use, typed from devtools-protocol (the browser protocol, which V8's
 * Runtime/HeapProfiler/Debugger domains share with Node) plus the few commands only Node's inspector or
 * js-debug's CDP proxy know. A misspelt method, a wrong parameter or a misread field is a compile error.
 */

/** Commands outside the browser protocol: Node's own domain and js-debug's proxy. */
interface NonBrowserCommands {
  /** Node.js: emit `NodeRuntime.waitingForDisconnect` instead of holding the exit while a client is attached. */
  'NodeRuntime.notifyWhenWaitingForDisconnect': { paramsType: [{ enabled: boolean }]; returnType: void };
  /** js-debug's CDP proxy forwards only the events a client subscribed to (patterns such as `HeapProfiler.*`). */
  'JsDebug.subscribe': { paramsType: [{ events: string[] }]; returnType: void };
  /** JavaScriptCore (Bun's WebKit Inspector Protocol): a full garbage collection. */
  'Heap.gc': { paramsType: []; returnType: void };
  /** JavaScriptCore: the whole heap snapshot, in JavaScriptCore's JSON format, as one string. */
  'Heap.snapshot': { paramsType: [Record<string, never>?]; returnType: { timestamp: number; snapshotData: string } };
  /** Node.js: report `worker_threads` Workers (running and new) as `NodeWorker.attachedToWorker` sessions. */
  'NodeWorker.enable': { paramsType: [{ waitForDebuggerOnStart: boolean }]; returnType: void };
  /** Node.js: one CDP message (JSON text) into a Worker's session. */
  'NodeWorker.sendMessageToWorker': { paramsType: [{ sessionId: string; message: string }]; returnType: void };
  /** Node.js: ends a Worker's session. */
  'NodeWorker.detach': { paramsType: [{ sessionId: string }]; returnType: void };
}

/** A Worker as Node's `NodeWorker` domain describes it; `workerId` is the Worker's `threadId` as text. */
export interface NodeWorkerInfo {
  workerId: string;
  type: string;
  title: string;
  url: string;
}

/** Events outside the browser protocol. */
interface NonBrowserEvents {
  /** Node.js: the program finished and waits for debuggers to detach (after notifyWhenWaitingForDisconnect). */
  'NodeRuntime.waitingForDisconnect': [];
  'NodeWorker.attachedToWorker': [{ sessionId: string; workerInfo: NodeWorkerInfo; waitingForDebugger: boolean }];
  'NodeWorker.detachedFromWorker': [{ sessionId: string }];
  'NodeWorker.receivedMessageFromWorker': [{ sessionId: string; message: string; workerId?: string }];
}

type Commands = ProtocolMapping.Commands & NonBrowserCommands;
type Events = ProtocolMapping.Events & NonBrowserEvents;

/** A CDP command name. */
export type CdpMethod = keyof Commands;

/** The parameters of a command; `{}` stands for "none" (the protocol sends an empty object). */
export type CdpParams<M extends CdpMethod> = Commands[M]['paramsType'] extends []
  ? Record<string, never>
  : Commands[M]['paramsType'] extends [(infer P)?]
    ? P
    : never;

/** The arguments after the method name: parameters (optional when the command has none or all optional), timeout. */
export type CdpSendArgs<M extends CdpMethod> = Commands[M]['paramsType'] extends [infer P]
  ? [params: P, timeoutMs?: number]
  : [params?: CdpParams<M>, timeoutMs?: number];

/** What a command resolves with. */
export type CdpResult<M extends CdpMethod> = Commands[M]['returnType'];

/** A CDP event name. */
export type CdpEventName = keyof Events;

/** The parameters of an event (undefined for events without any). */
export type CdpEventParams<E extends CdpEventName> = Events[E] extends [infer P] ? P : undefined;

/**
 * A CDP event as it arrives on the socket, discriminated by `method`. Events outside the typed protocols reach
 * listeners too; they simply match none of the names a listener compares against.
 */
export type CdpEvent = {
  [E in CdpEventName]: { method: E; params: CdpEventParams<E>; sessionId?: string };
}[CdpEventName];
