import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBytes, formatRate } from '../../src/core/format';

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
