// The snapshot's string table, kept as stored bytes: searching those bytes without decoding.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HeapStringTable } from '../../src/core/heap/parse/stringTable';

/** A table of `values` as a snapshot stores them (JSON-escaped bytes), in segments of `chunk` bytes at a time. */
function table(values: string[]): HeapStringTable {
  const t = new HeapStringTable();
  for (const v of values) {
    const stored = Buffer.from(JSON.stringify(v).slice(1, -1), 'utf8');
    const at = t.copyIn(stored, 0, stored.length);
    t.begin(at);
    t.end(at + stored.length, stored.includes(0x5c));
  }
  t.seal();
  return t;
}

describe('HeapStringTable.indicesContaining', () => {
  it('finds every string holding the text once, in index order, and no string across a boundary', () => {
    const values = [
      'kResourceStore',
      'Symbol(kResourceStore)',
      'kResource',
      'Store',
      'kResourceStorekResourceStore',
      'a\n"kResourceStore"\u00e9',
      'x',
    ];
    const t = table(values);
    assert.deepEqual(t.indicesContaining('kResourceStore'), [0, 1, 4, 5]);
    // 'kResource' + 'Store' are neighbours in the stored bytes: not a match.
    assert.deepEqual(t.indicesContaining('ceStorekRes'), [4]);
    assert.deepEqual(t.indicesContaining('nothing'), []);
    for (const i of t.indicesContaining('kResourceStore')) assert.ok(t.get(i).includes('kResourceStore'));
  });
});
