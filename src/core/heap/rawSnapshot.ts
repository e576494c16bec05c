import type { SnapshotHeader, SnapshotLayout } from './layout';
import type { HeapStringTable } from './parse/stringTable';

/**
 * A parsed snapshot as flat typed arrays, one array per field (struct of arrays). Nodes and edges are addressed by
 * ordinal (0…count-1), never by the file's field-multiplied indices.
 */
export interface RawHeapSnapshot {
  header: SnapshotHeader;
  layout: SnapshotLayout;
  fileBytes: number;
  nodeCount: number;
  edgeCount: number;
  rootOrdinal: number;
  nodeType: Uint8Array;
  nodeName: Uint32Array;
  nodeId: Uint32Array;
  /** Float64: self sizes can exceed 2^32. */
  nodeSelfSize: Float64Array;
  /** Null when the layout has no `detachedness` field. */
  nodeDetachedness: Uint8Array | null;
  /** firstEdge[n]…firstEdge[n+1]-1 are node n's outgoing edge ordinals; length nodeCount+1. */
  firstEdge: Uint32Array;
  edgeType: Uint8Array;
  edgeName: Uint32Array;
  /** Target node ordinal of each edge. */
  edgeTo: Uint32Array;
  /** Per node: index into the location arrays, or -1. */
  nodeLocation: Int32Array | null;
  locationScript: Uint32Array;
  locationLine: Uint32Array;
  locationColumn: Uint32Array;
  strings: HeapStringTable;
}
