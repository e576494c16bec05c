// The parser's fast record loops (recordScanner.ts) against JSON.parse: every layout of whitespace, every chunk
// boundary, and bad values in the middle of the arrays, where the fast loops (not the general scanner) meet them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HeapSnapshotError, HeapSnapshotParser } from '../../src/core/heap';
import type { RawHeapSnapshot } from '../../src/core/heap/rawSnapshot';
import { fixtureBytes, tempSnapshot } from './fixtures';
import {
  fastEdgeRecords,
  fastStandardNodeRecords,
  EdgeRecordTarget,
  NodeRecordTarget,
} from '../../src/core/heap/parse/recordScanner';

interface SnapshotJson {
  snapshot: { meta: Record<string, string[] & unknown[]>; node_count: number; edge_count: number };
  nodes: number[];
  edges: number[];
  locations: number[];
  strings: string[];
  [section: string]: unknown;
}

const original = JSON.parse(fixtureBytes('shapes').toString('utf8')) as SnapshotJson;
const copy = (): SnapshotJson => structuredClone(original);

/** Serializes like V8: one record per line, each line after the first starting with its comma. */
function v8Style(s: SnapshotJson, separator = '\n,', inner = ','): string {
  const meta = s.snapshot.meta;
  const records = (values: number[], width: number) => {
    const lines: string[] = [];
    for (let i = 0; i < values.length; i += width) lines.push(values.slice(i, i + width).join(inner));
    return lines.join(separator);
  };
  return (
    `{"snapshot":${JSON.stringify(s.snapshot)},\n"nodes":[${records(s.nodes, meta.node_fields!.length)}],\n` +
    `"edges":[${records(s.edges, meta.edge_fields!.length)}],\n"trace_function_infos":[],\n"trace_tree":[],\n"samples":[],\n` +
    `"locations":[${records(s.locations, meta.location_fields!.length)}],\n"strings":[${s.strings.map((x) => JSON.stringify(x)).join(',\n')}]}\n`
  );
}

function assertSame(raw: RawHeapSnapshot, s: SnapshotJson): void {
  const meta = s.snapshot.meta;
  const nf = meta.node_fields!.length;
  const ef = meta.edge_fields!.length;
  const lf = meta.location_fields!.length;
  const field = (name: string) => meta.node_fields!.indexOf(name);
  assert.equal(raw.nodeCount, s.snapshot.node_count);
  assert.equal(raw.edgeCount, s.snapshot.edge_count);
  for (let i = 0; i < raw.nodeCount; i++) {
    const at = i * nf;
    if (
      raw.nodeType[i] !== s.nodes[at + field('type')] ||
      raw.nodeName[i] !== s.nodes[at + field('name')] ||
      raw.nodeId[i] !== s.nodes[at + field('id')] ||
      raw.nodeSelfSize[i] !== s.nodes[at + field('self_size')] ||
      raw.firstEdge[i + 1]! - raw.firstEdge[i]! !== s.nodes[at + field('edge_count')] ||
      (raw.nodeDetachedness && raw.nodeDetachedness[i] !== s.nodes[at + field('detachedness')])
    ) {
      assert.fail(`node ${i} differs`);
    }
  }
  for (let e = 0; e < raw.edgeCount; e++) {
    const at = e * ef;
    if (
      raw.edgeType[e] !== s.edges[at] ||
      raw.edgeName[e] !== s.edges[at + 1] ||
      raw.edgeTo[e] !== s.edges[at + 2]! / nf
    )
      assert.fail(`edge ${e} differs`);
  }
  for (let k = 0; k < s.locations.length; k += lf) {
    const node = s.locations[k]! / nf;
    const loc = raw.nodeLocation![node]!;
    assert.deepEqual(
      [raw.locationScript[loc], raw.locationLine[loc], raw.locationColumn[loc]],
      s.locations.slice(k + 1, k + 4),
      `location of node ${node}`,
    );
  }
  assert.equal(raw.strings.count, s.strings.length);
  for (let i = 0; i < s.strings.length; i += 97) assert.equal(raw.strings.full(i), s.strings[i]);
}

