// Growth over many snapshots: a real Node program writes four snapshots of one process (growth-app.cjs).
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { memmonInProcess } from '../helpers/cliInProcess';
import { FIXTURES, fixtureBytes, tempSnapshot } from './fixtures';

const memmon = memmonInProcess;

describe('memmon diff A B C D: growing collections', () => {
  let steps: string[] = [];
  before(() => {
    const dir = mkdtempSync(path.join(tmpdir(), 'memmon-growth-'));
    execFileSync(process.execPath, [path.join(FIXTURES, 'growth-app.cjs'), dir]);
    steps = [0, 1, 2, 3].map((i) => path.join(dir, `step-${i}.heapsnapshot`));
  });

  it('lists the map, array, set and dictionary that grow every step, not the one cleared midway', async () => {
    const { code, stdout, stderr } = await memmon('diff', ...steps, '--json');
    assert.equal(code, 0, stderr);
    const doc = JSON.parse(stdout);
    assert.equal(doc.mode, 'leaks');
    const growing = doc.growing as {
      id: number;
      path: string;
      kind: string;
      sizes: number[];
      retainedSizes: number[];
    }[];
    const byPath = new Map(growing.map((g) => [g.path, g]));
    for (const [name, kind] of [
      ['cache', 'Map'],
      ['history', 'Array'],
      ['seen', 'Set'],
      ['byName', 'Object'],
    ]) {
      const g = byPath.get(`global.app → Object.${name}`);
      assert.ok(g, `${name} missing from ${[...byPath.keys()].join(', ')}`);
      assert.deepEqual(Object.keys(g), ['id', 'path', 'kind', 'sizes', 'retainedSizes']);
      assert.equal(g.kind, kind);
      assert.equal(g.sizes.length, 4);
      assert.equal(g.retainedSizes.length, 4);
      for (let i = 1; i < 4; i++) assert.ok(g.sizes[i]! > g.sizes[i - 1]!, `${name} grows`);
    }
    assert.ok(!byPath.has('global.app → Object.scratch'), 'scratch was cleared in step 2');
    // Ranked by retained-size growth.
    const growth = (g: { retainedSizes: number[] }) => g.retainedSizes[3]! - g.retainedSizes[0]!;
    for (let i = 1; i < growing.length; i++) assert.ok(growth(growing[i - 1]!) >= growth(growing[i]!));
  });

  it('three snapshots of different processes: no growth claimed, a warning', async () => {
    const other = tempSnapshot(fixtureBytes('shapes'), 'shapes.heapsnapshot');
    const { code, stdout, stderr } = await memmon('diff', steps[0]!, steps[1]!, other, '--json');
    assert.equal(code, 0);
    assert.match(stderr, /different heap-profiler sessions/);
    assert.deepEqual(JSON.parse(stdout).growing, []);
  });
});
