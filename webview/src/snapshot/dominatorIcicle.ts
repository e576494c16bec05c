// The dominator tree as an icicle: the zoomed-in node spans the width, what it dominates sits below it, each as wide
// as its share of its parent's retained size, coloured by category. Click a cell to zoom in, a breadcrumb to go back.
// Children are fetched only for cells wide enough to show them. Below it, the zoomed-in node's children as a table.
import * as l10n from '@vscode/l10n';
import type { DominatorNodeView } from '../../../src/shared/viewerTreeProtocol';
import { h, safeText } from '../common/dom';
import { bytes, cell } from './cells';
import { CATEGORY_LABELS, layoutIcicle, nodeCategory, NodeCategory } from './icicleLayout';
import { sourceLink } from './sourceLink';
import { viewerRequests } from './viewerRequests';

/** A node of the loaded part of the tree. */
interface Loaded {
  node: DominatorNodeView;
  parent: Loaded | null;
  /** null until fetched. */
  children: Loaded[] | null;
  /** More children than were fetched (the rest are small). */
  more: number;
}

const ROW_PX = 24;
const DEPTH = 8;
/** Children fetched per node: the largest ones; the rest would be narrower than a pixel or two anyway. */
const CHILDREN = 40;
/** Cells at least this wide get their children fetched. */
const FETCH_PX = 24;

export interface IcicleHooks {
  error: (err: unknown) => void;
  /** A node was selected (its retainers are shown next to the icicle). */
  select: (n: DominatorNodeView) => void;
}

/** The dominator tree view: breadcrumbs, the icicle, a legend and the children table. */
export class DominatorIcicle {
  readonly element: HTMLElement;
  private readonly crumbs = h('div', { class: 'crumbs', id: 'dom-crumbs', 'aria-label': l10n.t('Zoomed-in path') });
  private readonly canvas = h('div', {
    class: 'icicle',
    id: 'icicle',
    role: 'list',
    'aria-label': l10n.t('Dominator tree (icicle): width is retained size'),
  });
  private readonly table = h('tbody', { id: 'dom-children' });
  private readonly caption = h('h2', {});
  private root: Loaded | null = null;
  private focus: Loaded | null = null;
  private pending = new Set<Loaded>();
  private frame = 0;

