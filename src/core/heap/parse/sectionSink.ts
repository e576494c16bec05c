import { HeapSnapshotError } from '../errors';
import type { RecordSink } from './recordScanner';

/** Receives the numbers of one array section, whole records through `fast` when it has one, others in batches. */
export interface SectionSink extends RecordSink {
  /** Numbers received so far. */
  received: number;
  close(): void;
}

/** Largest value of a Uint32 column. */
export const U32 = 0xffffffff;

/** The header's node_count or edge_count does not match the file. */
export function mismatch(what: string, expected: number, got: number): HeapSnapshotError {
  return new HeapSnapshotError(
    `invalid heap snapshot: snapshot.${what}_count says ${expected} but the file has ${got > expected ? 'more' : got}`,
  );
}
