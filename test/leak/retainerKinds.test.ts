import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { FIXTURES } from '../helpers/debuggee';
import { lineOf, probe } from '../helpers/retainers';

// The holder kinds the leak corpus does not cover, each in a real debuggee that adds one ~10 KB entry every 100 ms:
// the top retainer's path, kind and adding line, and a count that grows at about that rate.
describe('retainers of every kind: Set, object dictionary, closure chains, reassigned lists, require.cache, AsyncLocalStorage', () => {
  const cases: Array<{ program: string; path: string; kind: string; adds: string; why: string }> = [
    {
      program: 'set-seen.js',
      path: 'seen (Set) in module set-seen.js',
      kind: 'set',
      adds: 'seen.add(req)',
      why: 'a Set that only grows',
    },
    {
      program: 'object-dictionary.js',
      path: 'sessions (Object) in module object-dictionary.js',
      kind: 'object',
      adds: 'sessions[`sess-${id}`] = session',
      why: 'a plain object used as a dictionary',
    },
    {
      program: 'closure-chain.js',
      path: 'handler (closure chain) in module closure-chain.js',
      kind: 'closure',
      adds: 'handler = (req) => inner(req)',
      why: 'each wrapper captures the previous handler',
    },
    {
      program: 'closure-shared-context.js',
      path: 'current (closure chain) in module closure-shared-context.js',
      kind: 'closure',
      adds: 'current = {',
      why: "a method keeps the context another closure's `previous` lives in",
    },
    {
      program: 'reassigned-array.js',
      path: 'log (Array) in module reassigned-array.js',
      kind: 'array',
      adds: 'log = [...log, entry]',
      why: 'a variable given a new copy of the list each time, counted in entries',
    },
    {
      program: 'require-cache.js',
      path: 'require.cache and children of module require-cache.js',
      kind: 'module-cache',
      adds: 'require(file)',
      why: 'a fresh module file required every tick',
    },
    {
      program: 'async-local-store.js',
      path: 'store.results (Array) of AsyncLocalStorage worker in module async-local-store.js',
      kind: 'array',
      adds: 'worker.getStore().results.push(result)',
      why: "an array in a long-lived context's store, with a second AsyncLocalStorage enabled first",
    },
    {
      program: 'async-local-map-store.js',
      path: 'store (Map) of AsyncLocalStorage tenant in module async-local-map-store.js',
      kind: 'map',
      adds: 'tenant.getStore().set(',
      why: 'the store itself is the Map that grows',
    },
  ];
  for (const c of cases) {
    it(`${c.kind}: ${c.why}`, async () => {
      const file = path.join(FIXTURES, c.program);
      const [top] = (await probe(file)).retainers;
      assert.ok(top, `a retainer for ${c.program}`);
      assert.deepEqual([top.path, top.kind, top.file, top.line], [c.path, c.kind, file, lineOf(file, c.adds)]);
      // 10 entries/s; the gap between the snapshots is measured, the machine may be loaded.
      assert.ok(top.countGrowthPerSec! > 6 && top.countGrowthPerSec! < 15, `growth ${top.countGrowthPerSec}`);
      assert.ok(top.count! >= 10, `count ${top.count}`);
      assert.ok(top.retainedBytes! > 0, `retained ${top.retainedBytes}`);
    });
  }
});
