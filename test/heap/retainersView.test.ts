import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HeapSnapshotModel, loadHeapSnapshot } from '../../src/core/heap';
import { BASE_UNREACHABLE_DISTANCE, RetainersView } from '../../src/core/heap/query/retainersView';
import { ScriptNames } from '../../src/core/heap/query/sourceLocations';
import { DominatorPages } from '../../src/core/heap/query/dominatorPages';
import { sourcePosition } from '../../src/core/heap/query/sourcePosition';
import path from 'node:path';
import { fixtureBytes, tempSnapshot } from './fixtures';

/**
 * A hand-checked graph: root → A, root → B; A.x → C, B.y → C, A.p → D; C.t → T, D.q → T.
 * Ids: root 1, A 3, B 5, C 7, D 9, T 11. BFS distances: A = B = 1, C = D = 2, T = 3 (first reached through C).
 */
function smallSnapshot(): string {
  const strings = ['', 'A', 'B', 'C', 'D', 'T', 'x', 'y', 'p', 't', 'q'];
  const s = (x: string) => strings.indexOf(x);
  // node: type (3 = object, 9 = synthetic), name, id, self_size, edge_count
  const nodes = [
    [9, s(''), 1, 0, 2],
    [3, s('A'), 3, 10, 2],
    [3, s('B'), 5, 10, 1],
    [3, s('C'), 7, 10, 1],
    [3, s('D'), 9, 10, 1],
    [3, s('T'), 11, 100, 0],
  ];
  const F = 5;
  // edge: type (1 = element, 2 = property), name_or_index, to_node (node index × fields)
  const edges = [
    [1, 1, 1 * F],
    [1, 2, 2 * F],
    [2, s('x'), 3 * F],
    [2, s('p'), 4 * F],
    [2, s('y'), 3 * F],
    [2, s('t'), 5 * F],
    [2, s('q'), 5 * F],
  ];
  return JSON.stringify({
    snapshot: {
      meta: {
        node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'],
        node_types: [
          [
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
          ],
          'string',
          'number',
          'number',
          'number',
        ],
        edge_fields: ['type', 'name_or_index', 'to_node'],
        edge_types: [
          ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'],
          'string_or_number',
          'node',
        ],
        location_fields: [],
      },
      node_count: nodes.length,
      edge_count: edges.length,
    },
    nodes: nodes.flat(),
    edges: edges.flat(),
    locations: [],
    strings,
  });
}

describe('RetainersView (DevTools ignoreNodeInRetainersView)', () => {
  let model: HeapSnapshotModel;
  let view: RetainersView;
  before(async () => {
    model = await loadHeapSnapshot(tempSnapshot(smallSnapshot()));
    view = new RetainersView(model);
  });
  const retainerRows = () =>
    view.retainers(11).items.map((e) => `${e.node.name}.${e.name}:${e.viewDistance}${e.ignored ? ':ignored' : ''}`);
  const pathText = () => view.paths(11).map((p) => p.map((s) => `${s.edge?.name}>${s.node.name}`).join(' '));

  it('lists retainers nearest to the roots first, with the snapshot distances while nothing is ignored', () => {
    assert.deepEqual(retainerRows(), ['C.t:2', 'D.q:2']);
    assert.deepEqual(pathText(), ['1>A x>C t>T', '1>A p>D q>T']);
  });

  it('recomputes distances with an ignored retainer cut out, as DevTools does', () => {
    view.ignore(7);
    assert.deepEqual(view.ignoredIds(), [7]);
    // C is now unreachable: DevTools sorts it last at its old distance + baseUnreachableDistance.
    assert.deepEqual(retainerRows(), ['D.q:2', `C.t:${2 + BASE_UNREACHABLE_DISTANCE}:ignored`]);
    assert.equal(view.distanceOf(model.ordinalOf(11)), 3, 'T is still 3 hops away, now through D');
    assert.deepEqual(pathText(), ['1>A p>D q>T']);
  });

  it('makes the object unreachable when every retainer is ignored, and restores one at a time', () => {
    view.ignore(9);
    assert.equal(view.distanceOf(model.ordinalOf(11)), 3 + BASE_UNREACHABLE_DISTANCE);
    assert.deepEqual(pathText(), []);
    view.unignore(7);
    assert.deepEqual(view.ignoredIds(), [9]);
    assert.deepEqual(retainerRows(), ['C.t:2', `D.q:${2 + BASE_UNREACHABLE_DISTANCE}:ignored`]);
    view.unignoreAll();
    assert.deepEqual(view.ignoredIds(), []);
    assert.deepEqual(retainerRows(), ['C.t:2', 'D.q:2']);
  });

  it('rejects ids that are not in the snapshot', () => {
    assert.throws(() => view.ignore(12345), /no node with id 12345/);
  });
});