describe('fast record loops', () => {
  const edgeTarget = (count: number): EdgeRecordTarget => ({
    edgeType: new Uint8Array(count),
    edgeName: new Uint32Array(count),
    edgeTo: new Uint32Array(count),
    nodeCount: 100,
    nodeFieldCount: 7,
    typeCount: 7,
    count,
    ordinal: 0,
    elementType: 1,
    hiddenType: 4,
    maxStringName: 0,
  });
  const padding = ' '.repeat(300);

  it('reads whole edges and stops at the start of an unusual one', () => {
    const text = ',2,5,7\n,1,900,14\n , 3, 6,21\n,4,1,28' + padding;
    const t = edgeTarget(10);
    const stop = fastEdgeRecords(t, Buffer.from(text), 0, text.length);
    assert.equal(t.ordinal, 2);
    assert.deepEqual([...t.edgeType.subarray(0, 2)], [2, 1]);
    assert.deepEqual([...t.edgeName.subarray(0, 2)], [5, 900]);
    assert.deepEqual([...t.edgeTo.subarray(0, 2)], [1, 2]);
    assert.equal(t.maxStringName, 5, 'element edges (type 1) name no string');
    assert.equal(text.slice(stop, stop + 5), '\n , 3', 'stopped at the record with a space between fields');
  });

  it('leaves the last bytes of a chunk and bad values to the general path', () => {
    const t = edgeTarget(10);
    const near = ',2,5,7';
    assert.equal(
      fastEdgeRecords(t, Buffer.from(near), 0, near.length),
      0,
      'a record near the chunk end may continue in the next chunk',
    );
    const bad = ',2,5,7\n,2,5,8' + padding;
    assert.equal(fastEdgeRecords(t, Buffer.from(bad), 0, bad.length), 6, 'to_node 8 is not a node start');
    assert.equal(t.ordinal, 1);
    const full = edgeTarget(1);
    const two = ',2,5,7\n,2,5,7' + padding;
    assert.equal(fastEdgeRecords(full, Buffer.from(two), 0, two.length), 6, 'no more edges than declared');
  });

  it('reads whole 7-field nodes', () => {
    const text = ',3,10,1,40,2,0,1\n,5,11,3,4294967296,0,0,0\n,99,1,1,1,1,1,1' + padding;
    const t: NodeRecordTarget = {
      nodeType: new Uint8Array(4),
      nodeName: new Uint32Array(4),
      nodeId: new Uint32Array(4),
      nodeSelfSize: new Float64Array(4),
      nodeDetachedness: new Uint8Array(4),
      firstEdge: new Uint32Array(5),
      offsets: [0, 1, 2, 3, 4, 6],
      fieldCount: 7,
      typeCount: 16,
      count: 4,
      ordinal: 0,
      record: new Float64Array(7),
      maxName: 0,
      edgeSum: 0,
    };
    const stop = fastStandardNodeRecords(t, Buffer.from(text), 0, text.length);
    assert.equal(t.ordinal, 2);
    assert.deepEqual([...t.nodeSelfSize.subarray(0, 2)], [40, 2 ** 32]);
    assert.deepEqual(
      [...t.firstEdge.subarray(0, 2)],
      [0, 2],
      'first-edge ordinals: the running sum of the edge counts',
    );
    assert.equal(t.edgeSum, 2);
    assert.deepEqual([...t.nodeDetachedness!.subarray(0, 2)], [1, 0]);
    assert.equal(t.maxName, 11);
    assert.equal(text.slice(stop, stop + 4), '\n,99', 'type 99 is left to the general path');
  });
});

