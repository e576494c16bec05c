import type { RawHeapSnapshot } from '../rawSnapshot';
import { isDocumentDomTreesRoot } from './ownership';

/** The graph arrays the essential-edge computation reads: plain typed arrays and numbers (it runs on a helper thread). */
export interface EssentialEdgeGraph {
  nodeCount: number;
  rootOrdinal: number;
  firstEdge: Uint32Array;
  edgeTo: Uint32Array;
  edgeType: Uint8Array;
  edgeName: Uint32Array;
  nodeId: Uint32Array;
  internalType: number;
  weakType: number;
  shortcutType: number;
  elementType: number;
  /** Root children reached by element edges that count as page roots ("(Document DOM trees)", browsers only). */
  domTreeRoots: Uint32Array;
}

/** The essential-edge inputs of a parsed snapshot (the DOM tree roots need the string table, so this runs here). */
export function essentialEdgeGraph(raw: RawHeapSnapshot): EssentialEdgeGraph {
  const { edgeType, edgeName, firstEdge, edgeTo, rootOrdinal, nodeCount } = raw;
  const { internal, weak, shortcut, element } = raw.layout.edgeType;
  const domTreeRoots: number[] = [];
  for (let e = firstEdge[rootOrdinal]; e < firstEdge[rootOrdinal + 1]; e++) {
    if (edgeType[e] === element && isDocumentDomTreesRoot(raw, edgeTo[e])) domTreeRoots.push(edgeTo[e]);
  }
  return {
    nodeCount,
    rootOrdinal,
    firstEdge,
    edgeTo,
    edgeType,
    edgeName,
    nodeId: raw.nodeId,
    internalType: internal,
    weakType: weak,
    shortcutType: shortcut,
    elementType: element,
    domTreeRoots: Uint32Array.from(domTreeRoots),
  };
}
