// The comparison with a baseline snapshot: DevTools' Comparison view, one row per class.
import type { DiffView } from '../../../src/shared/protocol';
import { h } from '../common/dom';
import { bytes, cell } from './cells';

/** The summary line and the per-class table of a comparison. */
export function diffContent(d: DiffView): HTMLElement[] {
  const sign = (n: number) => (n > 0 ? `+${n.toLocaleString()}` : n.toLocaleString());
  const signBytes = (n: number) => (n > 0 ? `+${bytes(n)}` : n < 0 ? `−${bytes(-n)}` : '0');
  return [
    h(
      'p',
      {},
      `Compared with ${d.against}: ${d.addedCount.toLocaleString()} objects added (${bytes(d.addedSize)}), ${d.removedCount.toLocaleString()} removed (${bytes(d.removedSize)}).`,
    ),
    h(
      'div',
      { class: 'table-box' },
      h(
        'table',
        { id: 'diff-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Constructor', '# New', '# Deleted', '# Delta', 'Alloc. size', 'Freed size', 'Size delta'].map((c, i) =>
              h('th', { class: i === 0 ? 'name' : '', scope: 'col' }, c),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          ...d.rows.map((r) =>
            h(
              'tr',
              { class: 'diff-row' },
              cell('name', r.name),
              cell('', r.addedCount.toLocaleString()),
              cell('', r.removedCount.toLocaleString()),
              cell(r.countDelta > 0 ? 'delta-pos' : 'delta-neg', sign(r.countDelta)),
              cell('', bytes(r.addedSize)),
              cell('', bytes(r.removedSize)),
              cell(r.sizeDelta > 0 ? 'delta-pos' : 'delta-neg', signBytes(r.sizeDelta)),
            ),
          ),
        ),
      ),
    ),
  ];
}
