// How far V8 got with a heap snapshot, to tell how long a debuggee stays busy after a cancelled capture.
//
// V8 cannot stop a heap snapshot once it has started: the inspector's progress and output callbacks always answer
// "continue", and the snapshot runs on the debuggee's main thread, so no later command (HeapProfiler.disable,
// Runtime.terminateExecution, closing the socket) is even read before it ends. All a client can do is stop reading
// (closing the socket makes the inspector drop the chunks instead of queueing them) and say how long it will take.

/**
 * What follows the graph's building (the progress events) as a share of the building time: serialization (the
 * chunks) and then freeing the graph before V8 answers. Measured on Node 20 with a 300 MB heap of small objects:
 * 55 s of progress, 6 s before the first chunk, 13 s of chunks, 9 s more before the answer: 0.5 (docs/heap-capture.md).
 */
const AFTER_BUILDING_SHARE = 0.5;
/** The part of that share after the last chunk (9 s of 55 s). */
const AFTER_CHUNKS_SHARE = 0.17;
/** Snapshot JSON per object, measured on the same heap (610 MB for 7.2 M objects): ~85 bytes. */
const BYTES_PER_OBJECT = 85;

/** Progress and chunks of one heap snapshot as they arrive. */
export class SnapshotPace {
  private firstProgressAt: number | null = null;
  private builtAt: number | null = null;
  private done = 0;
  private total = 0;
  private firstChunkAt: number | null = null;
  private bytes = 0;

  /** A `HeapProfiler.reportHeapSnapshotProgress` event. */
  progress(done: number, total: number, now = Date.now()): void {
    this.firstProgressAt ??= now;
    this.done = done;
    this.total = total;
    if (total > 0 && done >= total) this.builtAt ??= now;
  }

  /** A `HeapProfiler.addHeapSnapshotChunk` event of `length` characters. */
  chunk(length: number, now = Date.now()): void {
    this.firstChunkAt ??= now;
    this.bytes += length;
  }

  /**
   * Seconds V8 still needs to finish the snapshot, estimated from its pace so far; null when it has not reported
   * progress yet (the first phase, a full GC and a count of the objects, says nothing about its length).
   */
  remainingSeconds(now = Date.now()): number | null {
    if (this.firstProgressAt === null || !(this.total > 0) || !(this.done > 0)) return null;
    if (this.builtAt === null) {
      // Still building the graph: the rest of it at the pace so far, then what follows it.
      const building = (now - this.firstProgressAt) / (this.done / this.total);
      return seconds(building - (now - this.firstProgressAt) + AFTER_BUILDING_SHARE * building);
    }
    const building = this.builtAt - this.firstProgressAt;
    if (this.firstChunkAt !== null && this.bytes > 0 && now > this.firstChunkAt) {
      // Serializing: the rest of the chunks at their pace so far, then the time V8 takes after the last one.
      const bytesPerMs = this.bytes / (now - this.firstChunkAt);
      const expectedBytes = this.total * BYTES_PER_OBJECT;
      return seconds(Math.max(0, expectedBytes - this.bytes) / bytesPerMs + AFTER_CHUNKS_SHARE * building);
    }
    return seconds(AFTER_BUILDING_SHARE * building - (now - this.builtAt));
  }

  /** The one line that tells a user who cancelled what the debuggee is still doing, and why. */
  stillBusyText(target: string, now = Date.now()): string {
    const s = this.remainingSeconds(now);
    const howLong =
      s === null
        ? 'for as long as a whole snapshot of its heap takes (it had reported no progress yet to estimate from)'
        : `for about ${s} s more`;
    return `${target} keeps taking the heap snapshot ${howLong}, at full CPU on its main thread and holding the snapshot's memory: V8 cannot stop a heap snapshot once started, and the inspector protocol has no command to cancel one`;
  }
}

/** Whole seconds, at least 1 (V8 is still at it). */
function seconds(ms: number): number {
  return Math.max(1, Math.round(ms / 1000));
}
