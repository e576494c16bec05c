import { HeapSnapshotError } from '../errors';

/**
 * JavaScriptCore's heap snapshot (HeapSnapshotBuilder's JSON, version 2 or 3): what Bun's inspector `Heap.snapshot`
 * returns as `snapshotData` and `Bun.generateHeapSnapshot()` returns as an object. Node ids are not positions; node
 * id 0 is `<root>`, whose edges are the GC roots. No retained sizes, no string values, no function names (those two
 * only as `labels` of "GCDebugging" snapshots).
 */
export interface JscHeapSnapshot {
  version: number;
  /** "Inspector": nodes of 4 fields; "GCDebugging": 7 (plus label index, cell address, wrapped address). */
  type: string;
  /** Flat [id, size, classNameIndex, flags, (labelIndex, cellAddress, wrappedAddress)] per node. */
  nodes: number[];
  nodeClassNames: string[];
  /** Flat [fromId, toId, edgeTypeIndex, data] per edge: data is the index (Index) or an edgeNames index. */
  edges: number[];
  edgeTypes: string[];
  edgeNames: string[];
  labels?: string[];
}

/** V8's `.heapsnapshot` JSON, the subset memmon's parser reads (no trace tree, samples or locations). */
export interface V8HeapSnapshotJson {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: (string[] | string)[];
      edge_fields: string[];
      edge_types: (string[] | string)[];
    };
    node_count: number;
    edge_count: number;
    trace_function_count: number;
  };
  nodes: Uint32Array;
  edges: Uint32Array;
  strings: string[];
}

const NODE_FIELDS = ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'];
const EDGE_FIELDS = ['type', 'name_or_index', 'to_node'];
const NODE_TYPES = [
  'hidden',
  'array',
  'string',
  'object',
  'code',
  'closure',
  'regexp',
  'number',
  'native',
  'synthetic',
  'concatenated string',
  'sliced string',
  'symbol',
  'bigint',
  'object shape',
];
const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];
const enum NodeType {
  Hidden = 0,
  String = 2,
  Object = 3,
  Code = 4,
  Closure = 5,
  RegExp = 6,
  Synthetic = 9,
  Symbol = 12,
  BigInt = 13,
  ObjectShape = 14,
}
const enum EdgeType {
  Context = 0,
  Element = 1,
  Property = 2,
  Internal = 3,
  Shortcut = 5,
}
/** JSC's flags bit for cells that are engine internals, not JavaScript values. */
const INTERNAL_FLAG = 1;
/**
 * Ids of the synthetic "(GC roots)" and "(Unrecorded roots)" nodes; JSC numbers cells from 1 up: no collision. Even,
 * as V8's non-JS nodes: "allocated between" looks at the largest odd id (DevTools' maxJsNodeId).
 */
export const GC_ROOTS_ID = 0xfffffffe;
export const UNRECORDED_ROOTS_ID = 0xfffffffc;
/** Ordinals of the synthetic nodes; JSC's cells follow. */
const ROOT = 0;
const GC_ROOTS = 1;
const UNRECORDED_ROOTS = 2;
const FIRST_CELL = 3;

/** JSC class names of functions (JSFunction and its generator/async kinds). */
const FUNCTION_CLASSES = new Set(['Function', 'GeneratorFunction', 'AsyncFunction', 'AsyncGeneratorFunction']);
/** Compiled code and its executables: V8 calls that "code". */
const CODE_CLASS = /(Executable|CodeBlock)$/;
/** Per-cell global objects (the main one, ShadowRealm's): user roots, as V8's root → global shortcut edges. */
const GLOBAL_CLASSES = new Set(['GlobalObject', 'JSGlobalObject']);

/** Our ordinal of each JSC node id (JSC numbers cells 0…n-1: a typed array then, else a Map). */
class OrdinalById {
  private readonly dense: Uint32Array | null;
  private readonly sparse = new Map<number, number>();

