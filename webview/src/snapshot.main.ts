// The heap snapshot viewer: object-type tree (Summary), retained-size treemap, retainer path, comparison.
// Every name shown here comes from the debuggee's heap and is untrusted: it is only ever set as text.
import './common/elements';
import { formatBytes } from '../../src/core/format';
import type {
  ClassSortKey,
  DiffView,
  FromViewerMessage,
  HeapClassView,
  HeapEdgeView,
  HeapNodeView,
  PageView,
  RetainerStepView,
  SnapshotInfoView,
  ToViewerMessage,
} from '../../src/shared/protocol';
import { adoptStyles, h } from './common/dom';
import { vscodeApi } from './common/vscodeApi';
import css from './snapshot/snapshot.css';
import { squarify } from './snapshot/treemap';

adoptStyles(css);
const vscode = vscodeApi<{ filter: string; sort: ClassSortKey; descending: boolean }>();
const saved = vscode.getState() ?? { filter: '', sort: 'retainedSize' as ClassSortKey, descending: true };
const PAGE = 100;

// ---- requests ----
type Request = FromViewerMessage extends infer M
  ? M extends { requestId: number }
    ? Omit<M, 'requestId'>
    : never
  : never;
const pending = new Map<number, (m: ToViewerMessage) => void>();
let nextRequest = 1;
function request<T extends ToViewerMessage>(m: Request): Promise<T> {
  const requestId = nextRequest++;
  return new Promise((resolve, reject) => {
    pending.set(requestId, (answer) =>
      answer.type === 'failed' ? reject(new Error(answer.message)) : resolve(answer as T),
    );
    vscode.postMessage({ ...m, requestId });
  });
}

// ---- layout ----
const app = document.getElementById('app')!;
const title = h('h1', {}, 'Heap snapshot');
const stats = h('span', { class: 'hint', id: 'stats' });
const progress = h('div', { class: 'progress', role: 'status' }, h('vscode-progress-ring'), ' Analysing…');
const errorBox = h('div', { class: 'error', role: 'alert', hidden: true });
app.append(h('header', { class: 'info' }, title, stats), progress, errorBox);

const filterInput = h('input', {
  id: 'class-filter',
  class: 'filter',
  type: 'search',
  placeholder: 'Filter by class name',
  'aria-label': 'Filter by class name',
  value: saved.filter,
});
const classCount = h('span', { class: 'hint', id: 'class-count' });
const columns: [ClassSortKey, string][] = [
  ['name', 'Constructor'],
  ['distance', 'Distance'],
  ['count', 'Objects'],
  ['selfSize', 'Shallow size'],
  ['retainedSize', 'Retained size'],
];
const headerCells = columns.map(([key, label]) =>
  h('th', { class: key === 'name' ? 'name' : '', 'data-sort': key, scope: 'col', tabindex: 0 }, label),
);
let tbody = h('tbody', { id: 'classes' });
const details = h(
  'div',
  { class: 'details', id: 'details', 'aria-live': 'polite' },
  h('span', { class: 'hint' }, 'Select an object to see its retainers and the path from the GC roots.'),
);
const summaryPanel = h(
  'div',
  {},
  h('div', { class: 'toolbar' }, filterInput, classCount),
  h(
    'div',
    { class: 'split' },
    h(
      'div',
      { class: 'table-box' },
      h(
        'table',
        { role: 'treegrid', 'aria-label': 'Object types' },
        h('thead', {}, h('tr', {}, ...headerCells)),
        tbody,
      ),
    ),
    details,
  ),
);
const crumbs = h('div', { class: 'crumbs', id: 'crumbs' });
const treemap = h('div', {
  class: 'treemap',
  id: 'treemap',
  role: 'list',
  'aria-label': 'Largest retained sizes (dominator tree)',
});
const treemapPanel = h(
  'div',
  {},
  h(
    'p',
    { class: 'hint' },
    'Each tile is an object sized by what it retains (dominator tree). Click a tile to look inside.',
  ),
  crumbs,
  treemap,
);
const compareButton = h('vscode-button', { id: 'compare' }, 'Compare with baseline snapshot…');
const diffBox = h('div', { id: 'diff' });
const comparePanel = h('div', {}, h('div', { class: 'toolbar' }, compareButton), diffBox);
const tabs = h(
  'vscode-tabs',
  { hidden: true },
  h('vscode-tab-header', { slot: 'header' }, 'Summary'),
  h('vscode-tab-panel', {}, summaryPanel),
  h('vscode-tab-header', { slot: 'header', id: 'treemap-tab' }, 'Retained size'),
  h('vscode-tab-panel', {}, treemapPanel),
  h('vscode-tab-header', { slot: 'header' }, 'Comparison'),
  h('vscode-tab-panel', {}, comparePanel),
);
app.append(tabs);

