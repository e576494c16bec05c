// The heap snapshot viewer: object-type tree (Summary), retained-size treemap, retainer path, comparison.
// Every name shown here comes from the debuggee's heap and is untrusted: it is only ever set as text.
import './common/elements';
import type {
  ClassSortKey,
  DiffView,
  FromViewerMessage,
  HeapNodeView,
  SnapshotInfoView,
  ToViewerMessage,
} from '../../src/shared/protocol';
import { adoptStyles, h } from './common/dom';
import { vscodeApi } from './common/vscodeApi';
import { bytes } from './snapshot/cells';
import { diffContent } from './snapshot/diffTable';
import { appendPaged, classRow, TreeEvents } from './snapshot/objectTree';
import { showRetainerDetails } from './snapshot/retainerDetails';
import css from './snapshot/snapshot.css';
import { TreemapView } from './snapshot/treemapView';
import { PAGE, viewerRequests } from './snapshot/viewerRequests';

adoptStyles(css);
const vscode = vscodeApi<{ filter: string; sort: ClassSortKey; descending: boolean }>();
const saved = vscode.getState() ?? { filter: '', sort: 'retainedSize' as ClassSortKey, descending: true };

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

// ---- errors ----
/** Shows why something failed where the viewer shows errors (a failed request never leaves a spinner behind). */
function showError(err: unknown): void {
  errorBox.hidden = false;
  errorBox.textContent = err instanceof Error ? err.message : String(err);
  progress.hidden = true;
}

// ---- object-type tree ----
let info: SnapshotInfoView | null = null;
let generation = 0;
let selectedRow: HTMLTableRowElement | null = null;
const tree: TreeEvents = {
  select: (row: HTMLTableRowElement, n: HeapNodeView) => {
    selectedRow?.classList.remove('selected');
    selectedRow = row;
    row.classList.add('selected');
    showRetainerDetails(details, n, () => selectedRow === row).catch(showError);
  },
  error: showError,
};

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
      const page = await viewerRequests.call('classes', {
        filter,
        sort: saved.sort,
        descending: saved.descending,
        offset,
        limit: PAGE,
      });
      classCount.textContent = `${page.total.toLocaleString()} classes${filter ? ' match' : ''}`;
      return page;
    },
    (c) => classRow(c, tree),
    tree,
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

// ---- retained-size treemap ----
const treemapView = new TreemapView(crumbs, treemap, showError);

// ---- comparison ----
function renderDiff(d: DiffView | null): void {
  progress.hidden = true;
  if (!d) return;
  diffBox.replaceChildren(...diffContent(d));
  (tabs as HTMLElement & { selectedIndex: number }).selectedIndex = 2;
}

// ---- events ----
window.addEventListener('message', (event: MessageEvent<ToViewerMessage>) => {
  const m = event.data;
  switch (m.type) {
    case 'reply':
    case 'failed':
      viewerRequests.settle(m);
      break;
    case 'progress':
      progress.replaceChildren(h('vscode-progress-ring'), ` ${m.phase} ${Math.round(m.fraction * 100)} %`);
      break;
    case 'error':
      showError(new Error(m.message));
      break;
    case 'loaded':
      info = m.info;
      title.textContent = m.info.fileName;
      stats.textContent = `${bytes(m.info.fileBytes)} file · ${m.info.nodeCount.toLocaleString()} objects · ${m.info.edgeCount.toLocaleString()} references · total ${bytes(m.info.totalSize)}`;
      progress.hidden = true;
      tabs.hidden = false;
      loadClasses().catch(showError);
      break;
    case 'diff':
      renderDiff(m.diff);
      break;
  }
});

let filterTimer: number | undefined;
filterInput.addEventListener('input', () => {
  clearTimeout(filterTimer);
  filterTimer = window.setTimeout(() => loadClasses().catch(showError), 150);
});
for (const th of headerCells) {
  const sortBy = () => {
    const key = th.dataset.sort as ClassSortKey;
    saved.descending = saved.sort === key ? !saved.descending : key !== 'name';
    saved.sort = key;
    vscode.setState({ ...saved, filter: filterInput.value });
    loadClasses().catch(showError);
  };
  th.addEventListener('click', sortBy);
  th.addEventListener('keydown', (e) => e.key === 'Enter' && sortBy());
}
let treemapDrawn = false;
tabs.addEventListener('vsc-tabs-select', (e) => {
  if ((e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex === 1 && info && !treemapDrawn) {
    treemapDrawn = true;
    requestAnimationFrame(() => treemapView.draw());
  }
});
compareButton.addEventListener('click', () => {
  viewerRequests.call('compare', {}).then(renderDiff, showError);
});

vscode.postMessage({ type: 'ready' } satisfies FromViewerMessage);
