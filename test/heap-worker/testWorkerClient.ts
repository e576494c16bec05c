import { buildSync } from 'esbuild';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HeapAnalysisClient, HeapAnalysisClientOptions } from '../../src/core/heap/worker/heapAnalysisClient';
import type { HeapRpcMethods } from '../../src/core/heap/worker/protocol';
import type { TestWorkerMethods } from './testWorker';

export type { TestWorkerMethods };

let bundle: string | undefined;

/** Bundles testWorker.ts the way scripts/build.mjs bundles heapWorker.ts (once per test process). */
function testWorkerBundle(): string {
  if (bundle) return bundle;
  const outfile = path.join(tmpdir(), `memmon-test-heap-worker-${process.pid}.js`);
  buildSync({
    entryPoints: [path.join(__dirname, 'testWorker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  return (bundle = outfile);
}

/** A client of the heap analysis worker with the test-only methods (sleep, spin, crashForTest). */
export function startTestWorkerClient(
  options: Omit<HeapAnalysisClientOptions, 'workerPath'> = {},
): HeapAnalysisClient<HeapRpcMethods & TestWorkerMethods> {
  return new HeapAnalysisClient<HeapRpcMethods & TestWorkerMethods>({ ...options, workerPath: testWorkerBundle() });
}
