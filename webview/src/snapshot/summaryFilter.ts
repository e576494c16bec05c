// The Summary's filter drop-down (DevTools' "All objects / Objects allocated between … / Duplicated strings / …" plus
// the Node.js retention filters). The id-range filters need another snapshot of the same process: the user picks
// it, and the viewer says plainly when its ids cannot be compared with this snapshot's.
import * as l10n from '@vscode/l10n';
import type { OtherSnapshotView, SummaryView } from '../../../src/shared/summaryViewProtocol';
import { h, safeText } from '../common/dom';
import { otherSnapshotNote } from './viewData';
import { viewerRequests } from './viewerRequests';

/** The drop-down's entries, grouped as shown. */
export const SUMMARY_VIEW_LABELS: [group: string, entries: [SummaryView, string][]][] = [
  [
    'Chrome DevTools',
    [
      ['all', l10n.t('All objects')],
      ['allocated-before', l10n.t('Objects allocated before another snapshot…')],
      ['allocated-between', l10n.t('Objects allocated between another snapshot and this one…')],
      ['duplicated-strings', l10n.t('Duplicated strings')],
      ['retained-by-console', l10n.t('Objects retained by the DevTools console')],
      ['retained-by-contexts', l10n.t('Objects retained only by closure contexts')],
      ['retained-by-detached-dom', l10n.t('Objects retained by detached DOM nodes')],
      ['retained-by-event-handlers', l10n.t('Objects retained by DOM event handlers')],
    ],
  ],
  [
    'Node.js',
    [
      ['retained-by-event-listeners', l10n.t('Objects retained by EventEmitter / process listeners')],
      ['retained-by-timers', l10n.t('Objects retained by timers (setTimeout, setInterval, setImmediate)')],
      ['retained-by-module-cache', l10n.t('Objects retained by the module cache')],
      ['retained-by-promises', l10n.t('Objects retained by promises and their reactions')],
      ['retained-by-async-local-storage', l10n.t('Objects retained by AsyncLocalStorage stores')],
    ],
  ],
];

const needsOther = (v: SummaryView) => v === 'allocated-before' || v === 'allocated-between';

/** The drop-down, its "Choose snapshot…" button and the note; calls `onChange` with each applied view. */
export class SummaryFilter {
  readonly element: HTMLElement;
  private readonly select: HTMLSelectElement;
  private readonly chooseButton: HTMLElement;
  private readonly note = h('div', { class: 'filter-note', id: 'summary-filter-note', role: 'status', hidden: true });
  private other: OtherSnapshotView | null = null;
  private current: SummaryView = 'all';

  constructor(
    private readonly onChange: (view: SummaryView) => void,
    private readonly onError: (err: unknown) => void,
  ) {
    this.select = h(
      'select',
      { id: 'summary-filter', class: 'summary-filter', 'aria-label': l10n.t('Show objects') },
      ...SUMMARY_VIEW_LABELS.map(([group, entries]) =>
        h('optgroup', { label: group }, ...entries.map(([value, label]) => h('option', { value }, label))),
      ),
    );
    this.chooseButton = h(
      'vscode-button',
      { id: 'choose-other', secondary: true, hidden: true },
      l10n.t('Choose snapshot…'),
    );
    this.element = h('span', { class: 'summary-filter-box' }, this.select, this.chooseButton);
    this.select.addEventListener('change', () => void this.apply(this.select.value as SummaryView, false));
    this.chooseButton.addEventListener('click', () => void this.apply(this.current, true));
  }

  /** The note element (placed under the toolbar). */
  get noteElement(): HTMLElement {
    return this.note;
  }

  /** The applied view. */
  get view(): SummaryView {
    return this.current;
  }

  private async apply(view: SummaryView, pickAgain: boolean): Promise<void> {
    if (needsOther(view) && (pickAgain || !this.other)) {
      try {
        const picked = await viewerRequests.call('pickOtherSnapshot', {});
        if (picked) this.other = picked;
      } catch (err) {
        this.onError(err);
      }
      if (!this.other) {
        // Cancelled before any snapshot was picked: back to the previous filter.
        this.select.value = this.current;
        return;
      }
    }
    this.current = view;
    this.chooseButton.hidden = !needsOther(view);
    this.note.hidden = !needsOther(view);
    if (needsOther(view) && this.other) {
      const { text, warning } = otherSnapshotNote(view, this.other);
      this.note.replaceChildren(safeText(text));
      this.note.classList.toggle('warning', warning);
    }
    this.onChange(view);
  }
}
