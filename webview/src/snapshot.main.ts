// The heap snapshot viewer: object-type tree (Summary), dominator tree (icicle), containment, retainer tree,
// comparison.
// Every name shown here comes from the debuggee's heap and is untrusted: it is only ever set as text.
import * as l10n from '@vscode/l10n';
import './common/localize';
import './common/elements';
import type {
  ClassSortKey,
  DiffView,
  GrowthView,
  FromViewerMessage,
  HeapNodeView,
  SnapshotInfoView,
  ToViewerMessage,
} from '../../src/shared/protocol';
import { adoptStyles, h, safeText } from './common/dom';
import { vscodeApi } from './common/vscodeApi';
import { bytes } from './snapshot/cells';
import { diffContent } from './snapshot/diffTable';
import { growthContent } from './snapshot/growthTable';
import { ContainmentView } from './snapshot/containmentView';
import { DominatorIcicle } from './snapshot/dominatorIcicle';
import { appendPaged, classRow, TreeEvents } from './snapshot/objectTree';
import { RetainerPanel, RetainerPanelHooks } from './snapshot/retainerTree';
import css from './snapshot/snapshot.css';
import { DetachedElementsPanel } from './snapshot/detachedElementsView';
import { DuplicateStringsPanel } from './snapshot/duplicateStringsView';
import { GlobalsPanel } from './snapshot/globalsView';
import { StatisticsPanel } from './snapshot/statisticsView';
import { SummaryFilter } from './snapshot/summaryFilter';
import { fileRow } from './snapshot/sourceFileTree';
import type { SummaryGrouping } from '../../src/shared/summaryViewProtocol';
import treeCss from './snapshot/treeViews.css';
import { PAGE, viewerRequests } from './snapshot/viewerRequests';

adoptStyles(css);
adoptStyles(treeCss);
const vscode = vscodeApi<{ filter: string; sort: ClassSortKey; descending: boolean; groupBy?: SummaryGrouping }>();
const saved = vscode.getState() ?? { filter: '', sort: 'retainedSize' as ClassSortKey, descending: true };

// ---- layout ----
const app = document.getElementById('app')!;
const title = h('h1', {}, l10n.t('Heap snapshot'));
const stats = h('span', { class: 'hint', id: 'stats' });
const progress = h('div', { class: 'progress', role: 'status' }, h('vscode-progress-ring'), l10n.t(' Analysing…'));
const errorBox = h('div', { class: 'error', role: 'alert', hidden: true });
app.append(h('header', { class: 'info' }, title, stats), progress, errorBox);

const filterInput = h('input', {
  id: 'class-filter',
  class: 'filter',
  type: 'search',
  placeholder: l10n.t('Filter by class name'),
  'aria-label': l10n.t('Filter by class name'),
  value: saved.filter,
});
const classCount = h('span', { class: 'hint', id: 'class-count' });
const groupBy = h(
  'select',
  { id: 'summary-group-by', class: 'summary-group-by', 'aria-label': l10n.t('Group by') },
  h('option', { value: 'class' }, l10n.t('Group by: Class')),
  h('option', { value: 'file' }, l10n.t('Group by: Source file')),
);
groupBy.value = saved.groupBy ?? 'class';
const findId = h('input', {
  id: 'find-id',
  class: 'filter find-id',
  type: 'search',
  placeholder: '@id',
  'aria-label': l10n.t('Find an object by its @id'),
});
const columns: [ClassSortKey, string][] = [
  ['name', l10n.t('Constructor')],
  ['distance', l10n.t('Distance')],
  ['count', l10n.t('Objects')],
  ['selfSize', l10n.t('Shallow size')],
  ['retainedSize', l10n.t('Retained size')],
];
const headerCells = columns.map(([key, label]) =>
  h('th', { class: key === 'name' ? 'name' : '', 'data-sort': key, scope: 'col', tabindex: 0 }, label),
);
let tbody = h('tbody', { id: 'classes' });
const details = h(
  'div',
  { class: 'details', id: 'details', 'aria-live': 'polite' },
  h('span', { class: 'hint' }, l10n.t('Select an object to see its retainers and the path from the GC roots.')),
);
const summaryFilter = new SummaryFilter(
  () => void loadClasses().catch(showError),
  (err) => showError(err),
);
const summaryPanel = h(
  'div',
  {},
  h('div', { class: 'toolbar' }, summaryFilter.element, groupBy, filterInput, findId, classCount),
  summaryFilter.noteElement,
  h(
    'div',
    { class: 'split' },
    h(
      'div',
      { class: 'table-box' },
      h(
        'table',
        { role: 'treegrid', 'aria-label': l10n.t('Object types') },
        h('thead', {}, h('tr', {}, ...headerCells, h('th', { class: 'source', 'aria-label': l10n.t('Source') }, ''))),
        tbody,
      ),
    ),
    details,
  ),
);
const dominatorDetails = h(
  'div',
  { class: 'details', id: 'dominator-details', 'aria-live': 'polite' },
  h('span', { class: 'hint' }, l10n.t('Select an object to see its retainers.')),
);
const containmentDetails = h(
  'div',
  { class: 'details', id: 'containment-details', 'aria-live': 'polite' },
  h('span', { class: 'hint' }, l10n.t('Select an object to see its retainers.')),
);
const compareButton = h('vscode-button', { id: 'compare' }, l10n.t('Compare with baseline snapshot…'));
const growthButton = h(
  'vscode-button',
  {
    id: 'growth',
    secondary: true,
    title: l10n.t('Objects that grew in every step of 3 or more snapshots of one process'),
  },
  l10n.t('Growth over earlier snapshots…'),
);
const diffBox = h('div', { id: 'diff' });
const growthBox = h('div', { id: 'growth-view' });
const comparePanel = h('div', {}, h('div', { class: 'toolbar' }, compareButton, growthButton), growthBox, diffBox);
const tabs = h(
  'vscode-tabs',
  { hidden: true },
  h('vscode-tab-header', { slot: 'header' }, l10n.t('Summary')),
  h('vscode-tab-panel', {}, summaryPanel),
  h('vscode-tab-header', { slot: 'header', id: 'dominator-tab' }, l10n.t('Dominator tree')),
  h('vscode-tab-panel', { id: 'dominator-panel' }),
  h('vscode-tab-header', { slot: 'header', id: 'containment-tab' }, l10n.t('Containment')),
  h('vscode-tab-panel', { id: 'containment-panel' }),
  h('vscode-tab-header', { slot: 'header' }, l10n.t('Comparison')),
  h('vscode-tab-panel', {}, comparePanel),
  h('vscode-tab-header', { slot: 'header', 'data-view': 'statistics' }, l10n.t('Statistics')),
  h('vscode-tab-panel', {}, h('div', { id: 'statistics' })),
  h('vscode-tab-header', { slot: 'header', 'data-view': 'duplicates' }, l10n.t('Duplicated strings')),
  h('vscode-tab-panel', {}, h('div', { id: 'duplicates' })),
  h('vscode-tab-header', { slot: 'header', 'data-view': 'globals' }, l10n.t('Global variables')),
  h('vscode-tab-panel', {}, h('div', { id: 'globals-panel' })),
  h('vscode-tab-header', { slot: 'header', 'data-view': 'detached' }, l10n.t('Detached elements')),
  h('vscode-tab-panel', {}, h('div', { id: 'detached-panel' })),
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
    summaryRetainers.show(n).catch(showError);
  },
  error: showError,
};