  constructor(nodes: number[], fieldCount: number) {
    const count = nodes.length / fieldCount;
    let maxId = 0;
    for (let i = 0; i < nodes.length; i += fieldCount) {
      const id = nodes[i];
      if (!Number.isInteger(id) || id < 0)
        throw new HeapSnapshotError(`invalid JavaScriptCore heap snapshot: node id ${id}`);
      if (id > maxId) maxId = id;
    }
    // 0 = unknown id; stored ordinals are ordinal + 1.
    this.dense = maxId < 4 * count + 1024 ? new Uint32Array(maxId + 1) : null;
    let next = FIRST_CELL;
    for (let i = 0; i < nodes.length; i += fieldCount) {
      const id = nodes[i];
      if (this.get(id) !== undefined)
        throw new HeapSnapshotError(`invalid JavaScriptCore heap snapshot: node id ${id} twice`);
      const ordinal = id === 0 ? ROOT : next++;
      if (this.dense) this.dense[id] = ordinal + 1;
      else this.sparse.set(id, ordinal);
    }
    if (this.get(0) === undefined)
      throw new HeapSnapshotError('invalid JavaScriptCore heap snapshot: no <root> node (id 0)');
  }

  get(id: number): number | undefined {
    if (!this.dense) return this.sparse.get(id);
    const o = this.dense[id];
    return o ? o - 1 : undefined;
  }
}

/** True when `value` has the shape of a JavaScriptCore heap snapshot (checked again, in depth, by the converter). */
export function isJscHeapSnapshot(value: unknown): value is JscHeapSnapshot {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    Array.isArray(v.nodes) && Array.isArray(v.edges) && Array.isArray(v.nodeClassNames) && Array.isArray(v.edgeTypes)
  );
}

/**
 * Converts a JavaScriptCore heap snapshot to V8's format, which our engine analyses (dominators and retained sizes
 * included). Node 0 is JSC's `<root>`, as V8's synthetic root; its edges are an element edge to a synthetic
 * "(GC roots)" node, which holds JSC's root edges, and shortcut edges to the global objects (V8's user roots).
 * Cells JSC kept alive that no edge of the snapshot reaches (JSC does not record every root: the running module's
 * function and its code, e.g.) hang off "(Unrecorded roots)" under "(GC roots)", so they count as reachable. Types:
 * strings, symbols, BigInts, RegExps and functions keep their kind; Structures become "object shape"; executables and
 * code blocks "code"; other internal cells "hidden" ((system)); every other cell an "object" named by its JSC class
 * (a class instance by its constructor's name, e.g. `Leaky`). Edges: Property → property, Index → element,
 * Variable → context, Internal → internal (unnamed). A string's value and a function's name come from `labels`
 * (GCDebugging snapshots only), else they are empty.
 */
