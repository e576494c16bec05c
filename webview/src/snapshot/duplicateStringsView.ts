// The Duplicated strings tab: each string value stored more than once, largest total retained size first (as
// DevTools orders them), with the bytes all copies but one waste. Values are heap strings: shown as escaped text.
import * as l10n from '@vscode/l10n';
import type { DuplicateStringView } from '../../../src/shared/summaryViewProtocol';
import { h } from '../common/dom';
import { bytes, cell } from './cells';
import { stringLiteral } from './duplicateStringsText';
import { LazyPagedPanel } from './pagedTable';
import { PAGE, viewerRequests } from './viewerRequests';

/** The tab's content; loads the first page when first shown. */
export class DuplicateStringsPanel extends LazyPagedPanel<DuplicateStringView> {
  constructor(root: HTMLElement, onError: (err: unknown) => void) {
    super(
      root,
      {
        hint: l10n.t(
          'String values stored more than once, largest total retained size first; "wasted" is what all copies but one take.',
        ),
        label: l10n.t('Duplicated strings'),
        tbodyId: 'duplicate-strings',
        countId: 'duplicate-count',
        columns: [
          { title: l10n.t('String value (first 100 characters)'), className: 'name' },
          { title: l10n.t('Copies'), className: '' },
          { title: l10n.t('Self size'), className: '' },
          { title: l10n.t('Retained size'), className: '' },
          { title: l10n.t('Wasted'), className: '' },
        ],
        load: (offset) => viewerRequests.call('duplicateStrings', { offset, limit: PAGE }),
        row: duplicateRow,
        countText: (total) =>
          total
            ? l10n.t('{0} string values are stored more than once', total.toLocaleString())
            : l10n.t('No string value is stored more than once.'),
      },
      onError,
    );
  }
}

function duplicateRow(d: DuplicateStringView): HTMLTableRowElement {
  const literal = stringLiteral(d.value);
  return h(
    'tr',
    { class: 'duplicate-row' },
    h('td', { class: 'name', title: literal }, literal),
    cell('count', d.count.toLocaleString()),
    cell('self', bytes(d.totalSelfSize)),
    cell('retained', bytes(d.totalRetainedSize)),
    cell('wasted', bytes(d.wastedBytes)),
  );
}