async function loadClasses(): Promise<void> {
  const gen = ++generation;
  const filter = filterInput.value;
  const view = summaryFilter.view;
  const grouping = groupBy.value as SummaryGrouping;
  vscode.setState({ ...saved, filter, groupBy: grouping });
  const anchor = h('tr', { class: 'anchor', hidden: true });
  const fresh = h('tbody', { id: 'classes' }, anchor);
  headerCells[0].textContent = grouping === 'file' ? l10n.t('Source file / constructor') : l10n.t('Constructor');
  filterInput.placeholder =
    grouping === 'file' ? l10n.t('Filter by file or class name') : l10n.t('Filter by class name');
  if (grouping === 'file') {
    const query = { view, filter, sort: saved.sort, descending: saved.descending };
    await appendPaged(
      anchor,
      0,
      async (offset) => {
        const page = await viewerRequests.call('sourceFiles', { ...query, offset, limit: PAGE });
        classCount.textContent =
          filter || view !== 'all'
            ? l10n.t('{0} files match', page.total.toLocaleString())
            : l10n.t('{0} files', page.total.toLocaleString());
        return page;
      },
      (f) => fileRow(f, query, tree),
      tree,
    );
  } else
    await appendPaged(
      anchor,
      0,
      async (offset) => {
        const params = { filter, sort: saved.sort, descending: saved.descending, offset, limit: PAGE };
        const page =
          view === 'all'
            ? await viewerRequests.call('classes', params)
            : await viewerRequests.call('filteredClasses', { ...params, view });
        classCount.textContent =
          filter || view !== 'all'
            ? l10n.t('{0} classes match', page.total.toLocaleString())
            : l10n.t('{0} classes', page.total.toLocaleString());
        return page;
      },
      (c) =>
        view === 'all'
          ? classRow(c, tree)
          : classRow(c, tree, (offset) =>
              viewerRequests.call('filteredInstances', { view, classKey: c.key, offset, limit: PAGE }),
            ),
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

// ---- retainer trees, dominator tree, containment ----
const TABS = { summary: 0, dominators: 1, containment: 2, comparison: 3 };
const selectTab = (index: number) => ((tabs as HTMLElement & { selectedIndex: number }).selectedIndex = index);
const panelHooks: RetainerPanelHooks = {
  error: showError,
  revealInSummary: (n) => void revealInSummary(n).catch(showError),
};
const summaryRetainers = new RetainerPanel(details, panelHooks);
const dominatorRetainers = new RetainerPanel(dominatorDetails, panelHooks);
const containmentRetainers = new RetainerPanel(containmentDetails, panelHooks);
const icicle = new DominatorIcicle({
  error: showError,
  select: (n) => void dominatorRetainers.show(n).catch(showError),
});
const containment = new ContainmentView(
  { select: (_row, n) => void containmentRetainers.show(n).catch(showError), error: showError },
  async () => {
    const root = await viewerRequests.call('dominatorNode', { nodeId: null });
    if (!root) throw new Error(l10n.t('the snapshot has no root node'));
    return root;
  },
);
document.getElementById('dominator-panel')!.append(h('div', { class: 'tree-split' }, icicle.element, dominatorDetails));
document
  .getElementById('containment-panel')!
  .append(h('div', { class: 'tree-split' }, containment.element, containmentDetails));

/** Shows an object's class in the Summary, expanded, with the object selected when it is among the first listed. */
async function revealInSummary(n: HeapNodeView): Promise<void> {
  selectTab(TABS.summary);
  groupBy.value = 'class';
  filterInput.value = n.className;
  await loadClasses();
  const classRow = [...tbody.querySelectorAll<HTMLTableRowElement>('tr.class-row')].find(
    (r) => r.querySelector('td.name')?.childNodes[1]?.textContent === n.className,
  );
  if (!classRow) throw new Error(`class ${n.className} is not in the Summary`);
  classRow.querySelector<HTMLElement>('.twisty')!.click();
  const deadline = Date.now() + 10_000;
  for (;;) {
    const row = tbody.querySelector<HTMLTableRowElement>(`tr.instance-row[data-id="${n.id}"]`);
    if (row) {
      tree.select(row, n);
      row.scrollIntoView({ block: 'center' });
      return;
    }
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await summaryRetainers.show(n);
}

/** Finds an object by `@id` (typed in the Summary's toolbar) and shows its retainers. */
async function findById(text: string): Promise<void> {
  const m = /^@?(\d+)$/.exec(text.trim());
  if (!m) throw new Error(l10n.t('"{0}" is not an object id (type @123 or 123)', text.slice(0, 40)));
  const node = await viewerRequests.call('dominatorNode', { nodeId: Number(m[1]) });
  if (!node) throw new Error(l10n.t('no object @{0} in this snapshot', m[1]));
  selectedRow?.classList.remove('selected');
  selectedRow = null;
  await summaryRetainers.show(node);
}

// ---- statistics, duplicated strings, global variables, detached elements (loaded when first shown) ----
const statisticsPanel = new StatisticsPanel(document.getElementById('statistics')!, showError);
const duplicatesPanel = new DuplicateStringsPanel(document.getElementById('duplicates')!, showError);
const globalsPanel = new GlobalsPanel(document.getElementById('globals-panel')!, showError);
const detachedPanel = new DetachedElementsPanel(document.getElementById('detached-panel')!, showError);
// Keyed by the headers' data-view: vscode-tabs replaces the headers' ids with its own.
const lazyTabs: Record<string, { show(): void }> = {
  statistics: statisticsPanel,
  duplicates: duplicatesPanel,
  globals: globalsPanel,
  detached: detachedPanel,
};

// ---- comparison ----
function renderDiff(d: DiffView | null): void {
  progress.hidden = true;
  if (!d) return;
  diffBox.replaceChildren(...diffContent(d));
  selectTab(TABS.comparison);
}

function renderGrowth(g: GrowthView | null): void {
  progress.hidden = true;
  if (!g) return;
  growthBox.replaceChildren(
    ...growthContent(g, (nodeId) => {
      selectTab(TABS.summary);
      findById(String(nodeId)).catch(showError);
    }),
  );
  selectTab(TABS.comparison);
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
      title.replaceChildren(safeText(m.info.fileName));
      stats.textContent = l10n.t(
        '{0} file · {1} objects · {2} references · total {3}',
        bytes(m.info.fileBytes),
        m.info.nodeCount.toLocaleString(),
        m.info.edgeCount.toLocaleString(),
        bytes(m.info.totalSize),
      );
      progress.hidden = true;
      tabs.hidden = false;
      loadClasses().catch(showError);
      break;
    case 'diff':
      renderDiff(m.diff);
      break;
    case 'growth':
      renderGrowth(m.growth);
      break;
  }
});

groupBy.addEventListener('change', () => void loadClasses().catch(showError));
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
let icicleDrawn = false;
tabs.addEventListener('vsc-tabs-select', (e) => {
  const index = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
  const lazy =
    lazyTabs[(tabs.querySelectorAll('vscode-tab-header')[index] as HTMLElement | undefined)?.dataset.view ?? ''];
  if (info && lazy) requestAnimationFrame(() => lazy.show());
  if (index === TABS.dominators && info && !icicleDrawn) {
    icicleDrawn = true;
    requestAnimationFrame(() => void icicle.draw().catch(showError));
  }
  if (index === TABS.containment && info) containment.draw().catch(showError);
});
findId.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && findId.value.trim()) findById(findId.value).catch(showError);
});
compareButton.addEventListener('click', () => {
  viewerRequests.call('compare', {}).then(renderDiff, showError);
});
growthButton.addEventListener('click', () => {
  viewerRequests.call('growth', {}).then(renderGrowth, showError);
});

vscode.postMessage({ type: 'ready' } satisfies FromViewerMessage);