export function convertJscSnapshot(jsc: JscHeapSnapshot): V8HeapSnapshotJson {
  const fieldCount = jsc.type === 'GCDebugging' ? 7 : 4;
  const { nodes, edges, nodeClassNames, edgeNames, edgeTypes } = jsc;
  if (nodes.length % fieldCount !== 0 || edges.length % 4 !== 0)
    throw new HeapSnapshotError(
      `invalid JavaScriptCore heap snapshot: nodes or edges are not whole ${jsc.type} records`,
    );
  const jscCount = nodes.length / fieldCount;
  // Ordinal 0: JSC's <root>; then the synthetic roots; then JSC's other cells in their order.
  const ordinalOf = new OrdinalById(nodes, fieldCount);
  const nodeCount = jscCount + FIRST_CELL - 1;

  const strings: string[] = ['', '(GC roots)', '(Unrecorded roots)'];
  const stringIndex = new Map<string, number>(strings.map((s, i) => [s, i]));
  const intern = (s: string): number => {
    let i = stringIndex.get(s);
    if (i === undefined) {
      i = strings.push(s) - 1;
      stringIndex.set(s, i);
    }
    return i;
  };
  const out = new Uint32Array(nodeCount * NODE_FIELDS.length);
  const setNode = (ordinal: number, type: number, name: number, id: number, size: number) => {
    const at = ordinal * NODE_FIELDS.length;
    out[at] = type;
    out[at + 1] = name;
    out[at + 2] = id;
    out[at + 3] = size;
  };
  setNode(ROOT, NodeType.Synthetic, 0, 0, 0);
  setNode(GC_ROOTS, NodeType.Synthetic, 1, GC_ROOTS_ID, 0);
  setNode(UNRECORDED_ROOTS, NodeType.Synthetic, 2, UNRECORDED_ROOTS_ID, 0);
  const globals: number[] = [];
  for (let i = 0; i < jscCount; i++) {
    const at = i * fieldCount;
    const id = nodes[at];
    if (id === 0) continue;
    const className = nodeClassNames[nodes[at + 2]];
    if (className === undefined)
      throw new HeapSnapshotError(`invalid JavaScriptCore heap snapshot: node ${id} has no class name`);
    const label = fieldCount === 7 ? jsc.labels?.[nodes[at + 4]] : undefined;
    const internal = (nodes[at + 3] & INTERNAL_FLAG) !== 0;
    let type: number = NodeType.Object;
    let name = className;
    if (className === 'string') {
      type = NodeType.String;
      name = label ?? '';
    } else if (className === 'symbol') {
      type = NodeType.Symbol;
      name = label ?? 'symbol';
    } else if (className === 'BigInt') type = NodeType.BigInt;
    else if (className === 'RegExp') type = NodeType.RegExp;
    else if (FUNCTION_CLASSES.has(className)) {
      type = NodeType.Closure;
      name = label ?? '';
    } else if (className === 'Structure') type = NodeType.ObjectShape;
    else if (CODE_CLASS.test(className)) type = NodeType.Code;
    else if (internal) type = NodeType.Hidden;
    else if (GLOBAL_CLASSES.has(className)) globals.push(ordinalOf.get(id)!);
    setNode(ordinalOf.get(id)!, type, intern(name), id, nodes[at + 1]);
  }

  // Edges grouped by source ordinal (V8's layout): count, then place.
  const edgeCount = edges.length / 4;
  const counts = new Uint32Array(nodeCount);
  const retained = new Uint8Array(nodeCount);
  const from = new Uint32Array(edgeCount);
  const to = new Uint32Array(edgeCount);
  for (let e = 0; e < edgeCount; e++) {
    const f = ordinalOf.get(edges[e * 4]);
    const t = ordinalOf.get(edges[e * 4 + 1]);
    if (f === undefined || t === undefined)
      throw new HeapSnapshotError(
        `invalid JavaScriptCore heap snapshot: edge ${e} names a missing node (${edges[e * 4]} → ${edges[e * 4 + 1]})`,
      );
    // JSC's root edges belong to (GC roots).
    from[e] = f === ROOT ? GC_ROOTS : f;
    to[e] = t;
    counts[from[e]]++;
    if (f !== t) retained[t] = 1;
  }
  const unrecorded = unrecordedRoots(nodeCount, counts, from, to, retained);
  counts[ROOT] = 1 + globals.length;
  counts[GC_ROOTS]++;
  counts[UNRECORDED_ROOTS] = unrecorded.length;
  const first = new Uint32Array(nodeCount + 1);
  for (let n = 0; n < nodeCount; n++) {
    first[n + 1] = first[n] + counts[n];
    out[n * NODE_FIELDS.length + 4] = counts[n];
  }
  const outCount = first[nodeCount];
  const outEdges = new Uint32Array(outCount * EDGE_FIELDS.length);
  const fill = first.slice(0, nodeCount);
  const putEdge = (source: number, type: number, name: number, target: number) => {
    const at = fill[source]++ * EDGE_FIELDS.length;
    outEdges[at] = type;
    outEdges[at + 1] = name;
    outEdges[at + 2] = target * NODE_FIELDS.length;
  };
  putEdge(ROOT, EdgeType.Element, 1, GC_ROOTS);
  for (const g of globals) putEdge(ROOT, EdgeType.Shortcut, intern('global'), g);
  let rootIndex = 0;
  putEdge(GC_ROOTS, EdgeType.Element, ++rootIndex, UNRECORDED_ROOTS);
  unrecorded.forEach((n, i) => putEdge(UNRECORDED_ROOTS, EdgeType.Element, i + 1, n));
  for (let e = 0; e < edgeCount; e++) {
    const kind = edgeTypes[edges[e * 4 + 2]];
    const data = edges[e * 4 + 3];
    if (from[e] === GC_ROOTS) putEdge(GC_ROOTS, EdgeType.Element, ++rootIndex, to[e]);
    else if (kind === 'Property') putEdge(from[e], EdgeType.Property, intern(edgeName(edgeNames, data, e)), to[e]);
    else if (kind === 'Variable') putEdge(from[e], EdgeType.Context, intern(edgeName(edgeNames, data, e)), to[e]);
    else if (kind === 'Index') putEdge(from[e], EdgeType.Element, data, to[e]);
    else putEdge(from[e], EdgeType.Internal, 0, to[e]);
  }
  return {
    snapshot: {
      meta: {
        node_fields: NODE_FIELDS,
        node_types: [NODE_TYPES, 'string', 'number', 'number', 'number', 'number', 'number'],
        edge_fields: EDGE_FIELDS,
        edge_types: [EDGE_TYPES, 'string_or_number', 'node'],
      },
      node_count: nodeCount,
      edge_count: outCount,
      trace_function_count: 0,
    },
    nodes: out,
    edges: outEdges,
    strings,
  };
}

