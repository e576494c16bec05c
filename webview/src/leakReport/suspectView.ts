// Renders one suspect and the hunt evidence. Every name and path is untrusted debuggee text: text nodes only.
import * as l10n from '@vscode/l10n';
import { formatBytes, formatRate } from '../../../src/core/format';
import type {
  FromLeakReportMessage,
  LeakFrameView,
  LeakHuntView,
  LeakSuspectView,
} from '../../../src/shared/leakProtocol';
import { h, timeOfDay } from '../common/dom';

const METRIC_TEXT = {
  heap: l10n.t('JS heap'),
  external: l10n.t('off-heap (Buffer/ArrayBuffer)'),
  rss: l10n.t('native (RSS)'),
  dom: l10n.t('DOM nodes'),
} as const;

type Send = (m: FromLeakReportMessage) => void;

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/** A clickable source position that opens the file at the line. */
export function frameLink(f: Pick<LeakFrameView, 'file' | 'line' | 'column'>, send: Send, text: string): HTMLElement {
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
  const goButton = h(
    'vscode-button',
    { secondary: true, title: l10n.t('Open the file at this line') },
    l10n.t('Go to source'),
  );
  goButton.addEventListener('click', () => send({ type: 'openSource', file: s.file, line: s.line, column: s.column }));
  const copyButton = h(
    'vscode-button',
    { secondary: true, title: l10n.t('Copy this suspect as Markdown') },
    l10n.t('Copy as Markdown'),
  );
  copyButton.addEventListener('click', () => send({ type: 'copyMarkdown', key: s.key }));
  return h(
    'article',
    {
      class: 'suspect',
      'data-key': s.key,
      'data-file': s.file,
      'data-line': s.line,
      'aria-label': l10n.t('Suspect {0}: {1} line {2}', s.rank, baseName(s.file), s.line),
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
      ...fact(l10n.t('Growth'), l10n.t('{0} of live memory', formatRate(s.growthBytesPerSec))),
      ...fact(l10n.t('Live now'), l10n.t('{0} (sampled)', formatBytes(s.liveBytes))),
      ...fact(l10n.t('Confidence'), `${Math.round(s.confidence * 100)} %`),
      ...fact(l10n.t('Class'), s.className ?? '—'),
      ...fact(l10n.t('Memory'), l10n.t('{0}, growing since {1}', METRIC_TEXT[s.metric], timeOfDay(s.since))),
      ...fact(
        l10n.t('Line'),
        s.lineSource === 'allocation'
          ? l10n.t('the allocating statement')
          : l10n.t('first line of the allocating function'),
      ),
    ),
    h('div', { class: 'hint' }, l10n.t('Allocation stack (source-mapped; click to open):')),
    h(
      'ol',
      { class: 'stack' },
      ...s.stack.map((f) =>
        h('li', {}, `${f.function} — `, frameLink(f, send, `${f.file}:${f.line}:${f.column}`), ` (${f.note})`),
      ),
    ),
    group ? h('div', { class: 'hint' }, l10n.t('Retained by (last hunt, {0} × {1}):', group.count, group.name)) : null,
    group ? h('ol', { class: 'path' }, ...group.retainerPath.map((step) => h('li', {}, step))) : null,
  );
}

/** The last hunt: leaked classes and the retainer path of each group. */
export function huntSection(hunt: LeakHuntView | null): HTMLElement {
  if (!hunt)
    return h(
      'p',
      { class: 'hint', id: 'hunt-empty' },
      l10n.t(
        'No snapshot comparison yet. Hunt Leak takes baseline → target → final heap snapshots over about 25 s and names the leaked objects and what retains them.',
      ),
    );
  const groups = hunt.groups.map((g) =>
    h(
      'li',
      {},
      h('strong', {}, `${g.count} × ${g.name}`),
      l10n.t(' retaining {0} — retained by:', formatBytes(g.retainedSize)),
      h('ol', { class: 'path' }, ...g.retainerPath.map((step) => h('li', {}, step))),
      g.discounted ? h('div', { class: 'hint' }, l10n.t("Probably the runtime's own buffer: {0}", g.discounted)) : null,
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
        ...[
          l10n.t('Leaked class'),
          l10n.t('Objects'),
          l10n.t('Still alive'),
          l10n.t('Shallow'),
          l10n.t('Retained'),
        ].map((c) => h('th', { scope: 'col' }, c)),
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
      l10n.t(
        'Hunt at {0}: {1} objects allocated after the baseline were still alive in the target and final snapshots, retaining {2}.',
        timeOfDay(hunt.t),
        hunt.leakedCount,
        formatBytes(hunt.leakedRetainedSize),
      ),
    ),
    hunt.groups.length ? h('ul', { class: 'groups' }, ...groups) : h('p', {}, l10n.t('No leaked groups.')),
    hunt.classes.length ? classes : null,
  );
}
