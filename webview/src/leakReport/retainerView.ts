// Renders what keeps the leaked objects (the growing holders from two heap snapshots) and the offer to look when
// the heap is too big for automatic snapshots. Paths and class names come from the heap: text nodes only.
import * as l10n from '@vscode/l10n';
import { formatBytes } from '../../../src/core/format';
import type { FromLeakReportMessage, LeakRetainerProbeView, LeakRetainerView } from '../../../src/shared/leakProtocol';
import { entryGrowthText } from '../../../src/shared/retainerText';
import { h } from '../common/dom';
import { offersProbe, probeButtonText } from './retainerOffer';
import { frameLink } from './suspectView';

type Send = (m: FromLeakReportMessage) => void;

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/** One holder: its path and kind, entries and growth, retained bytes, and a link to the line that adds to it. */
function retainerRow(r: LeakRetainerView, send: Send): HTMLElement {
  const growth = entryGrowthText(r.countGrowthPerSec);
  const figures = [
    r.count !== null ? l10n.t('{0} entries', r.count.toLocaleString('en-US')) : null,
    growth,
    r.retainedBytes !== null ? l10n.t('{0} retained', formatBytes(r.retainedBytes)) : null,
  ].filter((x): x is string => !!x);
  const where =
    r.file && r.line
      ? frameLink({ file: r.file, line: r.line, column: 1 }, send, `${baseName(r.file)}:${r.line}`)
      : h('span', { class: 'hint' }, l10n.t('line not found'));
  return h(
    'li',
    {
      class: 'retainer',
      'data-key': r.key,
      'data-file': r.file ?? '',
      'data-line': r.line ?? '',
      'aria-label': l10n.t('Retainer {0}: {1}', r.rank, r.path),
    },
    h('strong', { class: 'path' }, r.path),
    ' ',
    h('span', { class: 'kind' }, `(${r.kind})`),
    r.keepsClass ? l10n.t(' keeps {0} objects', r.keepsClass) : null,
    r.keepsClass && r.keepsConstructor
      ? h(
          'span',
          { class: 'constructor' },
          l10n.t(' (constructor at '),
          frameLink(
            { file: r.keepsConstructor.file, line: r.keepsConstructor.line, column: 1 },
            send,
            `${baseName(r.keepsConstructor.file)}:${r.keepsConstructor.line}`,
          ),
          ')',
        )
      : null,
    h('div', { class: 'figures' }, figures.join(' · ') || l10n.t('no figures')),
    h('div', {}, l10n.t('Kept here: '), where),
  );
}

/** The retainers section: the holders, or why there are none yet and the button to look. */
export function retainerSection(
  retainers: readonly LeakRetainerView[],
  probe: LeakRetainerProbeView | null,
  suspected: boolean,
  live: boolean,
  send: Send,
): HTMLElement {
  const items: Array<HTMLElement | null> = [];
  if (retainers.length)
    items.push(
      h(
        'ol',
        { class: 'retainers', 'aria-label': l10n.t('Holders that keep the leaked objects, most responsible first') },
        ...retainers.map((r) => retainerRow(r, send)),
      ),
    );
  else items.push(h('p', { class: 'hint', id: 'retainers-empty' }, emptyText(probe, suspected)));
  if (suspected && live && probe && offersProbe(probe, retainers)) {
    const button = h(
      'vscode-button',
      {
        id: 'find-retainers',
        title: l10n.t('Takes two heap snapshots a few seconds apart and compares them to find the growing holder'),
      },
      probeButtonText(probe),
    );
    button.addEventListener('click', () => send({ type: 'findRetainers' }));
    items.push(h('div', { class: 'probe-offer' }, button));
  }
  return h('div', { id: 'retainers-result' }, ...items);
}

function emptyText(probe: LeakRetainerProbeView | null, suspected: boolean): string {
  if (!suspected) return l10n.t('Looked for when a leak is suspected.');
  if (!probe) return l10n.t('Leak detection is not running in this session.');
  const mb = (b: number | null) => (b === null ? '?' : `${Math.round(b / 1e6)} MB`);
  switch (probe.state) {
    case 'running':
      return l10n.t('Taking two heap snapshots to find the growing holder…');
    case 'over-limit':
      return l10n.t(
        'The heap ({0}) is above the automatic snapshot limit ({1}, memoryMonitor.leakDetection.retainerSnapshotLimitMb), so no snapshot was taken.',
        mb(probe.heapBytes),
        mb(probe.limitBytes),
      );
    case 'failed':
      return l10n.t('The retainer snapshots failed: {0}.', probe.error ?? l10n.t('unknown error'));
    case 'done':
      return l10n.t('No holder grew between the two snapshots.');
    default:
      return probe.limitBytes === 0
        ? l10n.t('Automatic retainer snapshots are off (memoryMonitor.leakDetection.retainerSnapshotLimitMb is 0).')
        : l10n.t('Two heap snapshots will name the growing holder shortly.');
  }
}
