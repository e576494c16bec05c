// Growth over many snapshots: the objects (arrays, maps, sets, plain objects) that grew in every step of a series
// of snapshots of one process, memmon diff A B C's `growing` rows. Paths come from the heap: text nodes only.
import * as l10n from '@vscode/l10n';
import type { GrowthView } from '../../../src/shared/protocol';
import { h } from '../common/dom';
import { bytes, cell } from './cells';

/** The warnings, a summary line and one row per growing object; `reveal` shows an object's retainers. */
export function growthContent(g: GrowthView, reveal: (nodeId: number) => void): HTMLElement[] {
  const steps = g.snapshots.join(' → ');
  const rows = g.rows.map((r) => {
    const first = r.retainedSizes[0] ?? 0;
    const last = r.retainedSizes[r.retainedSizes.length - 1] ?? 0;
    const link = h('a', { href: '#', class: 'growth-id', title: l10n.t('Show its retainers') }, `@${r.id}`);
    link.addEventListener('click', (e) => {
      e.preventDefault();
      reveal(r.id);
    });
    return h(
      'tr',
      { class: 'growth-row' },
      h('td', { class: 'name', title: r.path }, shortPath(r.path)),
      cell('', r.kind),
      cell('', r.sizes.map((n) => n.toLocaleString()).join(' → ')),
      cell('', bytes(last)),
      cell('delta-pos', `+${bytes(last - first)}`),
      h('td', {}, link),
    );
  });
  return [
    ...g.warnings.map((w) => h('p', { class: 'warning diff-warning', role: 'alert' }, l10n.t('Warning: {0}', w))),
    h(
      'p',
      { class: 'growth-summary' },
      g.rows.length === 1
        ? l10n.t('1 object grew in every step of {0}.', steps)
        : g.rows.length
          ? l10n.t('{0} objects grew in every step of {1}.', g.rows.length.toLocaleString(), steps)
          : l10n.t('No object grew in every step of {0}.', steps),
    ),
    g.rows.length
      ? h(
          'div',
          { class: 'table-box' },
          h(
            'table',
            { id: 'growth-table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...[
                  l10n.t('Retainer path'),
                  l10n.t('Kind'),
                  l10n.t('Entries per snapshot'),
                  l10n.t('Retained size'),
                  l10n.t('Retained growth'),
                  l10n.t('Object'),
                ].map((c, i) => h('th', { class: i === 0 ? 'name' : '', scope: 'col' }, c)),
              ),
            ),
            h('tbody', {}, ...rows),
          ),
        )
      : h('span', {}),
  ];
}

/** The last three steps of a long retainer path (the holder's own name is at its end); the cell's title has it all. */
function shortPath(path: string): string {
  const steps = path.split(' → ');
  return steps.length <= 3 ? path : `… → ${steps.slice(-3).join(' → ')}`;
}
