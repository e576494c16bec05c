// A table whose rows arrive in pages from the extension, with a "Show more" row while more remain.
import type { PageView } from '../../../src/shared/protocol';
import { h } from '../common/dom';
import { appendPaged } from './objectTree';

/** Replaces `tbody`'s rows with the first page of `load` (and more on demand); returns the total. */
export async function fillPaged<T>(
  tbody: HTMLTableSectionElement,
  load: (offset: number) => Promise<PageView<T>>,
  render: (item: T) => HTMLTableRowElement,
  onError: (err: unknown) => void,
): Promise<number> {
  let total = 0;
  const anchor = h('tr', { class: 'anchor', hidden: true });
  tbody.replaceChildren(anchor);
  await appendPaged(
    anchor,
    0,
    async (offset) => {
      const page = await load(offset);
      total = page.total;
      return page;
    },
    render,
    { error: onError },
  );
  return total;
}

/** What a lazily loaded tab of one paged table shows. */
export interface LazyPagedPanelSpec<T> {
  /** The hint above the table. */
  hint: string;
  label: string;
  tbodyId: string;
  countId: string;
  /** Column titles with the class of each header cell. */
  columns: Array<{ title: string; className: string }>;
  load: (offset: number) => Promise<PageView<T>>;
  row: (item: T) => HTMLTableRowElement;
  /** The line above the table once the total is known. */
  countText: (total: number) => string;
}

/** A tab holding one paged table, loaded when first shown (a failed load is reported and retried next time). */
export class LazyPagedPanel<T> {
  private readonly tbody: HTMLTableSectionElement;
  private readonly count: HTMLElement;
  private loaded = false;

  constructor(
    root: HTMLElement,
    private readonly spec: LazyPagedPanelSpec<T>,
    private readonly onError: (err: unknown) => void,
  ) {
    this.tbody = h('tbody', { id: spec.tbodyId });
    this.count = h('span', { class: 'hint', id: spec.countId });
    const header = h('tr', {}, ...spec.columns.map((c) => h('th', { scope: 'col', class: c.className }, c.title)));
    root.append(
      h('p', { class: 'hint' }, spec.hint),
      this.count,
      h('div', { class: 'table-box' }, h('table', { 'aria-label': spec.label }, h('thead', {}, header), this.tbody)),
    );
  }

  show(): void {
    if (this.loaded) return;
    this.loaded = true;
    fillPaged(this.tbody, this.spec.load, this.spec.row, this.onError).then(
      (total) => {
        this.count.textContent = this.spec.countText(total);
      },
      (err: unknown) => {
        this.loaded = false;
        this.onError(err);
      },
    );
  }
}