// ---- object-type tree ----
const bytes = (n: number) => formatBytes(n);
const distanceText = (d: number) => (d < 0 || d >= 100_000_000 ? '—' : String(d));
let info: SnapshotInfoView | null = null;
let generation = 0;

function cell(cls: string, text: string): HTMLTableCellElement {
  return h('td', { class: cls }, text);
}

function classRow(c: HeapClassView): HTMLTableRowElement {
  const twisty = h('span', { class: 'twisty', role: 'button', 'aria-label': `Show instances of ${c.name}` }, '▸');
  const row = h(
    'tr',
    { class: 'class-row', 'aria-level': 1, 'aria-expanded': 'false' },
    h('td', { class: 'name' }, twisty, c.name, h('span', { class: 'hint' }, ` ×${c.count}`)),
    cell('distance', distanceText(c.distance)),
    cell('count', c.count.toLocaleString()),
    cell('self', bytes(c.selfSize)),
    cell('retained', bytes(c.retainedSize)),
  );
  let children: HTMLTableRowElement[] = [];
  twisty.addEventListener('click', async () => {
    if (children.length) {
      children.forEach(removeSubtree);
      children = [];
      twisty.textContent = '▸';
      row.setAttribute('aria-expanded', 'false');
      return;
    }
    twisty.textContent = '▾';
    row.setAttribute('aria-expanded', 'true');
    children = await appendPaged(
      row,
      1,
      (offset) =>
        request<{ type: 'instances'; requestId: number; page: PageView<HeapNodeView> }>({
          type: 'getInstances',
          classKey: c.key,
          offset,
          limit: PAGE,
        }).then((m) => m.page),
      (n) => nodeRow(n, 2, null),
    );
  });
  return row;
}

/** A row for one object (an instance, or the target of an edge); expanding shows its outgoing edges. */
function nodeRow(n: HeapNodeView, depth: number, edge: { name: string; edgeType: string } | null): HTMLTableRowElement {
  const twisty = h('span', { class: 'twisty', role: 'button', 'aria-label': 'Show references' }, '▸');
  const name = h('td', { class: 'name' }, twisty);
  name.style.paddingLeft = `${depth * 14}px`;
  if (edge) name.append(h('span', { class: 'edge' }, edgeLabel(edge)), ' :: ');
  name.append(
    n.className === n.name || !n.name ? n.className : `${n.className} ${JSON.stringify(n.name.slice(0, 120))}`,
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
  );
  let children: HTMLTableRowElement[] = [];
  twisty.addEventListener('click', async (e) => {
    e.stopPropagation();
    if (children.length) {
      children.forEach(removeSubtree);
      children = [];
      twisty.textContent = '▸';
      return;
    }
    twisty.textContent = '▾';
    children = await appendPaged(
      row,
      depth,
      (offset) =>
        request<{ type: 'edges'; requestId: number; page: PageView<HeapEdgeView> }>({
          type: 'getChildren',
          nodeId: n.id,
          offset,
          limit: PAGE,
        }).then((m) => m.page),
      (e2) => nodeRow(e2.node, depth + 1, e2),
    );
  });
  row.addEventListener('click', () => select(row, n));
  return row;
}

function edgeLabel(e: { name: string; edgeType: string }): string {
  return e.edgeType === 'element' || e.edgeType === 'hidden' ? `[${e.name}]` : e.name;
}

const subtrees = new WeakMap<HTMLTableRowElement, HTMLTableRowElement[]>();
function removeSubtree(row: HTMLTableRowElement): void {
  (subtrees.get(row) ?? []).forEach(removeSubtree);
  row.remove();
}

/** Inserts one page of child rows after `parent`, plus a "show more" row while more remain. */
async function appendPaged<T>(
  parent: HTMLTableRowElement,
  depth: number,
  load: (offset: number) => Promise<PageView<T>>,
  render: (item: T) => HTMLTableRowElement,
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
        `Show ${Math.min(PAGE, page.total - shown)} more of ${page.total - shown}…`,
      );
      const td = h('td', { colspan: 5 }, link);
      td.style.paddingLeft = `${(depth + 1) * 14}px`;
      const more = h('tr', { class: 'more' }, td);
      anchor.after(more);
      rows.push(more);
      link.addEventListener('click', () => {
        more.remove();
        rows.splice(rows.indexOf(more), 1);
        void loadFrom(shown);
      });
    }
  };
  await loadFrom(0);
  subtrees.set(parent, rows);
  return rows;
}

