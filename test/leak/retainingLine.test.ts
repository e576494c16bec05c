import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findRetainingLine } from '../../src/core/leak/retainingLine';

// The adding line for holders named by what they are, not by a `.push(`/`.set(` on their own name.
describe('findRetainingLine: scope variables, AsyncLocalStorage stores, require.cache', () => {
  const cases: Array<{ what: string; text: string; holder: Parameters<typeof findRetainingLine>[1]; line: number }> = [
    {
      what: 'a reassigned variable: the assignment, not the declaration or a comparison',
      text: 'let handler = (r) => r;\nif (handler == null) {}\nconst x = { handler: 1 };\nhandler = (r) => inner(r);\n',
      holder: { kind: 'closure', name: 'handler', event: null, assigned: true },
      line: 3,
    },
    {
      what: 'a reassigned variable: not a property of the same name',
      text: 'let list = [];\nthis.list = [];\nlist = [...list, item];\n',
      holder: { kind: 'array', name: 'list', event: null, assigned: true },
      line: 2,
    },
    {
      what: "the store itself: its own AsyncLocalStorage's getStore(), not another's",
      text: "requests.getStore().set('a', 1);\ntenant.getStore()?.set(id, entry);\n",
      holder: { kind: 'map', name: null, event: null, asyncStorage: 'tenant' },
      line: 1,
    },
    {
      what: 'the store itself, used as a dictionary',
      text: 'const t = tenant.getStore();\ntenant.getStore()[id] = entry;\n',
      holder: { kind: 'object', name: null, event: null, asyncStorage: 'tenant' },
      line: 1,
    },
    {
      what: 'optional chaining: `seen?.add(`',
      text: 'const seen = new Set();\nseen?.add(req);\n',
      holder: { kind: 'set', name: 'seen', event: null },
      line: 1,
    },
    {
      what: 'require.cache: a require of a computed path, not of a literal one',
      text: "const fs = require('node:fs');\nconst p = require(`./plugins/${name}.js`);\n",
      holder: { kind: 'module-cache', name: null, event: null },
      line: 1,
    },
  ];
  for (const c of cases)
    it(c.what, () => {
      const hit = findRetainingLine(c.text, c.holder);
      assert.deepEqual([hit?.line, hit?.how], [c.line, 'adds']);
    });

  it('finds nothing for require.cache when every require is literal', () => {
    assert.equal(
      findRetainingLine('require(\'a\');\nrequire("b");\n', { kind: 'module-cache', name: null, event: null }),
      null,
    );
  });
});
