import { EventEmitter } from 'node:events';
import type { CdpEvent } from './protocol';

/** The little of a CDP client InspectorConnection uses: requests, events, a disconnect signal, close. */
export interface CdpTransport {
  send(method: string, params: object): Promise<unknown>;
  on(event: 'event', listener: (message: CdpEvent) => void): unknown;
  on(event: 'disconnect' | 'error', listener: () => void): unknown;
  close(): Promise<void>;
}

/** What the tunnel needs from the parent (main-thread) connection. */
export interface WorkerParent {
  send(method: 'NodeWorker.sendMessageToWorker', params: { sessionId: string; message: string }): Promise<unknown>;
  send(method: 'NodeWorker.detach', params: { sessionId: string }): Promise<unknown>;
  on(event: 'event', listener: (e: CdpEvent) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  off(event: 'event', listener: (e: CdpEvent) => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

/**
 * A CDP session with one `worker_threads` Worker, tunnelled through Node's `NodeWorker` domain on the parent
 * connection: requests go out as `NodeWorker.sendMessageToWorker`, answers and events come back as
 * `NodeWorker.receivedMessageFromWorker`, and `NodeWorker.detachedFromWorker` (or the parent closing) ends it.
 */
export class WorkerTransport extends EventEmitter implements CdpTransport {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private ended = false;

  constructor(
    private readonly parent: WorkerParent,
    readonly sessionId: string,
  ) {
    super();
    parent.on('event', this.onParentEvent);
    parent.on('close', this.end);
  }

  async send(method: string, params: object): Promise<unknown> {
    if (this.ended) throw new Error('WebSocket connection closed (worker ended)');
    const id = this.nextId++;
    const answer = new Promise<unknown>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    try {
      await this.parent.send('NodeWorker.sendMessageToWorker', {
        sessionId: this.sessionId,
        message: JSON.stringify({ id, method, params }),
      });
    } catch (err) {
      this.pending.delete(id);
      throw err;
    }
    return answer;
  }

  async close(): Promise<void> {
    if (this.ended) return;
    // Detaching lets the worker run on undisturbed; the parent may already be gone, which ends the session anyway.
    await this.parent.send('NodeWorker.detach', { sessionId: this.sessionId }).catch(() => undefined);
    this.end();
  }

  private readonly onParentEvent = (e: CdpEvent): void => {
    const params = e.params as { sessionId?: string; message?: string } | undefined;
    if (params?.sessionId !== this.sessionId) return;
    if ((e.method as string) === 'NodeWorker.detachedFromWorker') return this.end();
    if ((e.method as string) !== 'NodeWorker.receivedMessageFromWorker' || typeof params.message !== 'string') return;
    let msg: { id?: number; result?: unknown; error?: { message?: string }; method?: string; params?: unknown };
    try {
      msg = JSON.parse(params.message) as typeof msg;
    } catch {
      return; // not a protocol message: nothing to route
    }
    if (typeof msg.id === 'number') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(msg.error.message ?? 'protocol error'));
      else p.resolve(msg.result ?? {});
    } else if (typeof msg.method === 'string') {
      this.emit('event', { method: msg.method, params: msg.params });
    }
  };

  private readonly end = (): void => {
    if (this.ended) return;
    this.ended = true;
    this.parent.off('event', this.onParentEvent);
    this.parent.off('close', this.end);
    for (const p of this.pending.values()) p.reject(new Error('WebSocket connection closed (worker ended)'));
    this.pending.clear();
    this.emit('disconnect');
  };
}
