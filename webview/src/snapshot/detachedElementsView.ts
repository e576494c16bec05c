// The Detached elements tab: DOM nodes no longer in the document but still alive, grouped by the JavaScript that
// keeps them (like DevTools' Detached Elements panel, from the snapshot alone). Retainers, paths and node names come
// from the heap: shown as text.
import * as l10n from '@vscode/l10n';
import type { DetachedElementsView } from '../../../src/shared/summaryViewProtocol';
import { h } from '../common/dom';
import { bytes, cell } from './cells';
import { LazyPagedPanel } from './pagedTable';
import { PAGE, viewerRequests } from './viewerRequests';

/** The tab's content; loads the first page when first shown. */
export class DetachedElementsPanel extends LazyPagedPanel<DetachedElementsView> {
  constructor(root: HTMLElement, onError: (err: unknown) => void) {
    let hasDom = true;
    super(
      root,
      {
        hint: l10n.t(
          'DOM nodes removed from the document but still alive, grouped by the first JavaScript object or closure on their shortest path from the GC roots; largest retained size first.',
        ),
        label: l10n.t('Detached elements'),
        tbodyId: 'detached-elements',
        countId: 'detached-count',
        columns: [
          { title: l10n.t('Retained by'), className: 'name' },
          { title: l10n.t('Detached nodes'), className: '' },
          { title: l10n.t('Subtrees'), className: '' },
          { title: l10n.t('Retained size'), className: '' },
          { title: l10n.t('Subtree roots'), className: 'value' },
        ],
        load: async (offset) => {
          const page = await viewerRequests.call('detachedElements', { offset, limit: PAGE });
          hasDom = page.hasDom;
          return page;
        },
        row: detachedRow,
        countText: (total) =>
          !hasDom
            ? l10n.t('No detached DOM nodes (this snapshot has no DOM).')
            : total
              ? total === 1
                ? l10n.t('Detached DOM nodes are retained by 1 piece of JavaScript.')
                : l10n.t('Detached DOM nodes are retained by {0} pieces of JavaScript.', total.toLocaleString())
              : l10n.t('No detached DOM nodes.'),
      },
      onError,
    );
  }
}

/** One group: the retainer with its counts, and its path from the GC roots (one step per line). */
function detachedRow(g: DetachedElementsView): HTMLTableRowElement {
  const objects = g.retainerCount > 1 ? l10n.t(' ({0} objects)', g.retainerCount.toLocaleString()) : '';
  const retainer = h(
    'td',
    { class: 'name' },
    h('div', { class: 'detached-retainer' }, g.retainer, h('span', { class: 'nodeid' }, objects)),
    h('ol', { class: 'detached-path', 'aria-label': l10n.t('Retainer path') }, ...g.path.map((s) => h('li', {}, s))),
  );
  return h(
    'tr',
    { class: 'detached-row', 'data-id': g.exampleId },
    retainer,
    cell('count', g.nodes.toLocaleString()),
    cell('roots', g.roots.toLocaleString()),
    cell('retained', bytes(g.retainedSize)),
    h('td', { class: 'value' }, g.examples.join(', ')),
  );
}