describe('parser fast paths', () => {
  const formats: [string, string][] = [
    ['V8 style (one record per line)', v8Style(original)],
    ['compact (JSON.stringify)', JSON.stringify(original)],
    ['CRLF and spaces around the record commas', v8Style(original, ' \r\n , ')],
    ['spaces inside records (general path only)', v8Style(original, ',\n', ', ')],
    ['pretty-printed with indentation', JSON.stringify(original, null, 2)],
  ];
  for (const [label, text] of formats) {
    for (const chunkBytes of [257, 4099, 65537, undefined]) {
      for (const parallelEdges of [false, true]) {
        it(`${label}, ${chunkBytes ?? 'default'}-byte chunks${parallelEdges ? ', edges on a second thread' : ''}`, async () => {
          assertSame(await HeapSnapshotParser.parseFile(tempSnapshot(text), { chunkBytes, parallelEdges }), original);
        });
      }
    }
  }

  it('accepts large element and hidden indices (they name no string)', async () => {
    const s = copy();
    const element = s.snapshot.meta.edge_types![0]!.indexOf('element' as never);
    const e = 3 * 5000;
    s.edges[e] = element;
    s.edges[e + 1] = 2 ** 30;
    assertSame(await HeapSnapshotParser.parseFile(tempSnapshot(v8Style(s)), { parallelEdges: true }), s);
  });

  describe('bad values in the middle of an array give the precise error', () => {
    const middleEdge = 3 * Math.floor(original.snapshot.edge_count / 2);
    const middleNode = 7 * Math.floor(original.snapshot.node_count / 2);
    const cases: [string, (s: SnapshotJson) => void, RegExp][] = [
      [
        'edge to_node out of range',
        (s) => {
          s.edges[middleEdge + 2] = 7 * 10_000_000;
        },
        /points to node index 70000000/,
      ],
      [
        'edge to_node not a multiple of the node fields',
        (s) => {
          s.edges[middleEdge + 2] = 15;
        },
        /points to node index 15/,
      ],
      [
        'edge type out of range',
        (s) => {
          s.edges[middleEdge] = 42;
        },
        /edge \d+ has type 42/,
      ],
      [
        'edge naming a missing string',
        (s) => {
          s.edges[middleEdge] = 2;
          s.edges[middleEdge + 1] = s.strings.length + 3;
        },
        /edge \d+ names string/,
      ],
      [
        'node type out of range',
        (s) => {
          s.nodes[middleNode] = 99;
        },
        /node \d+ has type 99/,
      ],
      [
        'node naming a missing string',
        (s) => {
          s.nodes[middleNode + 1] = s.strings.length;
        },
        /node \d+ names string/,
      ],
      [
        'node id above 2^32',
        (s) => {
          s.nodes[middleNode + 2] = 2 ** 40;
        },
        /out of range/,
      ],
    ];
    for (const [label, mutate, message] of cases) {
      for (const parallelEdges of [false, true]) {
        it(`${label}${parallelEdges ? ' (edges on a second thread)' : ''}`, async () => {
          const s = copy();
          mutate(s);
          await assert.rejects(
            HeapSnapshotParser.parseFile(tempSnapshot(v8Style(s)), { parallelEdges, chunkBytes: 65537 }),
            (err: Error) => {
              assert.ok(err instanceof HeapSnapshotError, `${err.name}: ${err.message}`);
              assert.match(err.message, message);
              return true;
            },
          );
        });
      }
    }

    const text = v8Style(original);
    const edgesAt = text.indexOf('"edges":[');
    const lineInEdges = text.indexOf('\n,', edgesAt + 20_000);
    const textCases: [string, string, RegExp][] = [
      [
        'garbage inside the edges',
        `${text.slice(0, lineInEdges)}\n,x${text.slice(lineInEdges + 2)}`,
        /unexpected 'x' in the "edges" array/,
      ],
      [
        'a double comma inside the edges',
        `${text.slice(0, lineInEdges)}\n,,${text.slice(lineInEdges + 2)}`,
        /unexpected ',' in the "edges" array/,
      ],
      [
        'a 25-digit number inside the edges',
        `${text.slice(0, lineInEdges)}\n,1234567890123456789012345${text.slice(lineInEdges + 2)}`,
        /invalid heap snapshot/,
      ],
    ];
    for (const [label, bad, message] of textCases) {
      for (const parallelEdges of [false, true]) {
        it(`${label}${parallelEdges ? ' (edges on a second thread)' : ''}`, async () => {
          await assert.rejects(HeapSnapshotParser.parseFile(tempSnapshot(bad), { parallelEdges }), (err: Error) => {
            assert.ok(err instanceof HeapSnapshotError, `${err.name}: ${err.message}`);
            assert.match(err.message, message);
            return true;
          });
        });
      }
    }
  });
});