async function loadClasses(): Promise<void> {
  const gen = ++generation;
  const filter = filterInput.value;
  vscode.setState({ ...saved, filter });
  const anchor = h('tr', { class: 'anchor', hidden: true });
  const fresh = h('tbody', { id: 'classes' }, anchor);
  await appendPaged(
    anchor,
    0,
    async (offset) => {
      const page = (
        await request<{ type: 'classes'; requestId: number; page: PageView<HeapClassView> }>({
          type: 'getClasses',
          filter,
          sort: saved.sort,
          descending: saved.descending,
          offset,
          limit: PAGE,
        })
      ).page;
      classCount.textContent = `${page.total.toLocaleString()} classes${filter ? ' match' : ''}`;
      return page;
    },
    classRow,
  );
  if (gen !== generation) return;
  tbody.replaceWith(fresh);
  tbody = fresh;
  headerCells.forEach((th) => {
    th.classList.toggle('sorted-asc', th.dataset.sort === saved.sort && !saved.descending);
    th.classList.toggle('sorted-desc', th.dataset.sort === saved.sort && saved.descending);
    th.setAttribute(
      'aria-sort',
      th.dataset.sort === saved.sort ? (saved.descending ? 'descending' : 'ascending') : 'none',
    );
  });
}

// ---- details: retainers and retainer path ----
let selectedRow: HTMLTableRowElement | null = null;
async function select(row: HTMLTableRowElement, n: HeapNodeView): Promise<void> {
  selectedRow?.classList.remove('selected');
  selectedRow = row;
  row.classList.add('selected');
  details.replaceChildren(
    h('h2', {}, `${n.className} @${n.id}`),
    h(
      'span',
      { class: 'hint' },
      `shallow ${bytes(n.selfSize)}, retained ${bytes(n.retainedSize)}, distance ${distanceText(n.distance)}`,
    ),
  );
  const [path, retainers] = await Promise.all([
    request<{ type: 'retainerPath'; requestId: number; path: RetainerStepView[] }>({
      type: 'getRetainerPath',
      nodeId: n.id,
    }),
    request<{ type: 'edges'; requestId: number; page: PageView<HeapEdgeView> }>({
      type: 'getRetainers',
      nodeId: n.id,
      offset: 0,
      limit: 20,
    }),
  ]);
  if (selectedRow !== row) return;
  const steps = path.path.map((s) =>
    h(
      'li',
      {},
      s.edge ? h('span', { class: 'edge' }, edgeLabel(s.edge)) : '',
      s.edge ? ' → ' : '',
      `${s.node.className} @${s.node.id}`,
    ),
  );
  details.append(
    h('h2', {}, 'Retainer path from the GC roots'),
    steps.length
      ? h('ol', { class: 'path', id: 'retainer-path' }, ...steps)
      : h('p', { class: 'hint' }, 'No path from the GC roots (unreachable or only weakly held).'),
    h('h2', {}, `Retainers (${retainers.page.total})`),
    h(
      'ul',
      {},
      ...retainers.page.items.map((e) =>
        h(
          'li',
          {},
          h('span', { class: 'edge' }, edgeLabel(e)),
          ` in ${e.node.className} @${e.node.id} (retained ${bytes(e.node.retainedSize)})`,
        ),
      ),
    ),
  );
}

// ---- retained-size treemap ----
const trail: { id: number | null; label: string }[] = [{ id: null, label: '(GC roots)' }];
async function drawTreemap(): Promise<void> {
  const here = trail[trail.length - 1];
  crumbs.replaceChildren(
    ...trail.flatMap((c, i) => {
      const link = h('a', { class: 'link', tabindex: 0 }, c.label);
      link.addEventListener('click', () => {
        trail.splice(i + 1);
        void drawTreemap();
      });
      return i ? [' › ', link] : [link];
    }),
  );
  const page = (
    await request<{ type: 'dominated'; requestId: number; page: PageView<HeapNodeView> }>({
      type: 'getDominated',
      nodeId: here.id,
      offset: 0,
      limit: 40,
    })
  ).page;
  const items = page.items.filter((n) => n.retainedSize > 0);
  const box = treemap.getBoundingClientRect();
  const rects = squarify(
    items.map((n) => n.retainedSize),
    { x: 0, y: 0, w: box.width || 800, h: box.height || 400 },
  );
  const total = items.reduce((a, n) => a + n.retainedSize, 0) || 1;
  treemap.replaceChildren(
    ...items.map((n, i) => {
      const r = rects[i];
      const share = n.retainedSize / total;
      const tile = h(
        'div',
        {
          class: 'tile',
          role: 'listitem',
          tabindex: 0,
          title: `${n.className} @${n.id}: retained ${bytes(n.retainedSize)}`,
        },
        r.w > 40 && r.h > 14 ? `${n.className} ${bytes(n.retainedSize)}` : '',
      );
      Object.assign(tile.style, {
        left: `${r.x}px`,
        top: `${r.y}px`,
        width: `${r.w}px`,
        height: `${r.h}px`,
        background: `color-mix(in srgb, var(--vscode-charts-blue, #3794ff) ${Math.round(25 + 60 * Math.sqrt(share))}%, var(--vscode-editor-background))`,
      });
      const open = () => {
        trail.push({ id: n.id, label: `${n.className} @${n.id}` });
        void drawTreemap();
      };
      tile.addEventListener('click', open);
      tile.addEventListener('keydown', (e) => e.key === 'Enter' && open());
      return tile;
    }),
  );
  if (!items.length) treemap.append(h('p', { class: 'hint' }, 'This object dominates nothing else.'));
}

