// The comparison with a baseline snapshot: DevTools' Comparison view, one row per class.
import * as l10n from '@vscode/l10n';
import type { DiffView } from '../../../src/shared/protocol';
import { h } from '../common/dom';
import { bytes, cell } from './cells';

/** The summary line and the per-class table of a comparison. */
export function diffContent(d: DiffView): HTMLElement[] {
  const sign = (n: number) => (n > 0 ? `+${n.toLocaleString()}` : n.toLocaleString());
  const signBytes = (n: number) => (n > 0 ? `+${bytes(n)}` : n < 0 ? `−${bytes(-n)}` : '0');
  return [
    ...(d.warnings ?? []).map((w) =>
      h('p', { class: 'warning diff-warning', role: 'alert' }, l10n.t('Warning: {0}', w)),
    ),
    h(
      'p',
      {},
      l10n.t(
        'Compared with {0}: {1} objects added ({2}), {3} removed ({4}).',
        d.against,
        d.addedCount.toLocaleString(),
        bytes(d.addedSize),
        d.removedCount.toLocaleString(),
        bytes(d.removedSize),
      ),
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
            ...[
              l10n.t('Constructor'),
              l10n.t('# New'),
              l10n.t('# Deleted'),
              l10n.t('# Delta'),
              l10n.t('Alloc. size'),
              l10n.t('Freed size'),
              l10n.t('Size delta'),
            ].map((c, i) => h('th', { class: i === 0 ? 'name' : '', scope: 'col' }, c)),
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