  constructor(private readonly hooks: IcicleHooks) {
    const legend = h(
      'div',
      { class: 'legend', 'aria-hidden': 'true' },
      ...(Object.keys(CATEGORY_LABELS) as NodeCategory[]).map((c) =>
        h('span', {}, h('span', { class: `swatch cat-${c}` }), CATEGORY_LABELS[c]),
      ),
    );
    this.element = h(
      'div',
      { class: 'dominator-view' },
      h(
        'p',
        { class: 'hint' },
        l10n.t(
          'The dominator tree: each object spans what it keeps alive (its retained size); below it, the objects only it keeps alive. Click to zoom in.',
        ),
      ),
      this.crumbs,
      this.canvas,
      legend,
      this.caption,
      h(
        'div',
        { class: 'table-box dom-table' },
        h(
          'table',
          { 'aria-label': l10n.t('Dominated objects') },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { class: 'name' }, l10n.t('Object')),
              h('th', {}, l10n.t('Retained')),
              h('th', {}, l10n.t('Share of parent')),
              h('th', {}, l10n.t('Dominates')),
              h('th', {}, ''),
            ),
          ),
          this.table,
        ),
      ),
    );
    new ResizeObserver(() => this.schedule()).observe(this.canvas);
  }

  /** Loads the root and draws it (once; later calls redraw). */
  async draw(): Promise<void> {
    if (!this.root) {
      const node = await viewerRequests.call('dominatorNode', { nodeId: null });
      if (!node) throw new Error(l10n.t('the snapshot has no root node'));
      this.root = { node, parent: null, children: null, more: 0 };
      this.focus = this.root;
    }
    await this.zoom(this.focus!);
  }

  /** Zooms into `target`: breadcrumbs, the children table and the icicle under it. */
  private async zoom(target: Loaded): Promise<void> {
    this.focus = target;
    const trail: Loaded[] = [];
    for (let n: Loaded | null = target; n; n = n.parent) trail.unshift(n);
    this.crumbs.replaceChildren(
      ...trail.flatMap((n, i) => {
        const link = h('a', { class: 'link', tabindex: 0 }, safeText(i === 0 ? '(GC roots)' : label(n.node)));
        link.addEventListener('click', () => void this.zoom(n).catch(this.hooks.error));
        return i ? [' › ', link] : [link];
      }),
    );
    await this.load(target);
    if (this.focus !== target) return;
    this.caption.textContent =
      l10n.t(
        'Dominated by {0}: {1} objects',
        target === this.root ? l10n.t('the GC roots') : label(target.node),
        target.node.dominatedCount.toLocaleString(),
      ) + (target.more ? l10n.t(' (largest {0} shown)', target.children!.length) : '');
    this.table.replaceChildren(...target.children!.map((c) => this.childRow(c, target)));
    this.render();
  }

  private childRow(c: Loaded, parent: Loaded): HTMLTableRowElement {
    const n = c.node;
    const share = parent.node.retainedSize ? (100 * n.retainedSize) / parent.node.retainedSize : 0;
    const zoom = h('a', { class: 'link', tabindex: 0 }, 'zoom');
    zoom.addEventListener('click', (e) => {
      e.stopPropagation();
      this.zoom(c).catch(this.hooks.error);
    });
    const actions = h('td', { class: 'actions' }, n.dominatedCount ? zoom : '');
    if (n.hasSource) actions.append(' ', sourceLink(n.id, this.hooks.error));
    const row = h(
      'tr',
      { class: 'dom-row', 'data-id': n.id },
      h(
        'td',
        { class: 'name' },
        h('span', { class: `swatch cat-${nodeCategory(n)}` }),
        safeText(label(n)),
        h('span', { class: 'nodeid' }, ` @${n.id}`),
      ),
      cell('retained', bytes(n.retainedSize)),
      cell('share', `${share.toFixed(1)} %`),
      cell('count', n.dominatedCount.toLocaleString()),
      actions,
    );
    row.addEventListener('click', () => this.hooks.select(n));
    return row;
  }

  /** Fetches a node's largest children, once. */
  private async load(n: Loaded): Promise<void> {
    if (n.children || !n.node.dominatedCount) {
      n.children ??= [];
      return;
    }
    const page = await viewerRequests.call('dominatorTree', { nodeId: n.node.id, offset: 0, limit: CHILDREN });
    n.children = page.items.map((node) => ({ node, parent: n, children: null, more: 0 }));
    n.more = page.total - page.items.length;
  }

  /** Redraws on the next frame (coalesces resizes and arriving children). */
  private schedule(): void {
    if (this.frame || !this.focus) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const focus = this.focus;
    if (!focus) return;
    const width = this.canvas.clientWidth || 800;
    const cells = layoutIcicle(
      focus,
      (n) => n.node.retainedSize,
      (n) => n.children,
      width,
      DEPTH,
      1,
    );
    const depth = cells.reduce((d, c) => Math.max(d, c.depth), 0);
    this.canvas.style.height = `${(depth + 1) * ROW_PX + 2}px`;
    this.canvas.replaceChildren(
      ...cells.map(({ item, depth: d, x, w }) => {
        const n = item.node;
        const parentSize = item.parent?.node.retainedSize ?? n.retainedSize;
        const share = parentSize ? (100 * n.retainedSize) / parentSize : 100;
        const text = `${label(n)} ${bytes(n.retainedSize)}${item === focus ? '' : ` · ${share.toFixed(share < 10 ? 1 : 0)} %`}`;
        const el = h(
          'div',
          {
            class: `icicle-cell cat-${nodeCategory(n)}${item === focus ? ' focus' : ''}`,
            role: 'listitem',
            tabindex: w >= 8 ? 0 : -1,
            'data-id': n.id,
            'data-dominates': n.dominatedCount,
            title: l10n.t(
              '{0} @{1}\nretained {2} ({3} % of its dominator)\nshallow {4} · dominates {5} objects',
              label(n),
              n.id,
              bytes(n.retainedSize),
              share.toFixed(1),
              bytes(n.selfSize),
              n.dominatedCount.toLocaleString(),
            ),
          },
          w > 44 ? safeText(text) : '',
        );
        el.style.left = `${x}px`;
        el.style.width = `${Math.max(1, w - 1)}px`;
        el.style.top = `${d * ROW_PX}px`;
        const open = () => {
          this.hooks.select(n);
          if (item !== focus && n.dominatedCount) this.zoom(item).catch(this.hooks.error);
        };
        el.addEventListener('click', open);
        el.addEventListener('keydown', (e) => e.key === 'Enter' && open());
        if (w >= FETCH_PX && d + 1 < DEPTH && !item.children && n.dominatedCount) this.fetch(item);
        return el;
      }),
    );
  }

  /** Loads a visible node's children in the background and redraws when they arrive. */
  private fetch(n: Loaded): void {
    if (this.pending.has(n)) return;
    this.pending.add(n);
    this.load(n).then(
      () => {
        this.pending.delete(n);
        this.schedule();
      },
      (err: unknown) => {
        this.pending.delete(n);
        n.children = [];
        this.hooks.error(err);
      },
    );
  }
}

/** A node's short label: class name, and the name when it says more (a function's, a string's). */
function label(n: { className: string; name: string }): string {
  return n.className === n.name || !n.name ? n.className : `${n.className} ${JSON.stringify(n.name.slice(0, 60))}`;
}
