// JavaScriptCore heap snapshots (Bun): the converter to V8's format and the loader that detects them, on a snapshot
// written by real Bun (test/fixtures/runtimes/bun-jsc-snapshot.js: 50 Leaky objects on globalThis.kept).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  convertJscSnapshot,
  HeapSnapshotParser,
  loadHeapSnapshot,
  v8SnapshotBytes,
  type JscHeapSnapshot,
} from '../../src/core/heap';
import { FIXTURES } from './fixtures';

const FILE = path.join(FIXTURES, 'bun-jsc-snapshot.json');
const jsc = JSON.parse(readFileSync(FILE, 'utf8')) as JscHeapSnapshot;
const JSC_NODES = jsc.nodes.length / 4;
const JSC_EDGES = jsc.edges.length / 4;
const jscTotalSize = (() => {
  let total = 0;
  for (let i = 0; i < jsc.nodes.length; i += 4) total += jsc.nodes[i + 1]!;
  return total;
})();

function tempFile(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'memmon-jsc-')), name);
  writeFileSync(file, text);
  return file;
}

describe('JavaScriptCore heap snapshots', () => {
  it("the fixture is real Bun output: JSC's Inspector format, 4 fields per node, node id 0 the root", () => {
    assert.equal(jsc.type, 'Inspector');
    assert.ok(jsc.version >= 2);
    assert.deepEqual(jsc.edgeTypes, ['Internal', 'Property', 'Index', 'Variable']);
    assert.equal(jsc.nodes[0], 0);
    assert.equal(jsc.nodeClassNames[jsc.nodes[2]!], '<root>');
    assert.ok(JSC_NODES > 1000 && JSC_EDGES > 3000, `${JSC_NODES} nodes, ${JSC_EDGES} edges`);
  });

  it('keeps every node (ids and sizes) and every edge (by type), and adds only the synthetic roots', () => {
    const v8 = convertJscSnapshot(jsc);
    const { node_fields: nf, edge_fields: ef } = v8.snapshot.meta;
    assert.deepEqual(nf, ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness']);
    assert.deepEqual(ef, ['type', 'name_or_index', 'to_node']);
    // JSC's root becomes node 0; "(GC roots)" and "(Unrecorded roots)" are new.
    assert.equal(v8.snapshot.node_count, JSC_NODES + 2);
    const jscIds = new Set<number>();
    for (let i = 0; i < jsc.nodes.length; i += 4) jscIds.add(jsc.nodes[i]!);
    const ids = new Set<number>();
    let size = 0;
    let edgeSum = 0;
    for (let n = 0; n < v8.snapshot.node_count; n++) {
      ids.add(v8.nodes[n * nf.length + 2]!);
      size += v8.nodes[n * nf.length + 3]!;
      edgeSum += v8.nodes[n * nf.length + 4]!;
    }
    for (const id of jscIds) assert.ok(ids.has(id), `node ${id} kept`);
    // The synthetic nodes' ids are even (not JS objects), so "allocated between" takes the largest JSC id.
    for (const id of ids) if (!jscIds.has(id)) assert.equal(id % 2, 0, `synthetic id ${id}`);
    assert.equal(size, jscTotalSize);
    assert.equal(edgeSum, v8.snapshot.edge_count);
    // Per type: JSC's Property/Index/Variable edges are the property/element/context edges; Internal ones internal,
    // except those of JSC's root, which become (GC roots)'s element edges.
    const jscByType = [0, 0, 0, 0];
    let jscRootEdges = 0;
    for (let e = 0; e < jsc.edges.length; e += 4) {
      if (jsc.edges[e] === 0) jscRootEdges++;
      else jscByType[jsc.edges[e + 2]!]!++;
    }
    const types = v8.snapshot.meta.edge_types[0] as string[];
    const byType = new Map<string, number>();
    for (let e = 0; e < v8.snapshot.edge_count; e++) {
      const t = types[v8.edges[e * ef.length]!]!;
      byType.set(t, (byType.get(t) ?? 0) + 1);
    }
    const extra = v8.snapshot.edge_count - JSC_EDGES;
    assert.ok(extra >= 3 && extra < 20, `${extra} synthetic edges`);
    assert.equal(byType.get('internal'), jscByType[0]);
    assert.equal(byType.get('property'), jscByType[1]);
    assert.equal(byType.get('context'), jscByType[3]);
    assert.equal(byType.get('shortcut'), 1, 'root → the global object');
    // Index edges, JSC's root edges, root → (GC roots), (GC roots) → (Unrecorded roots) and the unrecorded roots.
    assert.ok(byType.get('element')! >= jscByType[2]! + jscRootEdges + 2);
  });

  it('loads from a file like a V8 snapshot: root node 0, everything reachable, root retains the whole heap', async () => {
    const model = await loadHeapSnapshot(FILE);
    const { raw, tree, distance } = model.analysis;
    assert.equal(raw.rootOrdinal, 0);
    assert.equal(raw.nodeId[0], 0);
    assert.equal(raw.layout.nodeTypes[raw.nodeType[0]!], 'synthetic');
    let reachableSize = 0;
    for (let n = 0; n < raw.nodeCount; n++) {
      assert.notEqual(distance[n], -5, `node @${raw.nodeId[n]} is reachable`);
      reachableSize += raw.nodeSelfSize[n]!;
    }
    assert.equal(reachableSize, jscTotalSize);
    assert.equal(tree.retainedSize[0], reachableSize);
    const leaky = model.classes().find((c) => c.name === 'Leaky');
    assert.equal(leaky?.count, 50);
    // The array on globalThis.kept holds them all: its retained size covers the 50 objects and their strings.
    const kept = model.globalVariables().find((g) => g.name === 'kept');
    assert.equal(kept?.className, 'Array');
    assert.ok(kept.retainedSize > leaky.selfSize + 50 * 100, JSON.stringify(kept));
  });

  it('converts to V8 JSON text that the streaming parser reads back (counts, node ids, edge targets)', () => {
    const v8 = convertJscSnapshot(jsc);
    const raw = HeapSnapshotParser.parseBuffer(Buffer.concat([...v8SnapshotBytes(v8, 4096)]));
    assert.equal(raw.nodeCount, v8.snapshot.node_count);
    assert.equal(raw.edgeCount, v8.snapshot.edge_count);
    assert.equal(raw.strings.count, v8.strings.length);
    for (let n = 0; n < raw.nodeCount; n++) assert.equal(raw.nodeId[n], v8.nodes[n * 7 + 2]);
    for (let e = 0; e < raw.edgeCount; e++) assert.equal(raw.edgeTo[e], v8.edges[e * 3 + 2]! / 7);
  });

  it('names neither format in the error for JSON that is neither', async () => {
    await assert.rejects(
      loadHeapSnapshot(tempFile('x.json', '{"version": 3, "type": "Something"}')),
      /neither V8's \.heapsnapshot format .* nor JavaScriptCore's/,
    );
    await assert.rejects(loadHeapSnapshot(tempFile('y.json', '{"a": 1}')), /neither V8's .*nor JavaScriptCore's/);
  });
});
