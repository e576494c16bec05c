// Renders one suspect and the hunt evidence. Every name and path is untrusted debuggee text: text nodes only.
import { formatBytes, formatRate } from '../../../src/core/format';
import type {
  FromLeakReportMessage,
  LeakFrameView,
  LeakHuntView,
  LeakSuspectView,
} from '../../../src/shared/leakProtocol';
import { h, timeOfDay } from '../common/dom';

const METRIC_TEXT = { heap: 'JS heap', external: 'off-heap (Buffer/ArrayBuffer)', rss: 'native (RSS)' } as const;

type Send = (m: FromLeakReportMessage) => void;

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/** A clickable source position that opens the file at the line. */
function frameLink(f: Pick<LeakFrameView, 'file' | 'line' | 'column'>, send: Send, text: string): HTMLElement {
  const a = h('a', { class: 'frame', href: '#', title: `${f.file}:${f.line}:${f.column}`, role: 'link' }, text);
  a.addEventListener('click', (e) => {
    e.preventDefault();
    send({ type: 'openSource', file: f.file, line: f.line, column: f.column });
  });
  return a;
}

const fact = (term: string, value: string) => [h('dt', {}, term), h('dd', {}, value)];

/** One ranked suspect: where, how fast, how sure, which class, its allocation stack, actions. */
export function suspectCard(s: LeakSuspectView, send: Send, hunt: LeakHuntView | null = null): HTMLElement {
  // The last hunt's group of the same class, when there is one: its retainer path belongs with this suspect.
  const group = hunt?.groups.find((g) => g.name === s.className || g.name === s.function);
  const goButton = h('vscode-button', { secondary: true, title: 'Open the file at this line' }, 'Go to source');
  goButton.addEventListener('click', () => send({ type: 'openSource', file: s.file, line: s.line, column: s.column }));
  const copyButton = h(
    'vscode-button',
    { secondary: true, title: 'Copy this suspect as Markdown' },
    'Copy as Markdown',
  );
  copyButton.addEventListener('click', () => send({ type: 'copyMarkdown', key: s.key }));
  return h(
    'article',
    {
      class: 'suspect',
      'data-key': s.key,
      'data-file': s.file,
      'data-line': s.line,
      'aria-label': `Suspect ${s.rank}: ${baseName(s.file)} line ${s.line}`,
    },
    h(
      'header',
      {},
      h('span', { class: 'rank' }, `#${s.rank}`),
      frameLink(s, send, `${baseName(s.file)}:${s.line}`),
      h('span', { class: 'fn' }, s.function),
      h('span', { class: 'actions' }, goButton, copyButton),
    ),
    h(
      'dl',
      { class: 'facts' },
      ...fact('Growth', `${formatRate(s.growthBytesPerSec)} of live memory`),
      ...fact('Live now', `${formatBytes(s.liveBytes)} (sampled)`),
      ...fact('Confidence', `${Math.round(s.confidence * 100)} %`),
      ...fact('Class', s.className ?? '—'),
      ...fact('Memory', `${METRIC_TEXT[s.metric]}, growing since ${timeOfDay(s.since)}`),
      ...fact(
        'Line',
        s.lineSource === 'allocation' ? 'the allocating statement' : 'first line of the allocating function',
      ),
    ),
    h('div', { class: 'hint' }, 'Allocation stack (source-mapped; click to open):'),
    h(
      'ol',
      { class: 'stack' },
      ...s.stack.map((f) =>
        h('li', {}, `${f.function} — `, frameLink(f, send, `${f.file}:${f.line}:${f.column}`), ` (${f.note})`),
      ),
    ),
    group ? h('div', { class: 'hint' }, `Retained by (last hunt, ${group.count} × ${group.name}):`) : null,
    group ? h('ol', { class: 'path' }, ...group.retainerPath.map((step) => h('li', {}, step))) : null,
  );
}

/** The last hunt: leaked classes and the retainer path of each group. */
export function huntSection(hunt: LeakHuntView | null): HTMLElement {
  if (!hunt)
    return h(
      'p',
      { class: 'hint', id: 'hunt-empty' },
      'No snapshot comparison yet. Hunt Leak takes baseline → target → final heap snapshots over about 25 s and names the leaked objects and what retains them.',
    );
  const groups = hunt.groups.map((g) =>
    h(
      'li',
      {},
      h('strong', {}, `${g.count} × ${g.name}`),
      ` retaining ${formatBytes(g.retainedSize)} — retained by:`,
      h('ol', { class: 'path' }, ...g.retainerPath.map((step) => h('li', {}, step))),
    ),
  );
  const classes = h(
    'table',
    {},
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Leaked class', 'Objects', 'Still alive', 'Shallow', 'Retained'].map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      ...hunt.classes.map((c) =>
        h(
          'tr',
          {},
          h('td', {}, c.name),
          h('td', {}, String(c.count)),
          h('td', {}, c.survival === undefined ? '—' : `${Math.round(c.survival * 100)} %`),
          h('td', {}, formatBytes(c.selfSize)),
          h('td', {}, formatBytes(c.retainedSize)),
        ),
      ),
    ),
  );
  return h(
    'div',
    { id: 'hunt-result' },
    h(
      'p',
      {},
      `Hunt at ${timeOfDay(hunt.t)}: ${hunt.leakedCount} objects allocated after the baseline were still alive in the target and final snapshots, retaining ${formatBytes(hunt.leakedRetainedSize)}.`,
    ),
    hunt.groups.length ? h('ul', { class: 'groups' }, ...groups) : h('p', {}, 'No leaked groups.'),
    hunt.classes.length ? classes : null,
  );
}