/**
 * Cells that JSC's root edges do not reach: first those nothing references, then one cell of each remaining
 * unreached cycle, each taken as a root until every cell is reached. `counts`: out-degree per ordinal.
 */
function unrecordedRoots(
  nodeCount: number,
  counts: Uint32Array,
  from: Uint32Array,
  to: Uint32Array,
  referenced: Uint8Array,
): number[] {
  const first = new Uint32Array(nodeCount + 1);
  for (let n = 0; n < nodeCount; n++) first[n + 1] = first[n] + counts[n];
  const fill = first.slice(0, nodeCount);
  const targets = new Uint32Array(from.length);
  for (let e = 0; e < from.length; e++) targets[fill[from[e]]++] = to[e];
  const reached = new Uint8Array(nodeCount);
  const queue = new Uint32Array(nodeCount);
  const reach = (start: number) => {
    reached[start] = 1;
    queue[0] = start;
    for (let head = 0, length = 1; head < length; head++) {
      const n = queue[head];
      for (let e = first[n]; e < first[n + 1]; e++) {
        if (!reached[targets[e]]) {
          reached[targets[e]] = 1;
          queue[length++] = targets[e];
        }
      }
    }
  };
  reach(GC_ROOTS);
  const roots: number[] = [];
  for (const onlyUnreferenced of [true, false]) {
    for (let n = FIRST_CELL; n < nodeCount; n++) {
      if (reached[n] || (onlyUnreferenced && referenced[n])) continue;
      roots.push(n);
      reach(n);
    }
  }
  return roots;
}

function edgeName(names: string[], index: number, edge: number): string {
  const name = names[index];
  if (name === undefined) throw new HeapSnapshotError(`invalid JavaScriptCore heap snapshot: edge ${edge} has no name`);
  return name;
}

/** V8 `.heapsnapshot` JSON of a converted snapshot, as UTF-8 pieces of about `pieceBytes` bytes. */
export function* v8SnapshotBytes(s: V8HeapSnapshotJson, pieceBytes = 1 << 20): Generator<Buffer> {
  yield Buffer.from(`{"snapshot":${JSON.stringify(s.snapshot)},\n"nodes":[`);
  yield* numberPieces(s.nodes, NODE_FIELDS.length, pieceBytes);
  yield Buffer.from('],\n"edges":[');
  yield* numberPieces(s.edges, EDGE_FIELDS.length, pieceBytes);
  yield Buffer.from('],\n"trace_function_infos":[],\n"trace_tree":[],\n"samples":[],\n"locations":[],\n"strings":[');
  let piece = '';
  for (let i = 0; i < s.strings.length; i++) {
    piece += (i ? ',\n' : '') + JSON.stringify(s.strings[i]);
    if (piece.length >= pieceBytes) {
      yield Buffer.from(piece);
      piece = '';
    }
  }
  yield Buffer.from(`${piece}]}\n`);
}

/** Comma-separated decimal numbers, a line per record, written digit by digit (a string per number is far slower). */
function* numberPieces(values: Uint32Array, perLine: number, pieceBytes: number): Generator<Buffer> {
  // A uint32 takes at most 10 digits, plus a separator and a newline.
  let buf = Buffer.allocUnsafe(pieceBytes + 12);
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    if (i > 0) {
      buf[at++] = 0x2c; // ,
      if (i % perLine === 0) buf[at++] = 0x0a;
    }
    let v = values[i];
    let digits = 1;
    for (let p = 10; p <= v; p *= 10) digits++;
    at += digits;
    for (let d = at - 1; d >= at - digits; d--) {
      buf[d] = 0x30 + (v % 10);
      v = (v - (v % 10)) / 10;
    }
    if (at >= pieceBytes) {
      yield buf.subarray(0, at);
      buf = Buffer.allocUnsafe(pieceBytes + 12);
      at = 0;
    }
  }
  yield buf.subarray(0, at);
}
