// The Global variables tab: properties the program added to globalThis (not built into JavaScript, Node.js or the
// web APIs), with what each keeps alive. Names come from the heap: shown as text.
import * as l10n from '@vscode/l10n';
import type { GlobalVariableView } from '../../../src/shared/summaryViewProtocol';
import { h } from '../common/dom';
import { bytes, cell } from './cells';
import { LazyPagedPanel } from './pagedTable';
import { PAGE, viewerRequests } from './viewerRequests';

/** The tab's content; loads the first page when first shown. */
export class GlobalsPanel extends LazyPagedPanel<GlobalVariableView> {
  constructor(root: HTMLElement, onError: (err: unknown) => void) {
    super(
      root,
      {
        hint: l10n.t(
          'Properties the program added to globalThis (built-in JavaScript, Node.js and web globals left out), largest retained size first.',
        ),
        label: l10n.t('Global variables'),
        tbodyId: 'globals',
        countId: 'globals-count',
        columns: [
          { title: l10n.t('Global variable'), className: 'name' },
          { title: l10n.t('Value'), className: 'value' },
          { title: l10n.t('Shallow size'), className: '' },
          { title: l10n.t('Retained size'), className: '' },
        ],
        load: (offset) => viewerRequests.call('globals', { offset, limit: PAGE }),
        row: globalRow,
        countText: (total) =>
          total
            ? total === 1
              ? l10n.t('{0} global variable', total.toLocaleString())
              : l10n.t('{0} global variables', total.toLocaleString())
            : l10n.t('The program added no global variables.'),
      },
      onError,
    );
  }
}

function globalRow(g: GlobalVariableView): HTMLTableRowElement {
  return h(
    'tr',
    { class: 'global-row', 'data-id': g.id },
    h('td', { class: 'name' }, g.name),
    h('td', { class: 'value' }, g.className, h('span', { class: 'nodeid' }, ` @${g.id}`)),
    cell('self', bytes(g.selfSize)),
    cell('retained', bytes(g.retainedSize)),
  );
}
