// The object-type tree (DevTools' Summary): class rows expand to their instances, objects to their references.
// Every name comes from the debuggee's heap and is set as text only.
import * as l10n from '@vscode/l10n';
import type { HeapClassView, HeapNodeView, PageView } from '../../../src/shared/protocol';
import { h, safeText } from '../common/dom';
import { bytes, cell, distanceText, edgeLabel } from './cells';
import { classSourceLink, sourceLink } from './sourceLink';
import { PAGE, viewerRequests } from './viewerRequests';

/** What the tree tells the rest of the viewer. */
export interface TreeEvents {
  /** An object row was clicked. */
  select(row: HTMLTableRowElement, node: HeapNodeView): void;
  /** A page could not be loaded. */
  error(err: unknown): void;
}

/**
 * A row for one class; expanding shows its instances (`instances` loads a page of them: all, or a filter's). `depth`
 * is 2 under a source file. Classes with a constructor location link to it.
 */
export function classRow(
  c: HeapClassView,
  events: TreeEvents,
  instances: (offset: number) => Promise<PageView<HeapNodeView>> = (offset) =>
    viewerRequests.call('instances', { classKey: c.key, offset, limit: PAGE }),
  depth = 1,
): HTMLTableRowElement {
  const twisty = h(
    'span',
    { class: 'twisty', role: 'button', 'aria-label': l10n.t('Show instances of {0}', c.name) },
    '▸',
  );
  const name = h('td', { class: 'name' }, twisty, c.name, h('span', { class: 'hint' }, ` ×${c.count}`));
  if (depth > 1) name.style.paddingLeft = `${(depth - 1) * 14}px`;
  const row = h(
    'tr',
    { class: 'class-row', 'aria-level': depth, 'aria-expanded': 'false' },
    name,
    cell('distance', distanceText(c.distance)),
    cell('count', c.count.toLocaleString()),
    cell('self', bytes(c.selfSize)),
    cell('retained', bytes(c.retainedSize)),
    sourceCell(c.hasSource ? classSourceLink(c.key, (err) => events.error(err)) : null),
  );
  const toggle = expander(twisty, row, true, events, () =>
    appendPaged(row, depth, instances, (n) => nodeRow(n, depth + 1, null, events), events),
  );
  twisty.addEventListener('click', toggle);
  return row;
}

/** A row for one object (an instance, or the target of an edge); expanding shows its outgoing edges. */
export function nodeRow(
  n: HeapNodeView,
  depth: number,
  edge: { name: string; edgeType: string } | null,
  events: TreeEvents,
): HTMLTableRowElement {
  const twisty = h('span', { class: 'twisty', role: 'button', 'aria-label': l10n.t('Show references') }, '▸');
  const name = h('td', { class: 'name' }, twisty);
  name.style.paddingLeft = `${depth * 14}px`;
  if (edge) name.append(h('span', { class: 'edge' }, edgeLabel(edge)), ' :: ');
  name.append(
    safeText(
      n.className === n.name || !n.name ? n.className : `${n.className} ${JSON.stringify(n.name.slice(0, 120))}`,
    ),
    h('span', { class: 'nodeid' }, ` @${n.id}`),
  );
  const row = h(
    'tr',
    { class: edge ? 'edge-row' : 'instance-row', 'aria-level': depth, 'data-id': n.id },
    name,
    cell('distance', distanceText(n.distance)),
    cell('count', ''),
    cell('self', bytes(n.selfSize)),
    cell('retained', bytes(n.retainedSize)),
    sourceCell(n.hasSource ? sourceLink(n.id, (err) => events.error(err)) : null),
  );
  const toggle = expander(twisty, row, false, events, () =>
    appendPaged(
      row,
      depth,
      (offset) => viewerRequests.call('children', { nodeId: n.id, offset, limit: PAGE }),
      (e) => nodeRow(e.node, depth + 1, e, events),
      events,
    ),
  );
  twisty.addEventListener('click', (e) => {
    e.stopPropagation();
    toggle();
  });
  row.addEventListener('click', () => events.select(row, n));
  return row;
}

/** The last cell of Summary and containment rows: the row's "go to source" link, or nothing. */
export function sourceCell(link: HTMLElement | null): HTMLTableCellElement {
  return h('td', { class: 'source' }, link);
}

/** A twisty's click handler: expands (loading the children) or collapses; a failed load folds back and is reported. */
export function expander(
  twisty: HTMLElement,
  row: HTMLTableRowElement,
  ariaExpanded: boolean,
  events: TreeEvents,
  load: () => Promise<HTMLTableRowElement[]>,
): () => void {
  let children: HTMLTableRowElement[] = [];
  let loading = false;
  const show = (open: boolean) => {
    twisty.textContent = open ? '▾' : '▸';
    if (ariaExpanded) row.setAttribute('aria-expanded', String(open));
  };
  return () => {
    if (loading) return;
    if (children.length) {
      children.forEach(removeSubtree);
      children = [];
      show(false);
      return;
    }
    show(true);
    loading = true;
    load().then(
      (rows) => {
        loading = false;
        children = rows;
      },
      (err: unknown) => {
        loading = false;
        show(false);
        events.error(err);
      },
    );
  };
}

const subtrees = new WeakMap<HTMLTableRowElement, HTMLTableRowElement[]>();
function removeSubtree(row: HTMLTableRowElement): void {
  (subtrees.get(row) ?? []).forEach(removeSubtree);
  row.remove();
}

/** Inserts one page of child rows after `parent`, plus a "show more" row while more remain. */
export async function appendPaged<T>(
  parent: HTMLTableRowElement,
  depth: number,
  load: (offset: number) => Promise<PageView<T>>,
  render: (item: T) => HTMLTableRowElement,
  events: Pick<TreeEvents, 'error'>,
): Promise<HTMLTableRowElement[]> {
  const rows: HTMLTableRowElement[] = [];
  let anchor: HTMLTableRowElement = parent;
  const loadFrom = async (offset: number) => {
    const page = await load(offset);
    for (const item of page.items) {
      const r = render(item);
      anchor.after(r);
      anchor = r;
      rows.push(r);
    }
    const shown = page.offset + page.items.length;
    if (shown < page.total) {
      const link = h(
        'a',
        { class: 'link', tabindex: 0 },
        l10n.t('Show {0} more of {1}…', Math.min(PAGE, page.total - shown), page.total - shown),
      );
      const td = h('td', { colspan: 6 }, link);
      td.style.paddingLeft = `${(depth + 1) * 14}px`;
      const more = h('tr', { class: 'more' }, td);
      anchor.after(more);
      rows.push(more);
      link.addEventListener('click', () => {
        more.remove();
        rows.splice(rows.indexOf(more), 1);
        loadFrom(shown).catch(events.error);
      });
    }
  };
  await loadFrom(0);
  subtrees.set(parent, rows);
  return rows;
}
