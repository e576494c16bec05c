import type { HeapAnalysis } from '../analyze/analysis';
import { edgeNameText, nodeDisplayName } from '../analyze/nodeNames';
import type { RetainerPathStep } from '../types';
import type { HeapSnapshotModel } from './model';

const DETACHED = 2;
const NO_DISTANCE = -5;
const NO_EDGE = 0xffffffff;
const MAX_EXAMPLES = 5;
const MAX_TEXT = 100;

/** Detached DOM nodes kept alive by one piece of JavaScript (DevTools' Detached Elements, from the snapshot). */
export interface DetachedElementsGroup {
  /** The retaining JavaScript: `removed (Array)` (how it is reached, and its class) or `onClose()` (a closure). */
  retainer: string;
  /** Snapshot id of the retaining object on `path`. */
  retainerId: number;
  /** How many distinct objects with this description retain detached nodes (one per modal instance, say). */
  retainerCount: number;
  /** One retainer path from the GC roots to the largest detached subtree root: `edge: node @id` per step. */
  path: string[];
  /** Detached DOM nodes (elements, text, comments) held by this retainer. */
  nodes: number;
  /** Detached subtree roots (a node whose DOM parent is also detached belongs to its parent's subtree). */
  roots: number;
  /** Bytes the detached nodes (and what only they keep) retain, each object counted once. */
  retainedSize: number;
  /** Names of the subtree roots (`Detached <li>`), the most frequent first. */
  examples: string[];
  /** Snapshot id of the largest subtree root (the end of `path`). */
  exampleId: number;
}

/** The detached-elements view: `hasDom` is false for snapshots without a DOM (Node.js), whose groups are empty. */
export interface DetachedElements {
  hasDom: boolean;
  groups: DetachedElementsGroup[];
}

/**
 * Detached DOM nodes grouped by their retaining JavaScript: the first JS object or closure (not a DOM or embedder
 * node, not V8-internal such as contexts or element backing stores) on each node's shortest path from the GC roots.
 */
export function detachedElements(model: HeapSnapshotModel): DetachedElements {
  const { analysis } = model;
  const { raw, distance, tree } = analysis;
  const state = raw.nodeDetachedness;
  const dom = domNodeTest(analysis);
  if (!state || !dom.hasDom) return { hasDom: dom.hasDom, groups: [] };
  const isDetached = (n: number) => (state[n] & 3) === DETACHED;
  const retainerOf = retainerFinder(analysis, isDetached);
  const topDetached = topDetachedTest(analysis, isDetached);

  interface Building {
    retainers: Set<number>;
    retainerId: number;
    nodes: number;
    roots: number;
    retainedSize: number;
    exampleNames: Map<string, number>;
    example: number;
  }
  const byLabel = new Map<string, Building>();
  for (let n = 0; n < raw.nodeCount; n++) {
    if (!isDetached(n) || distance[n] === NO_DISTANCE) continue;
    const r = retainerOf(n);
    const label = r.label;
    let g = byLabel.get(label);
    if (!g) {
      g = {
        retainers: new Set(),
        retainerId: -1,
        nodes: 0,
        roots: 0,
        retainedSize: 0,
        exampleNames: new Map(),
        example: -1,
      };
      byLabel.set(label, g);
    }
    if (topDetached(n)) g.retainedSize += tree.retainedSize[n];
    if (!dom.isDomNode(n)) continue;
    if (r.node >= 0) g.retainers.add(r.node);
    g.nodes++;
    if (!dom.isSubtreeRoot(n)) continue;
    g.roots++;
    const name = shorten(nodeDisplayName(raw, n));
    g.exampleNames.set(name, (g.exampleNames.get(name) ?? 0) + 1);
    if (g.example < 0 || tree.retainedSize[n] > tree.retainedSize[g.example]) {
      g.example = n;
      g.retainerId = r.node >= 0 ? raw.nodeId[r.node] : -1;
    }
  }
  const groups: DetachedElementsGroup[] = [];
  for (const [retainer, g] of byLabel) {
    if (!g.nodes) continue; // only embedder objects (listeners, rare data) hang off this retainer
    const example = g.example >= 0 ? g.example : -1;
    groups.push({
      retainer,
      retainerId: g.retainerId,
      retainerCount: g.retainers.size,
      path: example >= 0 ? pathText(model.retainerPaths(raw.nodeId[example], { maxDepth: 40 })[0] ?? []) : [],
      nodes: g.nodes,
      roots: g.roots,
      retainedSize: g.retainedSize,
      examples: [...g.exampleNames]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, MAX_EXAMPLES)
        .map(([name]) => name),
      exampleId: example >= 0 ? raw.nodeId[example] : -1,
    });
  }
  groups.sort((a, b) => b.retainedSize - a.retainedSize || b.nodes - a.nodes || (a.retainer < b.retainer ? -1 : 1));
  return { hasDom: true, groups };
}

