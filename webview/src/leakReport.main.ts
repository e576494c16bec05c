// The Leak Report panel: ranked suspects with their evidence, the growth chart and the last hunt.
import './common/elements';
import { formatRate } from '../../src/core/format';
import type { FromLeakReportMessage, LeakReportView, ToLeakReportMessage } from '../../src/shared/leakProtocol';
import { adoptStyles, h, timeOfDay } from './common/dom';
import { vscodeApi } from './common/vscodeApi';
import { GrowthChart } from './leakReport/growthChart';
import css from './leakReport/leakReport.css';
import { huntSection, suspectCard } from './leakReport/suspectView';

adoptStyles(css);
const vscode = vscodeApi<{ sessionId: string | null }>();
const send = (m: FromLeakReportMessage) => vscode.postMessage(m);
const METRIC_TEXT = {
  heap: 'JS heap',
  external: 'off-heap (Buffer/ArrayBuffer) memory',
  rss: 'native memory (RSS)',
} as const;

const app = document.getElementById('app')!;
const sessionSelect = h('vscode-single-select', { id: 'session', 'aria-label': 'Session' }) as HTMLElement & {
  value: string;
};
const button = (id: string, text: string, secondary: boolean, title: string) =>
  h('vscode-button', { id, secondary, title }, text) as HTMLElement & { disabled: boolean };
const huntButton = button(
  'hunt',
  'Hunt Leak',
  false,
  'Confirm with baseline → target → final heap snapshots and find what retains the leaked objects',
);
const snapshotButton = button('snapshot', 'Take Snapshot', true, 'Capture a heap snapshot and open it');
const copyButton = button('copy', 'Copy as Markdown', true, 'Copy the whole report as Markdown');
const jsonButton = button('export-json', 'Export JSON', true, 'Save the report as JSON');
const mdButton = button('export-md', 'Export Markdown', true, 'Save the report as Markdown');
app.append(
  h(
    'header',
    { class: 'toolbar', role: 'toolbar', 'aria-label': 'Leak report actions' },
    h('label', { for: 'session' }, 'Session'),
    sessionSelect,
    huntButton,
    snapshotButton,
    h('span', { class: 'spacer' }),
    copyButton,
    jsonButton,
    mdButton,
  ),
);
const level = h('span', { class: 'level normal', id: 'leak-level', role: 'status' }, '…');
const verdictText = h('span', { id: 'verdict-text' });
const costText = h('span', { class: 'hint', id: 'cost' });
app.append(h('section', { class: 'verdict', 'aria-live': 'polite' }, level, verdictText, costText));
const canvas = h('canvas', {
  id: 'growth',
  role: 'img',
  'aria-label': 'Post-GC baseline growth; the figures are listed with each suspect',
});
const chartBox = h('div', { class: 'chart-box' }, canvas);
const suspectsBox = h('section', { id: 'suspects', 'aria-label': 'Suspects, top first' });
const huntBox = h('section', { id: 'hunt-box' });
app.append(
  chartBox,
  h('h2', {}, 'Suspected allocation sites (top first)'),
  suspectsBox,
  h('h2', {}, 'Retainers from the last snapshot comparison'),
  huntBox,
);
const chart = new GrowthChart(canvas);

function render(
  report: LeakReportView | null,
  sessions: Array<{ id: string; name: string; suspected: boolean }>,
): void {
  sessionSelect.replaceChildren(
    ...sessions.map((s) =>
      h(
        'vscode-option',
        { value: s.id, selected: s.id === report?.sessionId },
        `${s.name}${s.suspected ? ' — leak suspected' : ''}`,
      ),
    ),
  );
  if (report) sessionSelect.value = report.sessionId;
  vscode.setState({ sessionId: report?.sessionId ?? null });
  const live = !!report && !report.ended;
  huntButton.disabled = !live;
  snapshotButton.disabled = !live;
  for (const b of [copyButton, jsonButton, mdButton]) b.disabled = !report;
  app.dataset.suspectCount = String(report?.suspects.length ?? 0);
  app.dataset.suspected = String(!!report?.suspected);
  if (!report) {
    level.className = 'level normal';
    level.textContent = 'No session';
    verdictText.textContent =
      'No debug session is being monitored. Start debugging a Node.js program (F5); leak detection starts with it.';
    costText.textContent = '';
    chartBox.hidden = true;
    suspectsBox.replaceChildren();
    huntBox.replaceChildren(huntSection(null));
    return;
  }
  level.className = `level ${report.suspected ? 'leak' : 'normal'}`;
  level.textContent = report.suspected
    ? '⚠ LEAK SUSPECTED'
    : report.enabled
      ? '✓ No leak suspected'
      : '○ Leak detection off';
  const v = report.verdicts[0];
  verdictText.textContent = v
    ? `${METRIC_TEXT[v.metric]} of ${report.sessionName}${report.pid ? ` (pid ${report.pid})` : ''} grows ${formatRate(v.rateBytesPerSec)} since ${timeOfDay(v.since)}, confidence ${Math.round(v.confidence * 100)} %${report.ended ? ' (session ended)' : ''}.`
    : `${report.sessionName}${report.ended ? ' (ended)' : ''}: ${report.enabled ? `watching (sensitivity ${report.sensitivity}); a verdict needs at least 20 s of sustained growth of the post-GC baseline.` : 'enable memoryMonitor.leakDetection.enabled to watch for leaks.'}`;
  costText.textContent = `${report.overheadPercent !== null ? `detection time ≤ ${report.overheadPercent.toFixed(2)} % of wall time (forced GCs and CDP round trips, an upper bound) · ` : ''}updated ${timeOfDay(report.updatedAt)}`;
  chartBox.hidden = report.verdicts.length === 0;
  chart.update(report.verdicts, formatRate);
  if (report.suspects.length)
    suspectsBox.replaceChildren(...report.suspects.map((s) => suspectCard(s, send, report.hunt)));
  else if (report.suspected)
    suspectsBox.replaceChildren(
      h(
        'p',
        { class: 'empty' },
        report.profilerNote
          ? `No allocation sites: ${report.profilerNote}`
          : 'No allocation site grew measurably yet (off-heap or native growth?). Hunt Leak finds the retainers.',
      ),
    );
  else suspectsBox.replaceChildren(h('p', { class: 'empty' }, 'No suspects.'));
  huntBox.replaceChildren(huntSection(report.hunt));
}

window.addEventListener('message', (event: MessageEvent<ToLeakReportMessage>) => {
  const m = event.data;
  if (m.type === 'report') render(m.report, m.sessions);
  else if (m.type === 'busy') {
    const b = m.action === 'hunt' ? huntButton : snapshotButton;
    b.disabled = m.busy;
    b.textContent = m.busy
      ? m.action === 'hunt'
        ? 'Hunting…'
        : 'Capturing…'
      : m.action === 'hunt'
        ? 'Hunt Leak'
        : 'Take Snapshot';
  }
});
sessionSelect.addEventListener('change', () => send({ type: 'selectSession', sessionId: sessionSelect.value }));
huntButton.addEventListener('click', () => send({ type: 'huntLeak' }));
snapshotButton.addEventListener('click', () => send({ type: 'takeSnapshot' }));
copyButton.addEventListener('click', () => send({ type: 'copyMarkdown', key: null }));
jsonButton.addEventListener('click', () => send({ type: 'export', format: 'json' }));
mdButton.addEventListener('click', () => send({ type: 'export', format: 'markdown' }));
send({ type: 'ready' });
