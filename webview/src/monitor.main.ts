// The Monitor panel: live timeline, table and alert history of the active session.
import * as l10n from '@vscode/l10n';
import './common/localize';
import './common/elements';
import { formatBytes } from '../../src/core/format';
import { DOM_METRICS, formatCount, PAGE_RSS_TEXT } from '../../src/core/metrics/domMetrics';
import { PANEL_METRICS } from '../../src/core/metrics/memoryMetrics';
import type {
  AlertLevelName,
  AlertView,
  FromMonitorMessage,
  MonitorPanelState,
  SampleView,
  SessionView,
  ToMonitorMessage,
} from '../../src/shared/protocol';
import { adoptStyles, h, timeOfDay } from './common/dom';
import { vscodeApi } from './common/vscodeApi';
import css from './monitor/monitor.css';
import { DiagnosticsPanel } from './monitor/diagnosticsPanel';
import { DomChart } from './monitor/domChart';
import { TimelineChart } from './monitor/timelineChart';

adoptStyles(css);
const vscode = vscodeApi<MonitorPanelState>();
const state: MonitorPanelState = vscode.getState() ?? { view: 'chart', sessionId: null, hidden: [] };
const send = (m: FromMonitorMessage) => vscode.postMessage(m);

const LEVEL_TEXT: Record<AlertLevelName, string> = {
  normal: l10n.t('✓ normal'),
  warning: l10n.t('⚠ WARNING'),
  critical: l10n.t('⛔ CRITICAL'),
  emergency: l10n.t('🚨 EMERGENCY'),
  leak: l10n.t('⚠ LEAK SUSPECTED'),
};
const TABLE_ROWS = 300;

let samples: SampleView[] = [];
let alerts: AlertView[] = [];
let sessions: SessionView[] = [];
let activeId: string | null = null;

// ---- layout ----
const app = document.getElementById('app')!;
const sessionSelect = h('vscode-single-select', {
  id: 'session',
  'aria-label': l10n.t('Monitored session'),
}) as HTMLElement & {
  value: string;
};
const button = (id: string, text: string, secondary = false, title = '') =>
  h('vscode-button', { id, secondary, title: title || undefined }, text) as HTMLElement & { disabled: boolean };
const gcButton = button(
  'gc',
  l10n.t('Diagnostic GC'),
  false,
  l10n.t('Force a full garbage collection and report what it freed'),
);
const gcCycleButton = button(
  'gc-cycle',
  l10n.t('GC + test cycle'),
  true,
  l10n.t('Also verify that the collector reclaims an unreachable cycle'),
);
const snapshotButton = button(
  'snapshot',
  l10n.t('Take Snapshot'),
  false,
  l10n.t('Capture a heap snapshot and open it'),
);
const csvButton = button('export-csv', l10n.t('Export CSV'), true);
const jsonButton = button('export-json', l10n.t('Export JSON'), true);
const countButton = button(
  'count-objects',
  l10n.t('Count watched objects now'),
  true,
  l10n.t('Count live instances of the memoryMonitor.watchedClasses (one full GC in the debuggee)'),
);
const detailedGcButton = button(
  'gc-detailed',
  l10n.t('Detailed GC (per heap space)'),
  true,
  l10n.t('Diagnostic GC that also reports each V8 heap space before and after'),
);
const TAB_VIEWS: MonitorPanelState['view'][] = ['chart', 'table', 'alerts', 'diagnostics'];
app.append(
  h(
    'header',
    { class: 'toolbar', role: 'toolbar', 'aria-label': l10n.t('Memory Monitor actions') },
    h('label', { for: 'session' }, l10n.t('Session')),
    sessionSelect,
    gcButton,
    gcCycleButton,
    snapshotButton,
    h('span', { class: 'spacer' }),
    csvButton,
    jsonButton,
  ),
);
const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const figure = (label: string, value: HTMLElement) =>
  h('div', { class: 'figure' }, h('span', { class: 'label' }, label), value);
