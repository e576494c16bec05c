import { HeapSnapshotError } from './errors';

/**
 * Where each field lives in the snapshot's flat `nodes` / `edges` / `locations` arrays, and what the type numbers mean.
 * Read from `snapshot.meta`, so 6- and 7-field node layouts, extra unknown fields and old type lists all work.
 */
export interface SnapshotLayout {
  nodeFieldCount: number;
  nodeTypeField: number;
  nodeNameField: number;
  nodeIdField: number;
  nodeSelfSizeField: number;
  nodeEdgeCountField: number;
  /** -1 in 6-field snapshots. */
  nodeDetachednessField: number;
  nodeTypes: string[];
  edgeFieldCount: number;
  edgeTypeField: number;
  edgeNameField: number;
  edgeToNodeField: number;
  edgeTypes: string[];
  locationFieldCount: number;
  locationObjectField: number;
  locationScriptField: number;
  locationLineField: number;
  locationColumnField: number;
  /** Node type numbers (-1 when the snapshot's list lacks the type). */
  nodeType: Record<
    | 'hidden'
    | 'array'
    | 'string'
    | 'object'
    | 'code'
    | 'closure'
    | 'regexp'
    | 'number'
    | 'native'
    | 'synthetic'
    | 'consString'
    | 'slicedString',
    number
  >;
  /** Edge type numbers (-1 when absent). */
  edgeType: Record<'context' | 'element' | 'property' | 'internal' | 'hidden' | 'shortcut' | 'weak', number>;
}

/** The parsed `snapshot` header object (the small JSON object before `nodes`). */
export interface SnapshotHeader {
  meta: Record<string, unknown>;
  node_count?: number;
  edge_count?: number;
  root_index?: number;
  trace_function_count?: number;
  extra_native_bytes?: number;
}

function stringList(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new HeapSnapshotError(`invalid heap snapshot: snapshot.meta.${what} is not a list of names`);
  }
  return value as string[];
}

function requireField(fields: string[], name: string, what: string): number {
  const i = fields.indexOf(name);
  if (i < 0) throw new HeapSnapshotError(`invalid heap snapshot: snapshot.meta.${what} has no "${name}" field`);
  return i;
}

/** Builds the layout from `snapshot.meta`; throws HeapSnapshotError when required fields are missing. */
export function layoutFromMeta(meta: unknown): SnapshotLayout {
  if (!meta || typeof meta !== 'object') throw new HeapSnapshotError('invalid heap snapshot: snapshot.meta is missing');
  const m = meta as Record<string, unknown>;
  const nodeFields = stringList(m.node_fields, 'node_fields');
  const edgeFields = stringList(m.edge_fields, 'edge_fields');
  const locationFields = m.location_fields === undefined ? [] : stringList(m.location_fields, 'location_fields');
  const nodeTypeField = requireField(nodeFields, 'type', 'node_fields');
  const edgeTypeField = requireField(edgeFields, 'type', 'edge_fields');
  const nodeTypesRaw: unknown = Array.isArray(m.node_types) ? m.node_types[nodeTypeField] : undefined;
  const edgeTypesRaw: unknown = Array.isArray(m.edge_types) ? m.edge_types[edgeTypeField] : undefined;
  const nodeTypes = stringList(nodeTypesRaw, 'node_types');
  const edgeTypes = stringList(edgeTypesRaw, 'edge_types');
  const nt = (n: string) => nodeTypes.indexOf(n);
  const et = (n: string) => edgeTypes.indexOf(n);
  const layout: SnapshotLayout = {
    nodeFieldCount: nodeFields.length,
    nodeTypeField,
    nodeNameField: requireField(nodeFields, 'name', 'node_fields'),
    nodeIdField: requireField(nodeFields, 'id', 'node_fields'),
    nodeSelfSizeField: requireField(nodeFields, 'self_size', 'node_fields'),
    nodeEdgeCountField: requireField(nodeFields, 'edge_count', 'node_fields'),
    nodeDetachednessField: nodeFields.indexOf('detachedness'),
    nodeTypes,
    edgeFieldCount: edgeFields.length,
    edgeTypeField,
    edgeNameField: requireField(edgeFields, 'name_or_index', 'edge_fields'),
    edgeToNodeField: requireField(edgeFields, 'to_node', 'edge_fields'),
    edgeTypes,
    locationFieldCount: locationFields.length,
    locationObjectField: locationFields.indexOf('object_index'),
    locationScriptField: locationFields.indexOf('script_id'),
    locationLineField: locationFields.indexOf('line'),
    locationColumnField: locationFields.indexOf('column'),
    nodeType: {
      hidden: nt('hidden'),
      array: nt('array'),
      string: nt('string'),
      object: nt('object'),
      code: nt('code'),
      closure: nt('closure'),
      regexp: nt('regexp'),
      number: nt('number'),
      native: nt('native'),
      synthetic: nt('synthetic'),
      consString: nt('concatenated string'),
      slicedString: nt('sliced string'),
    },
    edgeType: {
      context: et('context'),
      element: et('element'),
      property: et('property'),
      internal: et('internal'),
      hidden: et('hidden'),
      shortcut: et('shortcut'),
      weak: et('weak'),
    },
  };
  if (nodeTypes.length > 255 || edgeTypes.length > 255)
    throw new HeapSnapshotError('invalid heap snapshot: too many node or edge types');
  return layout;
}
