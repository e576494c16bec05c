// The retainer tree of the selected object: its k shortest paths from the GC roots and every retainer, each of which
// expands to its own retainers (lazily, page by page); "ignore" cuts a retainer out and the distances are recomputed
// (DevTools' ignoreNodeInRetainersView). Every name comes from the debuggee's heap and is set as text only.
import * as l10n from '@vscode/l10n';
import type { HeapNodeView, RetainerStepView } from '../../../src/shared/protocol';
import type { RetainerTreeEdgeView } from '../../../src/shared/viewerTreeProtocol';
import { h, safeText } from '../common/dom';
import { bytes, cell, distanceText, edgeLabel } from './cells';
import { appendPaged } from './objectTree';
import { PAGE, viewerRequests } from './viewerRequests';
import { openSource, sourceLink } from './sourceLink';

/** What the panel asks of the rest of the viewer. */
export interface RetainerPanelHooks {
  error: (err: unknown) => void;
  /** Shows the object in the Summary (its class, expanded, the object selected when listed). */
  revealInSummary: (n: HeapNodeView) => void;
}

/** Paths shown above the tree. */
const PATHS = 5;

/** Ignored retainers, shared by every panel of this viewer (the worker keeps one set per snapshot). */
let ignoredIds: number[] = [];
const panels = new Set<RetainerPanel>();

/** One object's retainers in a details box; `show` replaces what is shown. */
export class RetainerPanel {
  private current: HeapNodeView | null = null;
  private generation = 0;

  constructor(
    private readonly box: HTMLElement,
    private readonly hooks: RetainerPanelHooks,
  ) {
    panels.add(this);
  }

  /** Shows `n`'s paths and retainer tree. */
  async show(n: HeapNodeView): Promise<void> {
    this.current = n;
    const gen = ++this.generation;
    const heading = h('h2', {}, safeText(`${n.className} @${n.id}`));
    const reveal = h('a', { class: 'link', tabindex: 0 }, l10n.t('Reveal in Summary'));
    reveal.addEventListener('click', () => this.hooks.revealInSummary(n));
    const actions = h('span', { class: 'panel-actions' }, reveal);
    this.box.replaceChildren(
      heading,
      h(
        'span',
        { class: 'hint' },
        `shallow ${bytes(n.selfSize)}, retained ${bytes(n.retainedSize)}, distance ${distanceText(n.distance)} `,
      ),
      actions,
    );
    const [self, paths] = await Promise.all([
      viewerRequests.call('dominatorNode', { nodeId: n.id }),
      viewerRequests.call('retainerPaths', { nodeId: n.id, maxPaths: PATHS }),
    ]);
    if (gen !== this.generation) return;
    if (self?.hasSource) {
      const go = h('vscode-button', { class: 'go-to-source', secondary: true }, l10n.t('Go to source'));
      go.addEventListener('click', () => openSource(n.id, this.hooks.error));
      actions.prepend(go, ' ');
    }
    this.box.append(...this.ignoredBar(), ...pathList(paths));
    const body = h('tbody', {});
    const anchor = h('tr', { class: 'anchor', hidden: true });
    body.append(anchor);
    this.box.append(
      h('h2', {}, l10n.t('Retainers (nearest to the GC roots first; expand for their own retainers)')),
      h(
        'table',
        { class: 'retainer-tree', id: 'retainer-tree', role: 'treegrid', 'aria-label': l10n.t('Retainers') },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { class: 'name' }, l10n.t('Retainer')),
            h('th', {}, l10n.t('Distance')),
            h('th', {}, l10n.t('Shallow')),
            h('th', {}, l10n.t('Retained')),
            h('th', {}, ''),
          ),
        ),
        body,
      ),
    );
    await this.appendRetainers(anchor, n.id, 0, [n.id]);
  }

  /** The ignored retainers with their restore links, when there are any. */
  private ignoredBar(): HTMLElement[] {
    if (!ignoredIds.length) return [];
    const restoreAll = h('a', { class: 'link', id: 'restore-all', tabindex: 0 }, l10n.t('Restore all'));
    restoreAll.addEventListener('click', () => this.change(viewerRequests.call('unignoreAllRetainers', {})));
    const ignored = ignoredIds
      .slice(0, 8)
      .map((id) => `@${id}`)
      .join(', ');
    return [
      h(
        'p',
        { class: 'ignored-bar warning' },
        ignoredIds.length > 1
          ? l10n.t(
              'Ignoring {0} retainers ({1}): distances are computed as if they were unreachable. ',
              ignoredIds.length,
              ignored,
            )
          : l10n.t('Ignoring {0} retainer ({1}): distances are computed as if it was unreachable. ', 1, ignored),
        restoreAll,
      ),
    ];
  }

  private appendRetainers(after: HTMLTableRowElement, nodeId: number, depth: number, chain: number[]) {
    return appendPaged(
      after,
      depth,
      (offset) => viewerRequests.call('retainerTree', { nodeId, offset, limit: PAGE }),
      (e) => this.retainerRow(e, depth, chain),
      this.hooks,
    );
  }

  private retainerRow(e: RetainerTreeEdgeView, depth: number, chain: number[]): HTMLTableRowElement {
    const cycle = chain.includes(e.node.id);
    const twisty = h(
      'span',
      { class: 'twisty', role: 'button', 'aria-label': l10n.t('Show its retainers') },
      cycle ? '↻' : '▸',
    );
    const name = h('td', { class: 'name' }, twisty, h('span', { class: 'edge' }, edgeLabel(e)), ' in ');
    name.style.paddingLeft = `${depth * 14}px`;
    name.append(safeText(nodeText(e.node)), h('span', { class: 'nodeid' }, ` @${e.node.id}`));
    const toggle = h(
      'a',
      {
        class: 'link ignore-toggle',
        tabindex: 0,
        title: e.ignored ? l10n.t('Restore this retainer') : l10n.t('Ignore this retainer'),
      },
      e.ignored ? 'restore' : 'ignore',
    );
    toggle.addEventListener('click', (ev) => {
      ev.stopPropagation();
      this.change(viewerRequests.call('ignoreRetainer', { nodeId: e.node.id, ignore: !e.ignored }));
    });
    const actions = h('td', { class: 'actions' }, toggle);
    if (e.hasSource) actions.append(' ', sourceLink(e.node.id, this.hooks.error));
    const row = h(
      'tr',
      {
        class: `retainer-row${e.ignored ? ' ignored' : ''}`,
        'aria-level': depth + 1,
        'data-id': e.node.id,
        title: cycle ? l10n.t('already on this branch (a cycle)') : undefined,
      },
      name,
      cell('distance', distanceText(e.viewDistance)),
      cell('self', bytes(e.node.selfSize)),
      cell('retained', bytes(e.node.retainedSize)),
      actions,
    );
    if (cycle) return row;
    let children: HTMLTableRowElement[] | null = null;
    let loading = false;
    twisty.addEventListener('click', () => {
      if (loading) return;
      if (children) {
        children.forEach(removeRows);
        children = null;
        twisty.textContent = '▸';
        return;
      }
      loading = true;
      twisty.textContent = '▾';
      this.appendRetainers(row, e.node.id, depth + 1, [...chain, e.node.id]).then(
        (rows) => {
          loading = false;
          children = rows;
          expanded.set(row, rows);
        },
        (err: unknown) => {
          loading = false;
          twisty.textContent = '▸';
          this.hooks.error(err);
        },
      );
    });
    return row;
  }

  /** Applies an ignore/restore and redraws every panel, whose distances changed. */
  private change(request: Promise<{ ignoredIds: number[] }>): void {
    request.then((r) => {
      ignoredIds = r.ignoredIds;
      for (const p of panels) if (p.current) p.show(p.current).catch(p.hooks.error);
    }, this.hooks.error);
  }
}