/** The latest value of each figure, with an id (`heap-used`, `rss`, …) for tests and assistive tools. */
const figures = PANEL_METRICS.map((m) => h('span', { class: 'value', id: kebab(m.key) }, '—'));
/** A browser page's DOM counters (`dom-nodes`, `dom-documents`, `dom-listeners`), shown only for pages. */
const domFigures = DOM_METRICS.map((m) => h('span', { class: 'value', id: m.id }, '—'));
const domFigureBoxes = DOM_METRICS.map((m, i) => figure(m.label, domFigures[i]));
const levelBadge = h('span', { class: 'level normal', id: 'level', role: 'status' }, LEVEL_TEXT.normal);
const countText = h('span', { id: 'sample-count', class: 'hint' }, l10n.t('{0} samples', 0));
app.append(
  h(
    'section',
    { class: 'summary', 'aria-live': 'polite' },
    ...PANEL_METRICS.map((m, i) => figure(m.panel.label, figures[i])),
    ...domFigureBoxes,
    h('div', { class: 'figure' }, h('span', { class: 'label' }, l10n.t('Alert level')), levelBadge),
    h('div', { class: 'figure' }, h('span', { class: 'label' }, l10n.t('Recorded')), countText),
  ),
);
const emptyNote = h(
  'div',
  { class: 'empty', id: 'empty' },
  l10n.t('No session is being monitored. Start debugging a Node.js program (F5), or run “Memory: Start Monitoring”.'),
);
const canvas = h('canvas', {
  id: 'timeline',
  role: 'img',
  'aria-label': l10n.t('Memory timeline chart; the Table tab has the same data'),
});
const domCanvas = h('canvas', {
  id: 'dom-timeline',
  role: 'img',
  'aria-label': l10n.t("The page's DOM nodes, documents and JavaScript event listeners over time"),
});
const domChartBox = h('div', { class: 'dom-chart-box', id: 'dom-chart-box' }, domCanvas);
const zoomNote = h(
  'span',
  { class: 'hint' },
  l10n.t(
    'Scroll to zoom, drag to pan. Markers: G = diagnostic GC, S = snapshot, ! = alert, – = diagnostic skipped (debuggee busy or paused).',
  ),
);
const diagnosticsRoot = h('div', { id: 'diagnostics' });
const resetZoomButton = button('reset-zoom', l10n.t('Reset zoom'), true);
const tableBody = h('tbody');
/** A page's DOM counter columns, hidden for other sessions. */
const domHeads = DOM_METRICS.map((m) => h('th', { scope: 'col' }, m.label));
const alertList = h('ul', { class: 'alerts', id: 'alerts' });
const tabs = h(
  'vscode-tabs',
  { 'selected-index': Math.max(0, TAB_VIEWS.indexOf(state.view)) },
  h('vscode-tab-header', { slot: 'header' }, l10n.t('Chart')),
  h(
    'vscode-tab-panel',
    {},
    h('div', { class: 'chart-actions' }, resetZoomButton, zoomNote),
    h('div', { class: 'chart-box' }, canvas),
    domChartBox,
  ),
  h('vscode-tab-header', { slot: 'header' }, l10n.t('Table')),
  h(
    'vscode-tab-panel',
    {},
    h(
      'div',
      { class: 'table-box' },
      h(
        'table',
        { id: 'samples-table' },
        h('caption', { class: 'sr-only' }, `Most recent ${TABLE_ROWS} samples, newest first`),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...[l10n.t('Time'), ...PANEL_METRICS.map((m) => m.panel.label)].map((c) => h('th', { scope: 'col' }, c)),
            ...domHeads,
          ),
        ),
        tableBody,
      ),
    ),
  ),
  h('vscode-tab-header', { slot: 'header' }, l10n.t('Alerts')),
  h('vscode-tab-panel', {}, alertList),
  h('vscode-tab-header', { slot: 'header', id: 'diagnostics-tab' }, l10n.t('Diagnostics')),
  h('vscode-tab-panel', {}, diagnosticsRoot),
);
app.append(emptyNote, tabs);

const chart = new TimelineChart(canvas, (zoomed) => (resetZoomButton.style.visibility = zoomed ? 'visible' : 'hidden'));
resetZoomButton.style.visibility = 'hidden';
const domChart = new DomChart(domCanvas);
const diagnostics = new DiagnosticsPanel(diagnosticsRoot, countButton, detailedGcButton);

// ---- rendering ----
function renderSessions(): void {
  sessionSelect.replaceChildren(
    ...sessions.map((s) =>
      h(
        'vscode-option',
        { value: s.id, selected: s.id === activeId },
        s.name +
          (s.kind === 'worker'
            ? l10n.t(' — Worker {0}', s.threadId ?? '')
            : s.kind === 'page'
              ? l10n.t(' — page')
              : '') +
          (s.pid ? l10n.t(' (pid {0})', s.pid) : '') +
          (s.ended ? l10n.t(' — ended') : ''),
      ),
    ),
  );
  if (activeId) sessionSelect.value = activeId;
  const live = sessions.find((s) => s.id === activeId && !s.ended);
  for (const b of [gcButton, gcCycleButton, snapshotButton, countButton, detailedGcButton]) b.disabled = !live;
  for (const b of [csvButton, jsonButton]) b.disabled = !activeId;
  emptyNote.hidden = sessions.length > 0;
  state.sessionId = activeId;
  vscode.setState(state);
}

function renderLevel(level: AlertLevelName): void {
  levelBadge.className = `level ${level}`;
  levelBadge.textContent = LEVEL_TEXT[level];
}

/** True when the active session is a browser page: DOM counters shown, RSS said to be unavailable (never 0). */
function activeIsPage(): boolean {
  return sessions.find((s) => s.id === activeId)?.kind === 'page' || !!samples[samples.length - 1]?.dom;
}

