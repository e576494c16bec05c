import type { RawHeapSnapshot } from '../rawSnapshot';
import { formatPropertyName } from './objectShapes';

const MAX_NAME = 1024;

/** Display name of an edge: element/hidden edges carry an index, the others a string. */
export function edgeNameText(raw: RawHeapSnapshot, e: number): string {
  const t = raw.edgeType[e];
  const { element, hidden } = raw.layout.edgeType;
  return t === element || t === hidden ? String(raw.edgeName[e]) : raw.strings.get(raw.edgeName[e]);
}

/**
 * DevTools' node.name(): concatenated strings are flattened (up to 1024 characters), plain Objects are shown as
 * `{a, b, …, z}`, everything else uses the snapshot's name.
 */
export function nodeDisplayName(raw: RawHeapSnapshot, n: number): string {
  const type = raw.nodeType[n];
  const t = raw.layout.nodeType;
  const rawName = raw.strings.get(raw.nodeName[n]);
  if (type === t.consString) return consStringName(raw, n);
  if (type === t.object && rawName === 'Object') return plainObjectName(raw, n);
  return rawName;
}

function consStringName(raw: RawHeapSnapshot, start: number): string {
  const { nodeType, nodeName, firstEdge, edgeType, edgeName, edgeTo, strings } = raw;
  const cons = raw.layout.nodeType.consString;
  const internal = raw.layout.edgeType.internal;
  const stack = [start];
  // Joined once at the end: a flat string (`+=` would build a V8 cons string that every hash or compare flattens).
  const parts: string[] = [];
  let length = 0;
  // Cons strings form a DAG that can share parts: cap the walk, not just the length.
  let steps = 0;
  while (stack.length && length < MAX_NAME && steps++ < 10000) {
    const n = stack.pop()!;
    if (nodeType[n] !== cons) {
      const part = strings.get(nodeName[n]);
      parts.push(part);
      length += part.length;
      continue;
    }
    let first = -1;
    let second = -1;
    for (let e = firstEdge[n], end = firstEdge[n + 1]; e < end && (first < 0 || second < 0); e++) {
      if (edgeType[e] !== internal) continue;
      const en = strings.get(edgeName[e]);
      if (en === 'first') first = edgeTo[e]!;
      else if (en === 'second') second = edgeTo[e]!;
    }
    if (second >= 0) stack.push(second);
    if (first >= 0) stack.push(first);
  }
  return parts.length === 1 ? parts[0] : parts.join('');
}

function plainObjectName(raw: RawHeapSnapshot, n: number): string {
  const property = raw.layout.edgeType.property;
  let start = '{';
  let end = '}';
  let from = raw.firstEdge[n];
  let to = raw.firstEdge[n + 1] - 1;
  let fromEnd = false;
  while (from <= to) {
    const e = fromEnd ? to : from;
    const name = raw.edgeType[e] === property ? raw.strings.get(raw.edgeName[e]) : '__proto__';
    if (name === '__proto__') {
      if (fromEnd) to--;
      else from++;
      continue;
    }
    const formatted = formatPropertyName(name);
    if (start.length > 1 && start.length + end.length + formatted.length > 100) break;
    if (fromEnd) {
      to--;
      if (end.length > 1) end = `, ${end}`;
      end = formatted + end;
    } else {
      from++;
      if (start.length > 1) start += ', ';
      start += formatted;
    }
    fromEnd = !fromEnd;
  }
  if (from <= to) start += ', …';
  if (end.length > 1) start += ', ';
  return start + end;
}