function shorten(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

/** A retainer path as text, from the roots: `edge: node @id` (indexes in brackets, as DevTools shows them). */
function pathText(steps: RetainerPathStep[]): string[] {
  return steps.map((s) => {
    const edge = !s.edge
      ? ''
      : s.edge.edgeType === 'element' || s.edge.edgeType === 'hidden'
        ? `[${s.edge.name}]`
        : s.edge.name;
    const node = shorten(
      s.node.type === 'closure' ? `${s.node.name || '(anonymous)'}()` : s.node.name || s.node.className,
    );
    return `${edge}: ${node} @${s.node.id}`;
  });
}

/**
 * Which native nodes are DOM nodes, and which detached ones root a detached subtree. Every Blink DOM node references
 * its document; the references it lists after that one are its parent and siblings (its children come before), so
 * a node with no other DOM node there has no parent. Elements are also recognised by their `<tag>` names.
 */
function domNodeTest(analysis: HeapAnalysis) {
  const { raw } = analysis;
  const { nodeType, nodeName, firstEdge, edgeTo, edgeType, strings } = raw;
  const native = raw.layout.nodeType.native;
  const { weak } = raw.layout.edgeType;
  const baseName = (n: number) => strings.get(nodeName[n]).replace(/^Detached /, '');
  const names = new Map<number, number>();
  // 1 = document, 2 = element (`<tag …>`), 0 = other.
  const kindOfName = (index: number): number => {
    let k = names.get(index);
    if (k === undefined) {
      const s = strings.get(index).replace(/^Detached /, '');
      k = /^(HTML|XML)?Document$/.test(s) ? 1 : s.startsWith('<') ? 2 : 0;
      names.set(index, k);
    }
    return k;
  };
  const isDocument = (n: number) => nodeType[n] === native && kindOfName(nodeName[n]) === 1;
  let hasDom = false;
  for (let n = 0; n < raw.nodeCount && !hasDom; n++) if (isDocument(n)) hasDom = true;
  /** Position of the node's first edge to a document, or -1. */
  const documentEdge = (n: number): number => {
    for (let e = firstEdge[n], end = firstEdge[n + 1]; e < end; e++)
      if (edgeType[e] !== weak && isDocument(edgeTo[e])) return e;
    return -1;
  };
  const isDomNode = (n: number): boolean =>
    nodeType[n] === native && !isDocument(n) && (kindOfName(nodeName[n]) === 2 || documentEdge(n) >= 0);
  const isSubtreeRoot = (n: number): boolean => {
    const doc = documentEdge(n);
    if (doc < 0) return baseName(n).startsWith('<');
    for (let e = doc + 1, end = firstEdge[n + 1]; e < end; e++) {
      const to = edgeTo[e];
      if (to !== n && edgeType[e] !== weak && nodeType[to] === native && isDomNode(to)) return false;
    }
    return true;
  };
  return { hasDom, isDomNode, isSubtreeRoot };
}

/**
 * The retaining JavaScript of a node: walks its shortest path from the roots upwards past DOM/embedder nodes and
 * V8 internals. Results are shared along the way (every node passed has the same answer).
 */
function retainerFinder(analysis: HeapAnalysis, isDetached: (n: number) => boolean) {
  const { raw, parentEdge, classes } = analysis;
  const { nodeType, nodeName, strings, edgeType } = raw;
  const t = raw.layout.nodeType;
  const et = raw.layout.edgeType;
  const known = new Map<number, { node: number; label: string }>();
  const sourceOf = edgeSources(analysis);
  const isJs = (n: number) => {
    const type = nodeType[n];
    if (type !== t.object && type !== t.closure && type !== t.regexp) return false;
    return !strings.get(nodeName[n]).startsWith('system /') && !isDetached(n);
  };
  const labelOf = (n: number): string => {
    if (nodeType[n] === t.closure) return `${shorten(nodeDisplayName(raw, n)) || '(anonymous)'}()`;
    const className = shorten(classes.names[classes.classOf[n]]);
    const e = parentEdge[n];
    if (e === NO_EDGE) return className;
    const type = edgeType[e];
    const named = type === et.property || type === et.context || type === et.shortcut || type === et.internal;
    const name = edgeNameText(raw, e);
    return named && !/^\d+$/.test(name) ? `${shorten(name)} (${className})` : className;
  };
  return (start: number): { node: number; label: string } => {
    const passed: number[] = [];
    let n = start;
    let found: { node: number; label: string } | undefined;
    for (;;) {
      found = known.get(n);
      if (found) break;
      passed.push(n);
      const e = parentEdge[n];
      if (e === NO_EDGE) {
        found = { node: -1, label: '(no JavaScript retainer)' };
        break;
      }
      const from = sourceOf[e];
      if (from === raw.rootOrdinal) {
        found = { node: -1, label: `(${shorten(nodeDisplayName(raw, n))})` };
        break;
      }
      if (isJs(from)) {
        found = { node: from, label: labelOf(from) };
        break;
      }
      n = from;
    }
    for (const p of passed) known.set(p, found);
    return found;
  };
}

/** The source node of every edge (one pass over the edge ranges). */
function edgeSources(analysis: HeapAnalysis): Uint32Array {
  const { raw } = analysis;
  const sources = new Uint32Array(raw.edgeCount);
  for (let n = 0; n < raw.nodeCount; n++) sources.fill(n, raw.firstEdge[n], raw.firstEdge[n + 1]);
  return sources;
}

/** Whether a detached node has no detached node above it in the dominator tree (its retained size is not counted twice). */
function topDetachedTest(analysis: HeapAnalysis, isDetached: (n: number) => boolean): (n: number) => boolean {
  const { raw, tree } = analysis;
  // 0 = unknown, 1 = a detached node dominates it (strictly), 2 = none does.
  const memo = new Uint8Array(raw.nodeCount);
  memo[raw.rootOrdinal] = 2;
  return (start) => {
    const passed: number[] = [];
    let n = tree.dominator[start];
    let answer = 0;
    while (!answer) {
      if (memo[n]) answer = memo[n];
      else if (isDetached(n)) answer = 1;
      else if (tree.dominator[n] === n) answer = 2;
      else {
        passed.push(n);
        n = tree.dominator[n];
      }
    }
    for (const p of passed) memo[p] = answer;
    return answer === 2;
  };
}