/** A valid snapshot with few nodes and many edges (the edges dominate the file, as in real snapshots). */
function manyEdges(nodeCount: number, edgesPerNode: number): SnapshotJson {
  const s = copy();
  const strings = s.strings.slice(0, 1000);
  const nodes: number[] = [];
  const edges: number[] = [];
  let seed = 7;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  for (let i = 0; i < nodeCount; i++) {
    nodes.push(3, random(strings.length), 2 * i + 1, 16 + random(200), edgesPerNode, 0, 0);
    for (let k = 0; k < edgesPerNode; k++) edges.push(2, random(strings.length), 7 * random(nodeCount));
  }
  return {
    ...s,
    snapshot: { ...s.snapshot, node_count: nodeCount, edge_count: nodeCount * edgesPerNode },
    nodes,
    edges,
    locations: [],
    strings,
  };
}

describe('edges split between the two threads', () => {
  const split = { parallelEdges: true };
  const big = manyEdges(20_000, 100);

  it('gives the same result when this thread parses the end of the edges', async () => {
    let info: { at: number; edges: number } | undefined;
    const raw = await HeapSnapshotParser.parseFile(tempSnapshot(v8Style(big)), {
      ...split,
      onEdgeSplit: (i) => {
        info = i;
      },
    });
    assertSame(raw, big);
    assert.ok(info, 'the edges were split');
    assert.ok(
      info.edges > 100_000 && info.edges < big.snapshot.edge_count,
      `${info.edges} edges parsed on this thread`,
    );
  });

  it("reports a bad edge in this thread's part precisely (the general path re-reads it)", async () => {
    const s = structuredClone(big);
    const late = 3 * (s.snapshot.edge_count - 200);
    s.edges[late + 2] = 7 * 10_000_000;
    await assert.rejects(HeapSnapshotParser.parseFile(tempSnapshot(v8Style(s)), split), (err: Error) => {
      assert.ok(err instanceof HeapSnapshotError);
      assert.match(err.message, new RegExp(`edge ${s.snapshot.edge_count - 200} points to node index 70000000`));
      return true;
    });
  });

  it('reports a wrong edge_count after a split', async () => {
    const s = structuredClone(big);
    s.snapshot.edge_count += 2;
    s.nodes[7 * 3 + 4] += 2; // keep the nodes' edge counts consistent with the header
    await assert.rejects(
      HeapSnapshotParser.parseFile(tempSnapshot(v8Style(s)), split),
      /edge_count says \d+ but the file has \d+/,
    );
  });

  it('parses correctly when newlines sit inside records (a split there would be misaligned)', async () => {
    for (const chunkBytes of [undefined, 65537]) {
      assertSame(
        await HeapSnapshotParser.parseFile(tempSnapshot(v8Style(big, '\n,', '\n,')), { ...split, chunkBytes }),
        big,
      );
    }
  });

  it("reports a truncated file inside this thread's part", async () => {
    const text = v8Style(big);
    const cut = text.indexOf('"trace_function_infos"') - 3000;
    await assert.rejects(HeapSnapshotParser.parseFile(tempSnapshot(text.slice(0, cut)), split), /truncated/);
  });
});