describe('ScriptNames (source locations of a real snapshot)', () => {
  it('names the script of located closures and objects from the Script objects in the snapshot', async () => {
    const model = await loadHeapSnapshot(tempSnapshot(fixtureBytes('shapes')));
    const scripts = new ScriptNames(model.analysis);
    const order = model.classInstances(model.classes().find((r) => r.name === 'Order')!.key, { limit: 1 }).items[0]!;
    const loc = scripts.locationOf(model.ordinalOf(order.id));
    assert.ok(loc, 'Order instances have a location');
    assert.match(loc.scriptName ?? '', /shapes-app\.cjs$/);
    assert.ok(loc.line > 0);
  });
});

describe('DominatorPages (dominator-tree children without a full sort)', () => {
  it('pages exactly as a full sort by retained size does, for the first pages and deep ones', async () => {
    const model = await loadHeapSnapshot(tempSnapshot(fixtureBytes('shapes')));
    const pages = new DominatorPages(model.analysis);
    const { raw } = model.analysis;
    const nodes = [raw.rootOrdinal, ...model.dominatedChildren(undefined, { limit: 5 }).items.map((n) => n.id)];
    let checked = 0;
    for (const idOrRoot of nodes) {
      const n = idOrRoot === raw.rootOrdinal ? raw.rootOrdinal : model.ordinalOf(idOrRoot);
      const id = raw.nodeId[n];
      for (const [offset, limit] of [
        [0, 40],
        [40, 40],
        [1990, 30],
        [2500, 100],
      ]) {
        const expected = model.dominatedChildren(id, { offset, limit });
        const got = pages.page(n, offset, limit);
        assert.equal(got.total, expected.total);
        assert.deepEqual(
          [...got.ordinals].map((o) => raw.nodeId[o]),
          expected.items.map((x) => x.id),
          `node @${id} offset ${offset}`,
        );
        checked += expected.items.length;
      }
    }
    assert.ok(checked > 100, `compared ${checked} rows`);
  });
});

describe('sourcePosition (go to source)', () => {
  const program = path.join(__dirname, '..', 'fixtures', 'programs', 'ts-source');
  it('maps a location in compiled JavaScript to its TypeScript line through the source map', () => {
    // leakyCache.js line 11 (0-based 10), column 4: `constructor(id, payload) {` of SessionRecord.
    const at = sourcePosition({ scriptId: 1, scriptName: path.join(program, 'leakyCache.js'), line: 10, column: 4 });
    assert.equal(at.file, path.join(program, 'leakyCache.ts'));
    assert.equal(at.line, 13);
    assert.deepEqual(at.generated, { file: path.join(program, 'leakyCache.js'), line: 11 });
  });
  it('says in one line why there is nothing to open', () => {
    assert.throws(
      () => sourcePosition({ scriptId: 7, scriptName: null, line: 0, column: 0 }),
      /^Error: the snapshot does not name script 7/,
    );
    assert.throws(
      () => sourcePosition({ scriptId: 7, scriptName: 'node:internal/timers', line: 0, column: 0 }),
      /^Error: node:internal\/timers is not a readable local file$/,
    );
  });
});