const expanded = new WeakMap<HTMLTableRowElement, HTMLTableRowElement[]>();
function removeRows(row: HTMLTableRowElement): void {
  (expanded.get(row) ?? []).forEach(removeRows);
  row.remove();
}

/** How a node is named in the viewer's rows. */
function nodeText(n: HeapNodeView): string {
  return n.className === n.name || !n.name ? n.className : `${n.className} ${JSON.stringify(n.name.slice(0, 80))}`;
}

/** The shortest path (as an ordered list, one step per item) and the other shortest paths, one line each. */
function pathList(paths: RetainerStepView[][]): HTMLElement[] {
  if (!paths.length)
    return [
      h('h2', {}, l10n.t('Retainer paths from the GC roots')),
      h(
        'p',
        { class: 'hint' },
        l10n.t('No path from the GC roots (unreachable, only weakly held, or every path ignored).'),
      ),
    ];
  const step = (s: RetainerStepView) => [
    s.edge ? h('span', { class: 'edge' }, edgeLabel(s.edge)) : '',
    s.edge ? ' → ' : '',
    safeText(`${s.node.className} @${s.node.id}`),
  ];
  const out: HTMLElement[] = [
    h('h2', {}, l10n.t('Shortest retainer path from the GC roots')),
    h('ol', { class: 'path', id: 'retainer-path' }, ...paths[0].map((s) => h('li', {}, ...step(s)))),
  ];
  if (paths.length > 1)
    out.push(
      h('h2', {}, l10n.t('Next shortest paths ({0})', paths.length - 1)),
      h(
        'ol',
        { class: 'other-paths', id: 'other-paths' },
        ...paths
          .slice(1)
          .map((p) => h('li', {}, ...p.flatMap((s, i) => [i ? h('span', { class: 'hint' }, ' · ') : '', ...step(s)]))),
      ),
    );
  return out;
}