// ---- comparison ----
function renderDiff(d: DiffView | null): void {
  if (!d) return;
  const sign = (n: number) => (n > 0 ? `+${n.toLocaleString()}` : n.toLocaleString());
  const signBytes = (n: number) => (n > 0 ? `+${bytes(n)}` : n < 0 ? `−${bytes(-n)}` : '0');
  diffBox.replaceChildren(
    h(
      'p',
      {},
      `Compared with ${d.against}: ${d.addedCount.toLocaleString()} objects added (${bytes(d.addedSize)}), ${d.removedCount.toLocaleString()} removed (${bytes(d.removedSize)}).`,
    ),
    h(
      'div',
      { class: 'table-box' },
      h(
        'table',
        { id: 'diff-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Constructor', '# New', '# Deleted', '# Delta', 'Alloc. size', 'Freed size', 'Size delta'].map((c, i) =>
              h('th', { class: i === 0 ? 'name' : '', scope: 'col' }, c),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          ...d.rows.map((r) =>
            h(
              'tr',
              { class: 'diff-row' },
              cell('name', r.name),
              cell('', r.addedCount.toLocaleString()),
              cell('', r.removedCount.toLocaleString()),
              cell(r.countDelta > 0 ? 'delta-pos' : 'delta-neg', sign(r.countDelta)),
              cell('', bytes(r.addedSize)),
              cell('', bytes(r.removedSize)),
              cell(r.sizeDelta > 0 ? 'delta-pos' : 'delta-neg', signBytes(r.sizeDelta)),
            ),
          ),
        ),
      ),
    ),
  );
  (tabs as HTMLElement & { selectedIndex: number }).selectedIndex = 2;
}

// ---- events ----
window.addEventListener('message', (event: MessageEvent<ToViewerMessage>) => {
  const m = event.data;
  if ('requestId' in m && m.type !== 'diff') {
    pending.get(m.requestId)?.(m);
    pending.delete(m.requestId);
    return;
  }
  switch (m.type) {
    case 'progress':
      progress.replaceChildren(h('vscode-progress-ring'), ` ${m.phase} ${Math.round(m.fraction * 100)} %`);
      break;
    case 'error':
      errorBox.hidden = false;
      errorBox.textContent = m.message;
      progress.hidden = true;
      break;
    case 'loaded':
      info = m.info;
      title.textContent = m.info.fileName;
      stats.textContent = `${bytes(m.info.fileBytes)} file · ${m.info.nodeCount.toLocaleString()} objects · ${m.info.edgeCount.toLocaleString()} references · total ${bytes(m.info.totalSize)}`;
      progress.hidden = true;
      tabs.hidden = false;
      void loadClasses();
      break;
    case 'diff':
      pending.get(m.requestId)?.(m);
      pending.delete(m.requestId);
      progress.hidden = true;
      renderDiff(m.diff);
      break;
  }
});

let filterTimer: number | undefined;
filterInput.addEventListener('input', () => {
  clearTimeout(filterTimer);
  filterTimer = window.setTimeout(() => void loadClasses(), 150);
});
for (const th of headerCells) {
  const sortBy = () => {
    const key = th.dataset.sort as ClassSortKey;
    saved.descending = saved.sort === key ? !saved.descending : key !== 'name';
    saved.sort = key;
    vscode.setState({ ...saved, filter: filterInput.value });
    void loadClasses();
  };
  th.addEventListener('click', sortBy);
  th.addEventListener('keydown', (e) => e.key === 'Enter' && sortBy());
}
let treemapDrawn = false;
tabs.addEventListener('vsc-tabs-select', (e) => {
  if ((e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex === 1 && info && !treemapDrawn) {
    treemapDrawn = true;
    requestAnimationFrame(() => void drawTreemap());
  }
});
compareButton.addEventListener('click', () => {
  void request<{ type: 'diff'; requestId: number; diff: DiffView | null }>({ type: 'compare' });
});

vscode.postMessage({ type: 'ready' } satisfies FromViewerMessage);
