// The Leak Report panel: ranked suspects with their evidence, the growth chart and the last hunt.
import * as l10n from '@vscode/l10n';
import './common/localize';
import './common/elements';
import { formatRate } from '../../src/core/format';
import type { FromLeakReportMessage, LeakReportView, ToLeakReportMessage } from '../../src/shared/leakProtocol';
import { adoptStyles, h, timeOfDay } from './common/dom';
import { vscodeApi } from './common/vscodeApi';
import { GrowthChart } from './leakReport/growthChart';
import css from './leakReport/leakReport.css';
import { retainerSection } from './leakReport/retainerView';
import { huntSection, suspectCard } from './leakReport/suspectView';
import { verdictSection } from './leakReport/verdictView';
import { leakMetricText } from '../../src/shared/verdictText';

adoptStyles(css);
const vscode = vscodeApi<{ sessionId: string | null }>();
const send = (m: FromLeakReportMessage) => vscode.postMessage(m);

const app = document.getElementById('app')!;
const sessionSelect = h('vscode-single-select', { id: 'session', 'aria-label': l10n.t('Session') }) as HTMLElement & {
  value: string;
};
const button = (id: string, text: string, secondary: boolean, title: string) =>
  h('vscode-button', { id, secondary, title }, text) as HTMLElement & { disabled: boolean };
const huntButton = button(
  'hunt',
  l10n.t('Hunt Leak'),
  false,
  l10n.t('Confirm with baseline → target → final heap snapshots and find what retains the leaked objects'),
);
const snapshotButton = button('snapshot', l10n.t('Take Snapshot'), true, l10n.t('Capture a heap snapshot and open it'));
const copyButton = button('copy', l10n.t('Copy as Markdown'), true, l10n.t('Copy the whole report as Markdown'));
const jsonButton = button('export-json', l10n.t('Export JSON'), true, l10n.t('Save the report as JSON'));
const mdButton = button('export-md', l10n.t('Export Markdown'), true, l10n.t('Save the report as Markdown'));
app.append(
  h(
    'header',
    { class: 'toolbar', role: 'toolbar', 'aria-label': l10n.t('Leak report actions') },
    h('label', { for: 'session' }, l10n.t('Session')),
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
const verdictsBox = h('section', { id: 'verdicts', 'aria-label': l10n.t('Verdicts: state and forecast') });
app.append(verdictsBox);
const canvas = h('canvas', {
  id: 'growth',
  role: 'img',
  'aria-label': l10n.t('Post-GC baseline growth; the figures are listed with each suspect'),
});
const chartBox = h('div', { class: 'chart-box' }, canvas);
const suspectsBox = h('section', { id: 'suspects', 'aria-label': l10n.t('Suspects, top first') });
const huntBox = h('section', { id: 'hunt-box' });
const retainersBox = h('section', { id: 'retainers', 'aria-label': l10n.t('What keeps the leaked objects') });
app.append(
  chartBox,
  h('h2', {}, l10n.t('What keeps the leaked objects (growing holders, most responsible first)')),
  retainersBox,
  h('h2', {}, l10n.t('Suspected allocation sites (top first)')),
  suspectsBox,
  h('h2', {}, l10n.t('Retainers from the last snapshot comparison')),
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
        s.suspected ? l10n.t('{0} — leak suspected', s.name) : s.name,
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
    level.textContent = l10n.t('No session');
    verdictText.textContent = l10n.t(
      'No debug session is being monitored. Start debugging a Node.js program (F5); leak detection starts with it.',
    );
    costText.textContent = '';
    verdictsBox.replaceChildren();
    chartBox.hidden = true;
    suspectsBox.replaceChildren();
    retainersBox.replaceChildren();
    huntBox.replaceChildren(huntSection(null));
    return;
  }
  level.className = `level ${report.suspected ? 'leak' : 'normal'}`;
  const confirmed = report.verdicts.some((x) => x.state === 'confirmed');
  app.dataset.confirmed = String(confirmed);
  app.dataset.clearedCount = String(report.cleared.length);
  level.textContent = report.suspected
    ? confirmed
      ? l10n.t('⚠ LEAK CONFIRMED')
      : l10n.t('⚠ LEAK SUSPECTED')
    : report.enabled
      ? l10n.t('✓ No leak suspected')
      : l10n.t('○ Leak detection off');
  const v = report.verdicts[0];
  verdictText.textContent = v
    ? l10n.t(
        '{0} of {1}{2} grows {3} since {4}, confidence {5} %{6}.',
        leakMetricText(v.metric),
        report.sessionName,
        report.pid ? l10n.t(' (pid {0})', report.pid) : '',
        formatRate(v.rateBytesPerSec),
        timeOfDay(v.since),
        Math.round(v.confidence * 100),
        report.ended ? l10n.t(' (session ended)') : '',
      )
    : `${report.sessionName}${report.ended ? l10n.t(' (ended)') : ''}: ${
        report.enabled
          ? l10n.t(
              'watching (sensitivity {0}); a verdict needs at least 20 s of sustained growth of the post-GC baseline.',
              report.sensitivity,
            )
          : l10n.t('enable memoryMonitor.leakDetection.enabled to watch for leaks.')
      }`;
  verdictsBox.replaceChildren(verdictSection(report.verdicts, report.cleared));
  costText.textContent =
    (report.overheadPercent !== null
      ? l10n.t(
          'detection time ≤ {0} % of wall time (forced GCs and CDP round trips, an upper bound) · ',
          report.overheadPercent.toFixed(2),
        )
      : '') + l10n.t('updated {0}', timeOfDay(report.updatedAt));
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
          ? l10n.t('No allocation sites: {0}', report.profilerNote)
          : l10n.t(
              'No allocation site grew measurably yet (off-heap or native growth?). Hunt Leak finds the retainers.',
            ),
      ),
    );
  else suspectsBox.replaceChildren(h('p', { class: 'empty' }, l10n.t('No suspects.')));
  retainersBox.replaceChildren(retainerSection(report.retainers, report.retainerProbe, report.suspected, live, send));
  app.dataset.retainerCount = String(report.retainers.length);
  huntBox.replaceChildren(huntSection(report.hunt));
}

window.addEventListener('message', (event: MessageEvent<ToLeakReportMessage>) => {
  const m = event.data;
  if (m.type === 'report') render(m.report, m.sessions);
  else if (m.type === 'busy' && m.action === 'retainers') {
    const b = document.getElementById('find-retainers') as (HTMLElement & { disabled: boolean }) | null;
    if (b) {
      b.disabled = m.busy;
      if (m.busy) b.textContent = l10n.t('Taking snapshots…');
    }
  } else if (m.type === 'busy') {
    const b = m.action === 'hunt' ? huntButton : snapshotButton;
    b.disabled = m.busy;
    b.textContent = m.busy
      ? m.action === 'hunt'
        ? l10n.t('Hunting…')
        : l10n.t('Capturing…')
      : m.action === 'hunt'
        ? l10n.t('Hunt Leak')
        : l10n.t('Take Snapshot');
  }
});
sessionSelect.addEventListener('change', () => send({ type: 'selectSession', sessionId: sessionSelect.value }));
huntButton.addEventListener('click', () => send({ type: 'huntLeak' }));
snapshotButton.addEventListener('click', () => send({ type: 'takeSnapshot' }));
copyButton.addEventListener('click', () => send({ type: 'copyMarkdown', key: null }));
jsonButton.addEventListener('click', () => send({ type: 'export', format: 'json' }));
mdButton.addEventListener('click', () => send({ type: 'export', format: 'markdown' }));
send({ type: 'ready' });
