import * as vscode from 'vscode';
import { HeapAnalysisClient } from '../../core/heap/worker/heapAnalysisClient';
import type { RpcFailure } from '../../core/heap/worker/rpcFailure';

/**
 * The extension's one heap analysis worker (dist/heapWorker.js), started on first use and terminated on dispose, so
 * snapshot parsing and analysis never run on the extension host's main thread.
 */
export class HeapAnalysisService implements vscode.Disposable {
  private instance: HeapAnalysisClient | undefined;
  private disposed = false;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The shared client; throws a one-line error when the worker bundle is missing. */
  get client(): HeapAnalysisClient {
    if (this.disposed) throw new Error('Memory Monitor is shutting down');
    if (!this.instance) {
      const client = new HeapAnalysisClient({
        workerPath: vscode.Uri.joinPath(this.extensionUri, 'dist', 'heapWorker.js').fsPath,
      });
      client.on('crash', (failure: RpcFailure) => this.log.error(`heap analysis worker: ${failure.message}`));
      this.log.info(`heap analysis worker ready (heap limit ${client.heapLimitMb} MB)`);
      this.instance = client;
    }
    return this.instance;
  }

  dispose(): void {
    this.disposed = true;
    void this.instance?.dispose();
    this.instance = undefined;
  }
}
