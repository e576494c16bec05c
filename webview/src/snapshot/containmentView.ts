// DevTools' Containment view: the graph from the root down, each object expanding to what it references (lazily,
// page by page), with the selected object's retainers beside it.
import * as l10n from '@vscode/l10n';
import type { HeapNodeView } from '../../../src/shared/protocol';
import { h } from '../common/dom';
import { nodeRow, TreeEvents } from './objectTree';

/** The containment table; `draw` shows the root with its references expanded (once). */
export class ContainmentView {
  readonly element: HTMLElement;
  private readonly body = h('tbody', { id: 'containment' });
  private drawn = false;

  constructor(
    private readonly events: TreeEvents,
    private readonly root: () => Promise<HeapNodeView>,
  ) {
    this.element = h(
      'div',
      { class: 'table-box containment-box' },
      h(
        'table',
        { role: 'treegrid', 'aria-label': l10n.t('Containment: the heap from the root down') },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { class: 'name' }, l10n.t('Object')),
            h('th', {}, l10n.t('Distance')),
            h('th', {}, ''),
            h('th', {}, l10n.t('Shallow size')),
            h('th', {}, l10n.t('Retained size')),
            h('th', { class: 'source', 'aria-label': l10n.t('Source') }, ''),
          ),
        ),
        this.body,
      ),
    );
  }

  async draw(): Promise<void> {
    if (this.drawn) return;
    this.drawn = true;
    const row = nodeRow(await this.root(), 0, null, this.events);
    this.body.replaceChildren(row);
    row.querySelector<HTMLElement>('.twisty')?.click();
  }
}
