import type { RawHeapSnapshot } from './rawSnapshot';

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

interface TrieNode {
  next: Map<number, TrieNode> | null;
  /** Objects whose (truncated) property list ends here. */
  count: number;
  firstSeen: number;
  parent: TrieNode | null;
  nameIndex: number;
}

interface PropertyTreeNode {
  next: Map<string, PropertyTreeNode>;
  match: { name: string; propertyCount: number; index: number } | null;
  greatestNext: string | null;
}

/**
 * DevTools' inferInterfaceDefinitions + applyInterfaceDefinitions: names plain `Object`s after the most common
 * property-name lists, e.g. `{sku, qty, price}`, calling assign() for each object that matches a shape (the others
 * stay "Object").
 * Objects are walked through tries keyed by string index, so each distinct property list is handled once.
 */
export function inferObjectShapes(raw: RawHeapSnapshot, isPlainObject: (node: number) => boolean, assign: (node: number, shapeName: string) => void): void {
  const { nodeCount, firstEdge, edgeType, edgeName, strings } = raw;
  const property = raw.layout.edgeType.property;
  const formattedLength = new Int32Array(strings.count).fill(-1);
  let protoIndex = -1;
  const isProto = (i: number): boolean => {
    if (protoIndex < 0 && strings.get(i) === '__proto__') protoIndex = i;
    return i === protoIndex;
  };
  const lengthOf = (i: number): number => {
    if (formattedLength[i]! < 0) formattedLength[i] = formatPropertyName(strings.get(i)).length;
    return formattedLength[i]!;
  };

  // 1. Count candidate definitions.
  const trie: TrieNode = { next: null, count: 0, firstSeen: 0, parent: null, nameIndex: -1 };
  const ends: TrieNode[] = [];
  let total = 0;
  for (let n = 0; n < nodeCount; n++) {
    if (!isPlainObject(n)) continue;
    total++;
    let node = trie;
    let length = 1; // "{"
    let props = 0;
    for (let e = firstEdge[n]!, end = firstEdge[n + 1]!; e < end; e++) {
      if (edgeType[e] !== property) continue;
      const name = edgeName[e]!;
      if (isProto(name)) continue;
      const f = lengthOf(name);
      if (length > MIN_INTERFACE_PROPERTY_COUNT && length + f > MAX_INTERFACE_NAME_LENGTH) break;
      if (length !== 1) length += 2;
      length += f;
      props++;
      let child = node.next?.get(name);
      if (!child) {
        child = { next: null, count: 0, firstSeen: 0, parent: node, nameIndex: name };
        (node.next ??= new Map()).set(name, child);
      }
      node = child;
    }
    if (props === 0) continue;
    if (node.count++ === 0) {
      node.firstSeen = ends.length;
      ends.push(node);
    }
  }
  const minCount = Math.max(MIN_OBJECT_COUNT_PER_INTERFACE, total / MIN_OBJECT_PROPORTION_PER_INTERFACE);
  const chosen = ends.filter((t) => t.count >= minCount).sort((a, b) => b.count - a.count || a.firstSeen - b.firstSeen);
  const definitions = chosen.map((t) => {
    const names: string[] = [];
    for (let p: TrieNode | null = t; p && p.parent; p = p.parent) names.push(strings.get(p.nameIndex));
    names.reverse();
    return { name: `{${names.map(formatPropertyName).join(', ')}}`, properties: names };
  });
  if (!definitions.length) return;

  // 2. Property tree over sorted property names; earlier definitions win ties.
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

  // 3. Match every plain object; memoised per exact edge-name sequence.
  interface MemoNode { next: Map<number, MemoNode> | null; result: string | null | undefined }
  const memo: MemoNode = { next: null, result: undefined };
  const names: number[] = [];
  for (let n = 0; n < nodeCount; n++) {
    if (!isPlainObject(n)) continue;
    let m = memo;
    names.length = 0;
    for (let e = firstEdge[n]!, end = firstEdge[n + 1]!; e < end; e++) {
      if (edgeType[e] !== property) continue;
      const name = edgeName[e]!;
      names.push(name);
      let child = m.next?.get(name);
      if (!child) {
        child = { next: null, result: undefined };
        (m.next ??= new Map()).set(name, child);
      }
      m = child;
    }
    if (m.result === undefined) m.result = matchShape(tree, names.map((i) => strings.get(i)));
    if (m.result !== null) assign(n, m.result);
  }
}

function matchShape(tree: PropertyTreeNode, properties: string[]): string | null {
  properties.sort();
  type Match = { name: string; propertyCount: number; index: number };
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
