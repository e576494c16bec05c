import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeInvisible, escapeTerminal, formatBytes, formatRate, splitInvisible } from '../../src/core/format';

describe('formatting of figures (one formatter each, decimal units)', () => {
  it('bytes', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(2000), '2 kB');
    assert.equal(formatBytes(7_100_000), '7.1 MB');
    assert.equal(formatBytes(182_400_000), '182 MB');
    assert.equal(formatBytes(1_250_000_000), '1.25 GB');
    assert.equal(formatBytes(12_500_000_000), '12.5 GB');
    assert.equal(formatBytes(-1_000_000), '-1.0 MB');
    assert.equal(formatBytes(null), '—');
  });

  it('rates are signed and per minute, in the units of formatBytes', () => {
    assert.equal(formatRate(53_333), '+3.2 MB/min');
    assert.equal(formatRate(1000), '+60 kB/min');
    assert.equal(formatRate(-25_000), '-1.5 MB/min');
    assert.equal(formatRate(5), '+300 B/min');
    assert.equal(formatRate(0), '+0 B/min');
    assert.equal(formatRate(Number.NaN), '—');
  });
});

describe('escaping of invisible and text-reordering characters from the heap (issue 10 item 15)', () => {
  // Every code point of the list, one per row: bidi controls, then zero-width characters, then line separators.
  const INVISIBLE = [
    0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200b, 0x200c,
    0x200d, 0x2060, 0xfeff, 0x2028, 0x2029,
  ];

  it('escapeInvisible turns each of them into \\uXXXX (upper-case hex) and leaves other text alone', () => {
    for (const cp of INVISIBLE) {
      const hex = cp.toString(16).toUpperCase().padStart(4, '0');
      assert.equal(escapeInvisible(`a${String.fromCodePoint(cp)}b`), `a\\u${hex}b`, `U+${hex}`);
    }
    for (const plain of ['Order', 'é中😀', 'مرحبا', 'tab\there', '']) assert.equal(escapeInvisible(plain), plain);
  });

  it('escapeTerminal escapes control characters and the invisible ones, so Ev\\u202Eil cannot pose as Evli', () => {
    assert.equal(escapeTerminal('Ev\u202eil\u001b[2J\u200b'), 'Ev\\u202Eil\\u001B[2J\\u200B');
    assert.doesNotMatch(escapeTerminal(INVISIBLE.map((c) => String.fromCodePoint(c)).join('')), /[^\\u0-9A-F]/);
  });

  it('splitInvisible gives plain and escaped runs whose text joins to escapeInvisible', () => {
    assert.deepEqual(splitInvisible('Ev\u202e\u200bil'), [
      { text: 'Ev', escaped: false },
      { text: '\\u202E\\u200B', escaped: true },
      { text: 'il', escaped: false },
    ]);
    assert.deepEqual(splitInvisible('\u2066x'), [
      { text: '\\u2066', escaped: true },
      { text: 'x', escaped: false },
    ]);
    assert.deepEqual(splitInvisible('plain'), [{ text: 'plain', escaped: false }]);
    assert.deepEqual(splitInvisible(''), [{ text: '', escaped: false }]);
    const mixed = 'a\u202eb\u2069\u200dc\ufeff';
    assert.equal(
      splitInvisible(mixed)
        .map((r) => r.text)
        .join(''),
      escapeInvisible(mixed),
    );
  });
});