function renderFigures(): void {
  const last = samples[samples.length - 1];
  const page = activeIsPage();
  PANEL_METRICS.forEach(
    (m, i) =>
      (figures[i].textContent =
        m.key === 'rss' && page && last?.rss == null ? PAGE_RSS_TEXT : formatBytes(last?.[m.key])),
  );
  DOM_METRICS.forEach((m, i) => (domFigures[i].textContent = formatCount(last?.dom?.[m.key])));
  for (const box of domFigureBoxes) box.hidden = !page;
  domChartBox.hidden = !page;
  for (const th of domHeads) th.hidden = !page;
  countText.textContent = l10n.t('{0} samples', samples.length);
  app.dataset.sampleCount = String(samples.length);
}

function tableRow(s: SampleView): HTMLTableRowElement {
  const dom = activeIsPage() ? DOM_METRICS.map((m) => h('td', {}, formatCount(s.dom?.[m.key]))) : [];
  return h(
    'tr',
    {},
    h('td', {}, timeOfDay(s.t)),
    ...PANEL_METRICS.map((m) => h('td', {}, formatBytes(s[m.key]))),
    ...dom,
  );
}

function renderTable(): void {
  tableBody.replaceChildren(...samples.slice(-TABLE_ROWS).reverse().map(tableRow));
}

function alertItem(a: AlertView): HTMLLIElement {
  const text = a.cleared
    ? l10n.t('{0} — level back to {1}', timeOfDay(a.t), a.level)
    : l10n.t(
        '{0} — {1}: {2} {3} above {4}',
        timeOfDay(a.t),
        LEVEL_TEXT[a.level],
        a.metric,
        formatBytes(a.value),
        formatBytes(a.limit),
      );
  return h('li', {}, text);
}

function renderAlerts(): void {
  alertList.replaceChildren(
    ...(alerts.length ? [...alerts].reverse().map(alertItem) : [h('li', { class: 'hint' }, l10n.t('No alerts.'))]),
  );
}

// ---- messages ----
window.addEventListener('message', (event: MessageEvent<ToMonitorMessage>) => {
  const m = event.data;
  switch (m.type) {
    case 'state':
      sessions = m.sessions;
      activeId = m.activeSessionId;
      samples = [...m.samples];
      alerts = [...m.alerts];
      chart.setThresholds(m.thresholds);
      chart.reset(samples, m.markers);
      domChart.reset(samples);
      renderSessions();
      renderFigures();
      renderTable();
      renderAlerts();
      renderLevel(sessions.find((s) => s.id === activeId)?.level ?? 'normal');
      break;
    case 'sessions':
      sessions = m.sessions;
      activeId = m.activeSessionId;
      renderSessions();
      renderFigures();
      break;
    case 'sample':
      if (m.sessionId !== activeId) return;
      samples.push(m.sample);
      chart.push(m.sample);
      domChart.push(m.sample);
      renderFigures();
      tableBody.prepend(tableRow(m.sample));
      while (tableBody.childElementCount > TABLE_ROWS) tableBody.lastElementChild!.remove();
      break;
    case 'marker':
      if (m.sessionId === activeId) chart.addMarker(m.marker);
      break;
    case 'alert':
      if (m.sessionId !== activeId) return;
      alerts.push(m.alert);
      renderAlerts();
      renderLevel(m.alert.level);
      break;
    case 'thresholds':
      chart.setThresholds(m.thresholds);
      break;
    case 'diagnostics':
      if (m.sessionId === activeId) diagnostics.set(m.diagnostics);
      break;
    case 'objects':
      if (m.sessionId === activeId) diagnostics.addObjects(m.objects);
      break;
    case 'gcEffect':
      if (m.sessionId === activeId) diagnostics.addGc(m.gc);
      break;
    case 'reveal':
      (tabs as HTMLElement & { selectedIndex: number }).selectedIndex = TAB_VIEWS.indexOf(m.view);
      state.view = m.view;
      vscode.setState(state);
      break;
    case 'busy': {
      const buttons = m.action === 'gc' ? [gcButton, gcCycleButton, detailedGcButton] : [snapshotButton];
      for (const b of buttons) b.disabled = m.busy;
      break;
    }
  }
});

// ---- user actions ----
sessionSelect.addEventListener('change', () => {
  if (sessionSelect.value && sessionSelect.value !== activeId)
    send({ type: 'selectSession', sessionId: sessionSelect.value });
});
gcButton.addEventListener('click', () => send({ type: 'runGc', testCycle: false }));
gcCycleButton.addEventListener('click', () => send({ type: 'runGc', testCycle: true }));
snapshotButton.addEventListener('click', () => send({ type: 'takeSnapshot' }));
countButton.addEventListener('click', () => send({ type: 'countObjects' }));
detailedGcButton.addEventListener('click', () => send({ type: 'runGc', testCycle: false, detailed: true }));
csvButton.addEventListener('click', () => send({ type: 'export', format: 'csv' }));
jsonButton.addEventListener('click', () => send({ type: 'export', format: 'json' }));
resetZoomButton.addEventListener('click', () => chart.resetZoom());
tabs.addEventListener('vsc-tabs-select', (e) => {
  state.view = TAB_VIEWS[(e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex] ?? 'chart';
  vscode.setState(state);
});

send({ type: 'ready' });
