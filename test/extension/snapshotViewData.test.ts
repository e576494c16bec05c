import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { otherSnapshotNote, statisticsSlices } from '../../webview/src/snapshot/viewData';
import { stringLiteral } from '../../webview/src/snapshot/duplicateStringsText';

describe('snapshot viewer: Statistics chart and filter note', () => {
  it("the chart's slices add up to DevTools' total and never go negative", () => {
    const s = {
      total: 1000,
      v8heap: { total: 900, code: 100, strings: 300, jsArrays: 50, system: 150 },
      native: { total: 100, typedArrays: 60 },
    };
    const slices = statisticsSlices(s);
    assert.equal(
      slices.reduce((a, x) => a + x.value, 0),
      s.total,
    );
    assert.deepEqual(
      slices.map((x) => [x.label, x.value]),
      [
        ['Code', 100],
        ['Strings', 300],
        ['JS arrays', 50],
        ['Typed arrays', 60],
        ['System objects', 150],
        ['Other JS objects', 300],
        ['Other native', 40],
      ],
    );
    const odd = statisticsSlices({ ...s, v8heap: { ...s.v8heap, total: 10 } });
    assert.ok(odd.every((x) => x.value >= 0));
  });

  it('says plainly when the other snapshot comes from another process', () => {
    const same = otherSnapshotNote('allocated-between', {
      fileName: 'a.heapsnapshot',
      sameSession: true,
      checked: 200,
      matched: 198,
    });
    assert.equal(same.warning, false);
    assert.match(same.text, /^Objects allocated after a\.heapsnapshot was taken, up to this snapshot/);
    const before = otherSnapshotNote('allocated-before', {
      fileName: 'a.heapsnapshot',
      sameSession: true,
      checked: 1,
      matched: 1,
    });
    assert.match(before.text, /^Objects of this snapshot allocated before a\.heapsnapshot was taken/);
    const other = otherSnapshotNote('allocated-between', {
      fileName: 'b.heapsnapshot',
      sameSession: false,
      checked: 1889,
      matched: 18,
    });
    assert.equal(other.warning, true);
    assert.match(
      other.text,
      /^⚠ b\.heapsnapshot does not come from the same process .* \(only 18 of 1889 .* meaningless/,
    );
  });

  it('shows a duplicated string as an escaped literal', () => {
    assert.equal(stringLiteral('a"b\n\u0007'), '"a\\"b\\n\\u0007"');
  });
});
