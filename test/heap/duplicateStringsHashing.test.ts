// Duplicated strings group concatenated strings by hashes combined from their parts (their values are built only where
// hashes meet). Checked on a real snapshot full of the hard cases against a plain grouping by value, with the real
// hashes and with hashes cut to two bits (so nearly every value collides and the exact comparison decides).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadHeapSnapshot } from '../../src/core/heap';
import { nodeDisplayName } from '../../src/core/heap/analyze/nodeNames';
import type { HeapAnalysis } from '../../src/core/heap/analyze/analysis';
import { duplicatedStringMask, duplicateStrings, valueHashing } from '../../src/core/heap/query/duplicateStrings';

// Parts are built at run time (no constant folding); V8 makes a cons string of any concatenation of 13+ characters.
const PROGRAM = `
const v8 = require('node:v8');
const keep = [];
const dyn = (s) => [...s].join('');
for (let i = 0; i < 40; i++) {
  const k = dyn('key-' + i);
  // The same value in three shapes: (a + b) + c, a + (b + c), and flat.
  keep.push((k + '-middle-part') + '-tail-end', k + ('-middle-part' + '-tail-end'), dyn(k + '-middle-part-tail-end'));
  // Non-ASCII, JSON escapes and a surrogate pair split across the parts.
  keep.push(dyn('\\u00e9\\u4e2d-') + k + '\\n"\\\\\\ud83d', dyn('\\u00e9\\u4e2d-') + k + '\\n"\\\\' + dyn('\\ud83d'));
  keep.push(dyn('emoji-\\ud83d') + dyn('\\ude00-' + k), dyn('emoji-\\ud83d\\ude00') + dyn('-' + k));
}
// A concatenation equal to a plain (internalized) string literal.
globalThis.literal = 'user:12345:profile:main-page';
keep.push('user:' + dyn('12345') + ':profile:main-page', 'user:' + dyn('12345') + ':profile:main-page');
// Longer than DevTools' 1,024-character name: grouped by that cut (equal heads, different tails group together).
const head = dyn('h'.repeat(700));
keep.push(head + dyn('x'.repeat(400)) + 'tail-one', head + dyn('x'.repeat(400)) + 'tail-two', head + 'short-one');
// A deep chain built by +=, and a copy built the same way.
for (let c = 0; c < 2; c++) { let s = dyn('chain-'); for (let i = 0; i < 300; i++) s += dyn('ab' + (i % 7)); keep.push(s); }
// Unique values, most of the cons strings of a real heap.
for (let i = 0; i < 2000; i++) keep.push(dyn('unique-' + i) + '-' + dyn(String(i * 7919)));
globalThis.keep = keep;
v8.writeHeapSnapshot(process.argv[1]);
`;

/** DevTools' grouping by value, straight from the display names (what the hashes must reproduce). */
function byValue(analysis: HeapAnalysis, candidates: Uint8Array): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  const { raw } = analysis;
  for (let n = 0; n < raw.nodeCount; n++) {
    if (!candidates[n]) continue;
    const v = nodeDisplayName(raw, n);
    groups.set(v, [...(groups.get(v) ?? []), n]);
  }
  return groups;
}

describe('duplicated strings grouped by combined hashes', () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'memmon-dups-'));
    file = path.join(dir, 'cons.heapsnapshot');
    execFileSync(process.execPath, ['-e', PROGRAM, file]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const mask of [-1, 3]) {
    it(`equal the grouping by value (hashes masked to ${mask === -1 ? '32 bits' : '2 bits'})`, async () => {
      const saved = valueHashing.mask;
      valueHashing.mask = mask;
      try {
        const model = await loadHeapSnapshot(file);
        const analysis = (model as unknown as { analysis: HeapAnalysis }).analysis;
        const { raw } = analysis;
        const mask1 = duplicatedStringMask(analysis);
        // Every string node that is a candidate, by DevTools' rules, is in some group; duplicates are the groups of 2+.
        const { string, consString } = raw.layout.nodeType;
        const candidates = new Uint8Array(raw.nodeCount);
        let cons = 0;
        for (let n = 0; n < raw.nodeCount; n++) {
          const t = raw.nodeType[n];
          if ((t === string || t === consString) && raw.nodeSelfSize[n] && nodeDisplayName(raw, n) !== '') {
            // Flattened cons strings (an empty part) are not candidates.
            const parts = [];
            for (let e = raw.firstEdge[n]; e < raw.firstEdge[n + 1]; e++) parts.push(raw.edgeTo[e]);
            if (t === consString && parts.some((p) => raw.nodeType[p] === string && nodeDisplayName(raw, p) === ''))
              continue;
            candidates[n] = 1;
            if (t === consString) cons++;
          }
        }
        assert.ok(cons > 2000, `${cons} concatenated strings in the snapshot`);
        const groups = byValue(analysis, candidates);
        const want = new Set<number>();
        for (const members of groups.values()) if (members.length > 1) for (const n of members) want.add(n);
        const got = new Set<number>();
        for (let n = 0; n < raw.nodeCount; n++) if (mask1[n]) got.add(n);
        const missing = [...want].filter((n) => !got.has(n)).map((n) => nodeDisplayName(raw, n).slice(0, 60));
        const extra = [...got].filter((n) => !want.has(n)).map((n) => nodeDisplayName(raw, n).slice(0, 60));
        assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
        // The hard cases are really there, grouped.
        const value = (v: string) => groups.get(v)?.length ?? 0;
        assert.ok(value('key-7-middle-part-tail-end') >= 3, 'three shapes of one value');
        assert.ok(value('user:12345:profile:main-page') >= 3, 'concatenations and the literal');
        const list = duplicateStrings(analysis, mask1);
        assert.equal(list.length, [...groups.values()].filter((m) => m.length > 1).length, 'groups');
        // Values under 100 characters are shown whole: their counts are the grouping's.
        for (const g of list.filter((d) => d.value.length < 100))
          assert.equal(g.count, groups.get(g.value)?.length, g.value);
        assert.ok(
          // Both roots (different tails) and their head + x parts: one name, cut after 1,100 characters.
          list.some((g) => g.value.startsWith('hhhh') && g.count === 4),
          JSON.stringify(list.filter((g) => g.value.startsWith('hh')).map((g) => [g.count, g.totalSelfSize])),
        );
      } finally {
        valueHashing.mask = saved;
      }
    });
  }
});
