// Requests from a webview to the extension, matched with their replies by id. No DOM access, so tests run it in Node.

/** A request → reply map: method name → its params and its result. */
export type MethodMap<Methods> = { [M in keyof Methods]: { params: unknown; result: unknown } };

/** What the client posts to the extension. */
export interface RequestMessage<Methods extends MethodMap<Methods>> {
  type: 'request';
  requestId: number;
  method: keyof Methods & string;
  params: Methods[keyof Methods]['params'];
}

/** The extension's answer to one request. */
export type ReplyMessage =
  { type: 'reply'; requestId: number; result: unknown } | { type: 'failed'; requestId: number; message: string };

/**
 * Sends typed requests and settles each one with its reply: resolved with the result, or rejected with the message
 * the extension sent. The reply's type is given once, by the method map, never at the call.
 */
export class RequestClient<Methods extends MethodMap<Methods>> {
  private readonly pending = new Map<number, { resolve(result: unknown): void; reject(err: Error): void }>();
  private nextId = 1;

  constructor(private readonly post: (message: RequestMessage<Methods>) => void) {}

  /** Number of requests without an answer yet. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Asks the extension; settles when its reply (or failure) arrives. */
  call<M extends keyof Methods & string>(method: M, params: Methods[M]['params']): Promise<Methods[M]['result']> {
    const requestId = this.nextId++;
    return new Promise<Methods[M]['result']>((resolve, reject) => {
      // The reply crosses the boundary untyped: the method map is what types it.
      this.pending.set(requestId, { resolve, reject });
      this.post({ type: 'request', requestId, method, params });
    });
  }

  /** Settles the request a reply answers; false when the message is not a reply to a pending request. */
  settle(message: { type: string; [field: string]: unknown }): boolean {
    if (message.type !== 'reply' && message.type !== 'failed') return false;
    const reply = message as ReplyMessage;
    const waiting = this.pending.get(reply.requestId);
    if (!waiting) return false;
    this.pending.delete(reply.requestId);
    if (reply.type === 'reply') waiting.resolve(reply.result);
    else waiting.reject(new Error(reply.message));
    return true;
  }
}
