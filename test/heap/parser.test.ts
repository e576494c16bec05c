import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HeapSnapshotError, HeapSnapshotParser, helperThreadCounts } from '../../src/core/heap';
import { fixtureBytes, tempSnapshot, toSixFieldLayout, withExtraNodeField } from './fixtures';

/** Checks a parse against JSON.parse of the same bytes (fine for small fixtures). */
function assertMatchesJson(bytes: Buffer, chunkBytes?: number, parallelEdges = false): Promise<void> {
  const reference = JSON.parse(bytes.toString('utf8'));
  const meta = reference.snapshot.meta;
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  return HeapSnapshotParser.parseFile(tempSnapshot(bytes), { chunkBytes, parallelEdges }).then((raw) => {
    assert.equal(raw.nodeCount, reference.snapshot.node_count);
    assert.equal(raw.edgeCount, reference.snapshot.edge_count);
    assert.equal(raw.layout.nodeFieldCount, nf);
    for (let i = 0; i < raw.nodeCount; i++) {
      assert.equal(raw.nodeId[i], reference.nodes[i * nf + meta.node_fields.indexOf('id')]);
      assert.equal(raw.nodeSelfSize[i], reference.nodes[i * nf + meta.node_fields.indexOf('self_size')]);
      assert.equal(raw.nodeName[i], reference.nodes[i * nf + meta.node_fields.indexOf('name')]);
    }
    for (let e = 0; e < raw.edgeCount; e++)
      assert.equal(raw.edgeTo[e], reference.edges[e * ef + meta.edge_fields.indexOf('to_node')] / nf);
    assert.equal(raw.strings.count, reference.strings.length);
    for (let s = 0; s < reference.strings.length; s++) assert.equal(raw.strings.full(s), reference.strings[s]);
  });
}

