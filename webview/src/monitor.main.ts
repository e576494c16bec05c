// The Monitor panel: live timeline, table and alert history of the active session.
import './common/elements';
import { formatBytes } from '../../src/core/format';
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
import { TimelineChart } from './monitor/timelineChart';

adoptStyles(css);
const vscode = vscodeApi<MonitorPanelState>();
const state: MonitorPanelState = vscode.getState() ?? { view: 'chart', sessionId: null, hidden: [] };
const send = (m: FromMonitorMessage) => vscode.postMessage(m);

const LEVEL_TEXT: Record<AlertLevelName, string> = {
  normal: '✓ normal',
  warning: '⚠ WARNING',
  critical: '⛔ CRITICAL',
  emergency: '🚨 EMERGENCY',
  leak: '⚠ LEAK SUSPECTED',
};
const TABLE_ROWS = 300;

let samples: SampleView[] = [];
let alerts: AlertView[] = [];
let sessions: SessionView[] = [];
let activeId: string | null = null;

// ---- layout ----
const app = document.getElementById('app')!;
const sessionSelect = h('vscode-single-select', { id: 'session', 'aria-label': 'Monitored session' }) as HTMLElement & {
  value: string;
};
const button = (id: string, text: string, secondary = false, title = '') =>
  h('vscode-button', { id, secondary, title: title || undefined }, text) as HTMLElement & { disabled: boolean };
const gcButton = button('gc', 'Diagnostic GC', false, 'Force a full garbage collection and report what it freed');
const gcCycleButton = button(
  'gc-cycle',
  'GC + test cycle',
  true,
  'Also verify that the collector reclaims an unreachable cycle',
);
const snapshotButton = button('snapshot', 'Take Snapshot', false, 'Capture a heap snapshot and open it');
const csvButton = button('export-csv', 'Export CSV', true);
const jsonButton = button('export-json', 'Export JSON', true);
const countButton = button(
  'count-objects',
  'Count watched objects now',
  true,
  'Count live instances of the memoryMonitor.watchedClasses (one full GC in the debuggee)',
);
const detailedGcButton = button(
  'gc-detailed',
  'Detailed GC (per heap space)',
  true,
  'Diagnostic GC that also reports each V8 heap space before and after',
);
const TAB_VIEWS: MonitorPanelState['view'][] = ['chart', 'table', 'alerts', 'diagnostics'];
app.append(
  h(
    'header',
    { class: 'toolbar', role: 'toolbar', 'aria-label': 'Memory Monitor actions' },
    h('label', { for: 'session' }, 'Session'),
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
/** The latest value of each figure, with an id (`heap-used`, `rss`, …) for tests and assistive tools. */
const figures = PANEL_METRICS.map((m) => h('span', { class: 'value', id: kebab(m.key) }, '—'));
const levelBadge = h('span', { class: 'level normal', id: 'level', role: 'status' }, LEVEL_TEXT.normal);
const countText = h('span', { id: 'sample-count', class: 'hint' }, '0 samples');
const figure = (label: string, value: HTMLElement) =>
  h('div', { class: 'figure' }, h('span', { class: 'label' }, label), value);
app.append(
  h(
    'section',
    { class: 'summary', 'aria-live': 'polite' },
    ...PANEL_METRICS.map((m, i) => figure(m.panel.label, figures[i])),
    h('div', { class: 'figure' }, h('span', { class: 'label' }, 'Alert level'), levelBadge),
    h('div', { class: 'figure' }, h('span', { class: 'label' }, 'Recorded'), countText),
  ),
);
const emptyNote = h(
  'div',
  { class: 'empty', id: 'empty' },
  'No session is being monitored. Start debugging a Node.js program (F5), or run “Memory: Start Monitoring”.',
);
const canvas = h('canvas', {
  id: 'timeline',
  role: 'img',
  'aria-label': 'Memory timeline chart; the Table tab has the same data',
});
const zoomNote = h(
  'span',
  { class: 'hint' },
  'Scroll to zoom, drag to pan. Markers: G = diagnostic GC, S = snapshot, ! = alert, – = diagnostic skipped (debuggee busy or paused).',
);
const diagnosticsRoot = h('div', { id: 'diagnostics' });
const resetZoomButton = button('reset-zoom', 'Reset zoom', true);
const tableBody = h('tbody');
const alertList = h('ul', { class: 'alerts', id: 'alerts' });
const tabs = h(
  'vscode-tabs',
  { 'selected-index': Math.max(0, TAB_VIEWS.indexOf(state.view)) },
  h('vscode-tab-header', { slot: 'header' }, 'Chart'),
  h(
    'vscode-tab-panel',
    {},
    h('div', { class: 'chart-actions' }, resetZoomButton, zoomNote),
    h('div', { class: 'chart-box' }, canvas),
  ),
  h('vscode-tab-header', { slot: 'header' }, 'Table'),
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
          h('tr', {}, ...['Time', ...PANEL_METRICS.map((m) => m.panel.label)].map((c) => h('th', { scope: 'col' }, c))),
        ),
        tableBody,
      ),
    ),
  ),
  h('vscode-tab-header', { slot: 'header' }, 'Alerts'),
  h('vscode-tab-panel', {}, alertList),
  h('vscode-tab-header', { slot: 'header', id: 'diagnostics-tab' }, 'Diagnostics'),
  h('vscode-tab-panel', {}, diagnosticsRoot),
);
app.append(emptyNote, tabs);

const chart = new TimelineChart(canvas, (zoomed) => (resetZoomButton.style.visibility = zoomed ? 'visible' : 'hidden'));
resetZoomButton.style.visibility = 'hidden';
const diagnostics = new DiagnosticsPanel(diagnosticsRoot, countButton, detailedGcButton);

// ---- rendering ----
function renderSessions(): void {
  sessionSelect.replaceChildren(
    ...sessions.map((s) =>
      h(
        'vscode-option',
        { value: s.id, selected: s.id === activeId },
        `${s.name}${s.pid ? ` (pid ${s.pid})` : ''}${s.ended ? ' — ended' : ''}`,
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

function renderFigures(): void {
  const last = samples[samples.length - 1];
  PANEL_METRICS.forEach((m, i) => (figures[i].textContent = formatBytes(last?.[m.key])));
  countText.textContent = `${samples.length} samples`;
  app.dataset.sampleCount = String(samples.length);
}

function tableRow(s: SampleView): HTMLTableRowElement {
  return h('tr', {}, h('td', {}, timeOfDay(s.t)), ...PANEL_METRICS.map((m) => h('td', {}, formatBytes(s[m.key]))));
}

function renderTable(): void {
  tableBody.replaceChildren(...samples.slice(-TABLE_ROWS).reverse().map(tableRow));
}

function alertItem(a: AlertView): HTMLLIElement {
  const text = a.cleared
    ? `${timeOfDay(a.t)} — level back to ${a.level}`
    : `${timeOfDay(a.t)} — ${LEVEL_TEXT[a.level]}: ${a.metric} ${formatBytes(a.value)} above ${formatBytes(a.limit)}`;
  return h('li', {}, text);
}

function renderAlerts(): void {
  alertList.replaceChildren(
    ...(alerts.length ? [...alerts].reverse().map(alertItem) : [h('li', { class: 'hint' }, 'No alerts.')]),
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
      break;
    case 'sample':
      if (m.sessionId !== activeId) return;
      samples.push(m.sample);
      chart.push(m.sample);
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
