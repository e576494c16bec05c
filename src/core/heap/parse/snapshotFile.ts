import { openRegularFile } from '../../regularFile';
import { HeapSnapshotAbortError, HeapSnapshotError } from '../errors';
import type { RawHeapSnapshot } from '../rawSnapshot';
import { convertJscSnapshot, isJscHeapSnapshot, v8SnapshotBytes } from './jscSnapshot';
import { HeapSnapshotParser, ParseOptions } from './parser';

/** Keys JavaScriptCore writes first ("version", then "type"); V8 always starts with "snapshot". */
const JSC_FIRST_KEYS = new Set(['version', 'type']);
/** JSON.parse needs the whole text as one string: V8 caps strings at about 2^29 characters. */
const JSC_MAX_BYTES = 500 * 1024 * 1024;

/**
 * Reads a heap snapshot file in either format: V8's `.heapsnapshot` (streamed, any size) or JavaScriptCore's JSON
 * (Bun's `Heap.snapshot` / `Bun.generateHeapSnapshot()`), converted to V8's format in memory first.
 */
export async function parseSnapshotFile(path: string, options: ParseOptions = {}): Promise<RawHeapSnapshot> {
  if (!(await startsLikeJsc(path))) return HeapSnapshotParser.parseFile(path, options);
  return parseJscFile(path, options);
}

/** Whether the file's first JSON key is one JavaScriptCore writes first (a cheap look at its first 4 KB). */
async function startsLikeJsc(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await openRegularFile(path);
  } catch {
    // The V8 parser opens it again and reports the problem in its words.
    return false;
  }
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const m = /^(?:\uFEFF)?\s*\{\s*"([A-Za-z_]+)"\s*:/.exec(buf.subarray(0, bytesRead).toString('utf8'));
    return !!m && JSC_FIRST_KEYS.has(m[1]);
  } finally {
    await handle.close();
  }
}

async function parseJscFile(path: string, options: ParseOptions): Promise<RawHeapSnapshot> {
  const handle = await openRegularFile(path).catch((err: Error) => {
    throw new HeapSnapshotError(err.message);
  });
  let text: string;
  try {
    const { size } = await handle.stat();
    if (size > JSC_MAX_BYTES)
      throw new HeapSnapshotError(
        `JavaScriptCore heap snapshot too large to convert (${Math.round(size / 1048576)} MB; at most ${JSC_MAX_BYTES / 1048576} MB)`,
      );
    text = (await handle.readFile()).toString('utf8');
  } finally {
    await handle.close();
  }
  if (options.signal?.aborted) throw new HeapSnapshotAbortError();
  options.onProgress?.(0.3);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new HeapSnapshotError(`not valid JSON: ${(err as Error).message}`);
  }
  if (!isJscHeapSnapshot(json))
    throw new HeapSnapshotError(
      'not a heap snapshot: neither V8\'s .heapsnapshot format (no "snapshot" section) nor JavaScriptCore\'s (no nodes, edges, nodeClassNames, edgeTypes)',
    );
  const v8 = convertJscSnapshot(json);
  options.onProgress?.(0.6);
  if (options.signal?.aborted) throw new HeapSnapshotAbortError();
  const raw = HeapSnapshotParser.parseBuffer(Buffer.concat([...v8SnapshotBytes(v8)]));
  options.onProgress?.(1);
  return raw;
}