describe('HeapSnapshotParser', () => {
  const bytes = fixtureBytes('shapes');

  it('reads a real 7-field snapshot exactly like JSON.parse', () => assertMatchesJson(bytes));
  it('gives the same result with tiny chunks (state carried across every boundary)', () =>
    assertMatchesJson(bytes, 4093));
  it('reads the 6-field layout (no detachedness)', async () => {
    const six = toSixFieldLayout(bytes);
    await assertMatchesJson(six);
    const raw = HeapSnapshotParser.parseBuffer(six);
    assert.equal(raw.nodeDetachedness, null);
  });
  it('ignores unknown extra node fields', () => assertMatchesJson(withExtraNodeField(bytes)));
  it('skips unknown sections, including strings with brackets and bare scalars, split at any byte', async () => {
    const unknown = '"future":{"a":"]}\\"","b":[1,{"c":"}"}],"d":true},"count": 12 ,"flag":null,';
    const inject = (text: string) => {
      const at = text.indexOf('"strings":');
      return Buffer.from(`${text.slice(0, at)}${unknown}${text.slice(at)}`, 'latin1');
    };
    // Every chunk boundary inside the unknown sections falls somewhere in these: a two-node snapshot parsed in
    // chunks of 1 to 16 bytes (a whole real snapshot in chunks that small takes tens of seconds).
    const tiny =
      '{"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count"],"node_types":[["hidden","object"]],' +
      '"edge_fields":["type","name_or_index","to_node"],"edge_types":[["element","property"]]},"node_count":2,"edge_count":1},' +
      '"nodes":[1,0,1,10,1,1,1,3,20,0],"edges":[1,1,5],"strings":["root","child"]}';
    for (let chunk = 1; chunk <= 16; chunk++) await assertMatchesJson(inject(tiny), chunk);
    // And a real snapshot around them.
    for (const chunk of [4093, 1 << 20]) await assertMatchesJson(inject(bytes.toString('latin1')), chunk);
  });
  /** Parses on two threads, and checks the edge thread really did its part (its fallback is silent otherwise). */
  const assertEdgeThreadRan = async (chunkBytes?: number) => {
    const before = helperThreadCounts().edgeThread;
    await assertMatchesJson(bytes, chunkBytes, true);
    const after = helperThreadCounts().edgeThread;
    assert.deepEqual(
      { ran: after.ran - before.ran, fellBack: after.fellBack - before.fellBack },
      { ran: 1, fellBack: 0 },
    );
  };
  it('parses the edges on a second thread with the same result', () => assertEdgeThreadRan());
  it('parses the edges on a second thread with small chunks', () => assertEdgeThreadRan(100003));

  it('decodes escapes, surrogate pairs and raw UTF-8 in strings, split at any byte', async () => {
    const strings = [
      'plain',
      'quote " backslash \\ slash /',
      'tab\tnewline\ncontrol\u0001',
      'é中😀 raw',
      '\ud83d\ude00 pair',
      'lone \ud800 high',
      '',
    ];
    const snapshot = Buffer.from(
      `{"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count"],"node_types":[["hidden","object"]],` +
        `"edge_fields":["type","name_or_index","to_node"],"edge_types":[["element","property"]]},"node_count":2,"edge_count":1},` +
        `"nodes":[1,0,1,10,1,1,1,3,20,0],"edges":[1,2,5],"strings":["plain","quote \\" backslash \\\\ slash \\/",` +
        `"tab\\tnewline\\ncontrol\\u0001","é中😀 raw","\\ud83d\\ude00 pair","lone \\ud800 high",""]}`,
    );
    for (const chunk of [1, 2, 3, 7, 64, 1 << 20]) {
      const raw = await HeapSnapshotParser.parseFile(tempSnapshot(snapshot), { chunkBytes: chunk });
      assert.deepEqual(
        Array.from({ length: raw.strings.count }, (_, i) => raw.strings.full(i)),
        strings,
        `chunk ${chunk}`,
      );
      assert.equal(raw.edgeTo[0], 1);
      assert.equal(raw.nodeSelfSize[1], 20);
    }
  });

  it('keeps self sizes above 2^32', () => {
    const big = 2 ** 33 + 5;
    const raw = HeapSnapshotParser.parseBuffer(
      Buffer.from(
        `{"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count"],"node_types":[["synthetic","native"]],` +
          `"edge_fields":["type","name_or_index","to_node"],"edge_types":[["element"]]},"node_count":2,"edge_count":1},` +
          `"nodes":[0,0,1,0,1,1,1,3,${big},0],"edges":[0,1,5],"strings":["", "huge"]}`,
      ),
    );
    assert.equal(raw.nodeSelfSize[1], big);
  });

  describe('bad input gives a one-line HeapSnapshotError', () => {
    const text = bytes.toString('latin1');
    const cases: [string, Buffer | string, RegExp][] = [
      ['0 bytes', '', /empty file \(0 bytes\)/],
      ['only whitespace', '   \n ', /empty input/],
      ['not JSON', 'hello world', /not a heap snapshot/],
      ['JSON but not a snapshot', '{"a": 1}', /no "snapshot" section/],
      ['an array', '[1,2,3]', /not a heap snapshot/],
      ['truncated in the middle', bytes.subarray(0, Math.floor(bytes.length * 0.6)), /truncated/],
      ['truncated in the strings', bytes.subarray(0, bytes.length - 50), /truncated/],
      [
        'missing meta',
        '{"snapshot":{"node_count":1,"edge_count":0},"nodes":[0],"edges":[],"strings":[]}',
        /snapshot\.meta/,
      ],
      [
        'meta without name field',
        text.replace('"node_fields":["type","name",', '"node_fields":["type","nom",'),
        /no "name" field/,
      ],
      [
        'edge to_node out of range',
        text.replace(/"edges":\[(\d+),(\d+),(\d+)/, '"edges":[$1,$2,999999999'),
        /points to node index 999999999/,
      ],
      [
        'edge to_node not a multiple',
        text.replace(/"edges":\[(\d+),(\d+),(\d+)/, '"edges":[$1,$2,8'),
        /points to node index 8/,
      ],
      [
        'node count mismatch',
        text.replace(/"node_count":(\d+)/, (_, n) => `"node_count":${Number(n) - 1}`),
        /node_count/,
      ],
      ['edge count mismatch', text.replace(/"edge_count":(\d+)/, (_, n) => `"edge_count":${Number(n) + 3}`), /edge/],
      [
        'absurd node count',
        text.replace(/"node_count":(\d+)/, '"node_count":900000000000'),
        /truncated heap snapshot|too large/,
      ],
      ['garbage inside nodes', text.replace('"nodes":[9,', '"nodes":[9,x,'), /unexpected 'x' in the "nodes" array/],
      ['trailing garbage', `${text}xyz`, /unexpected data after the end/],
      ['name index out of range', text.replace(/"nodes":\[(\d+),(\d+)/, '"nodes":[$1,4000000000'), /names string/],
    ];
    for (const [label, input, message] of cases) {
      for (const parallelEdges of [false, true]) {
        it(`${label}${parallelEdges ? ' (edges on a second thread)' : ''}`, async () => {
          const file = tempSnapshot(typeof input === 'string' ? Buffer.from(input, 'latin1') : input);
          await assert.rejects(HeapSnapshotParser.parseFile(file, { parallelEdges }), (err: Error) => {
            assert.ok(err instanceof HeapSnapshotError, `${err.name}: ${err.message}`);
            assert.match(err.message, message);
            assert.ok(!err.message.includes('\n'));
            return true;
          });
        });
      }
    }
    it('truncated inside the edges (edges on a second thread)', async () => {
      const cut = bytes.indexOf('"edges":[') + 5000;
      await assert.rejects(
        HeapSnapshotParser.parseFile(tempSnapshot(bytes.subarray(0, cut)), { parallelEdges: true }),
        /truncated/,
      );
    });
    it('a missing file', async () => {
      await assert.rejects(
        HeapSnapshotParser.parseFile('/nonexistent/x.heapsnapshot'),
        /cannot open the file \(ENOENT\)/,
      );
    });
    it('cancellation', async () => {
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(HeapSnapshotParser.parseFile(tempSnapshot(bytes), { signal: controller.signal }), {
        name: 'AbortError',
      });
    });
  });
});
