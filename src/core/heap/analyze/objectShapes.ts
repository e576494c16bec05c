import type { RawHeapSnapshot } from '../rawSnapshot';

// DevTools' constants for inferred "interface" (shape) classes of plain Objects.
const MIN_INTERFACE_PROPERTY_COUNT = 1;
const MAX_INTERFACE_NAME_LENGTH = 120;
const MIN_OBJECT_COUNT_PER_INTERFACE = 2;
const MIN_OBJECT_PROPORTION_PER_INTERFACE = 1000;

/** DevTools' formatPropertyName: names with commas, quotes or braces are shown JSON-quoted. */
export function formatPropertyName(name: string): string {
  if (/[,'"{}]/.test(name)) {
    const json = JSON.stringify({ [name]: 0 });
    return json.substring(1, json.length - 3);
  }
  return name;
}

/** One distinct sequence of property-edge names (string indices, in edge order) among plain objects. */
interface Sequence {
  next: Map<number, Sequence> | null;
  parent: Sequence | null;
  nameIndex: number;
  /** Objects with exactly this sequence; firstSeen orders sequences by their first object. */
  count: number;
  firstSeen: number;
  id: number;
}

/** An inferred shape class: its name, e.g. `{sku, qty, price}`, and its property names in the order of the name. */
export interface ShapeDefinition {
  name: string;
  properties: string[];
}

interface PropertyTreeNode {
  next: Map<string, PropertyTreeNode>;
  match: Match | null;
  greatestNext: string | null;
}

interface Match {
  name: string;
  propertyCount: number;
  index: number;
}

/**
 * DevTools' inferInterfaceDefinitions + applyInterfaceDefinitions: names plain `Object`s after the most common
 * property-name lists, e.g. `{sku, qty, price}`, calling assign() for each object that matches a shape (the others
 * stay "Object"). One walk over the objects collects their distinct property sequences; inference and matching
 * then work per sequence, not per object. `given`: definitions to apply instead of inferring them from this
 * snapshot (another snapshot's, as DevTools' comparison does). Returns the definitions applied, in priority order.
 */
export function inferObjectShapes(
  raw: RawHeapSnapshot,
  isPlainObject: (node: number) => boolean,
  assign: (node: number, shapeName: string) => void,
  scratch: Int32Array = new Int32Array(raw.nodeCount),
  given?: readonly ShapeDefinition[],
): ShapeDefinition[] {
  const { nodeCount, firstEdge, edgeType, edgeName, strings } = raw;
  const property = raw.layout.edgeType.property;

  // 1. Distinct property sequences (all property edges, __proto__ included, as applyInterfaceDefinitions sees them).
  const root: Sequence = { next: null, parent: null, nameIndex: -1, count: 0, firstSeen: -1, id: -1 };
  const sequences: Sequence[] = [];
  const sequenceOf = scratch.fill(-1);
  let total = 0;
  for (let n = 0; n < nodeCount; n++) {
    if (!isPlainObject(n)) continue;
    total++;
    let s = root;
    for (let e = firstEdge[n], end = firstEdge[n + 1]; e < end; e++) {
      if (edgeType[e] !== property) continue;
      const name = edgeName[e];
      let child = s.next?.get(name);
      if (!child) {
        child = { next: null, parent: s, nameIndex: name, count: 0, firstSeen: -1, id: -1 };
        (s.next ??= new Map()).set(name, child);
      }
      s = child;
    }
    if (s.count++ === 0) {
      s.firstSeen = total;
      s.id = sequences.length;
      sequences.push(s);
    }
    sequenceOf[n] = s.id;
  }
  if (!sequences.length) return given ? [...given] : [];
  const names = sequences.map((s) => {
    const list: number[] = [];
    for (let p: Sequence | null = s; p && p.parent; p = p.parent) list.push(p.nameIndex);
    return list.reverse();
  });

  // 2. The definitions: given, or inferred from these sequences.
  const definitions = given ? [...given] : inferDefinitions(sequences, names, total, strings);
  if (!definitions.length) return definitions;

  // 3. Property tree over sorted property names; earlier definitions win ties.
  const tree: PropertyTreeNode = { next: new Map(), match: null, greatestNext: null };
  definitions.forEach((def, index) => {
    let current = tree;
    const sorted = [...def.properties].sort();
    for (const p of sorted) {
      let next = current.next.get(p);
      if (!next) {
        next = { next: new Map(), match: null, greatestNext: null };
        current.next.set(p, next);
        if (current.greatestNext === null || current.greatestNext < p) current.greatestNext = p;
      }
      current = next;
    }
    if (!current.match) current.match = { name: def.name, propertyCount: sorted.length, index };
  });

  // 4. Match each sequence once, then name every object.
  const shapeOf = names.map((list) =>
    matchShape(
      tree,
      list.map((i) => strings.get(i)),
    ),
  );
  for (let n = 0; n < nodeCount; n++) {
    const s = sequenceOf[n];
    if (s >= 0 && shapeOf[s] !== null) assign(n, shapeOf[s]);
  }
  return definitions;
}

/** DevTools' inferInterfaceDefinitions over the distinct sequences: popular enough ones, most common first. */
function inferDefinitions(
  sequences: Sequence[],
  names: number[][],
  total: number,
  strings: RawHeapSnapshot['strings'],
): ShapeDefinition[] {
  interface Candidate {
    name: string;
    properties: string[];
    count: number;
    firstSeen: number;
  }
  // A candidate per sequence: its names without __proto__, cut when the name grows past 120 characters.
  const candidates = new Map<string, Candidate>();
  sequences.forEach((s, i) => {
    let name = '{';
    const properties: string[] = [];
    for (const index of names[i]) {
      const prop = strings.get(index);
      if (prop === '__proto__') continue;
      const formatted = formatPropertyName(prop);
      if (name.length > MIN_INTERFACE_PROPERTY_COUNT && name.length + formatted.length > MAX_INTERFACE_NAME_LENGTH)
        break;
      if (name.length !== 1) name += ', ';
      name += formatted;
      properties.push(prop);
    }
    if (!properties.length) return;
    name += '}';
    const c = candidates.get(name);
    if (c) {
      c.count += s.count;
      c.firstSeen = Math.min(c.firstSeen, s.firstSeen);
    } else candidates.set(name, { name, properties, count: s.count, firstSeen: s.firstSeen });
  });
  const minCount = Math.max(MIN_OBJECT_COUNT_PER_INTERFACE, total / MIN_OBJECT_PROPORTION_PER_INTERFACE);
  return [...candidates.values()]
    .filter((c) => c.count >= minCount)
    .sort((a, b) => b.count - a.count || a.firstSeen - b.firstSeen)
    .map(({ name, properties }) => ({ name, properties }));
}

function matchShape(tree: PropertyTreeNode, properties: string[]): string | null {
  properties.sort();
  const better = (a: Match, b: Match | null): Match => {
    if (!b || a.propertyCount > b.propertyCount) return a;
    if (b.propertyCount > a.propertyCount) return b;
    return a.index <= b.index ? a : b;
  };
  const initial: Match = { name: 'Object', propertyCount: 0, index: Infinity };
  const states = new Set<PropertyTreeNode>([tree]);
  let match = better(initial, tree.match);
  for (const p of properties) {
    for (const state of Array.from(states)) {
      if (state.greatestNext === null || p >= state.greatestNext) states.delete(state);
      const next = state.next.get(p);
      if (next) {
        states.add(next);
        match = better(match, next.match);
      }
    }
  }
  return match === initial ? null : match.name;
}
