// The analysis worker lowers its own scheduling priority so that it never delays the extension host's event loop.
// Its own file: the call lowers this test process's main thread for the rest of the file.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { ANALYSIS_NICE, lowerThisThreadPriority } from '../../src/core/heap/worker/threadPriority';

/** The nice value of the calling thread, from /proc (field 19 of stat; the command name may contain spaces). */
const NICE_OF_THIS_THREAD =
  "Number(require('node:fs').readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')[16])";

describe('lowerThisThreadPriority', { skip: process.platform !== 'linux' && 'Linux only' }, () => {
  it('lowers the calling thread, and threads started from it inherit the value', async () => {
    const before = eval(NICE_OF_THIS_THREAD) as number;
    assert.equal(lowerThisThreadPriority(), true);
    assert.equal(eval(NICE_OF_THIS_THREAD), Math.max(before, ANALYSIS_NICE));
    const child = await new Promise<number>((resolve, reject) => {
      const worker = new Worker(`require('node:worker_threads').parentPort.postMessage(${NICE_OF_THIS_THREAD})`, {
        eval: true,
      });
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    assert.equal(child, Math.max(before, ANALYSIS_NICE));
  });
});
