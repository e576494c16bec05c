// The Summary grouped by source file: one row per script file (plus "(no source)") that expands to the classes and
// closures it defines, each expanding to its instances. File and class names come from the debuggee's heap and are
// set as text only.
import * as l10n from '@vscode/l10n';
import type { SourceFileView, SummaryView } from '../../../src/shared/summaryViewProtocol';
import type { ClassSortKey } from '../../../src/shared/protocol';
import { h } from '../common/dom';
import { bytes, cell, distanceText } from './cells';
import { appendPaged, classRow, expander, sourceCell, type TreeEvents } from './objectTree';
import { PAGE, viewerRequests } from './viewerRequests';

/** What the file rows were loaded with: their classes are filtered and sorted the same way. */
export interface FileQuery {
  view: SummaryView;
  filter: string;
  sort: ClassSortKey;
  descending: boolean;
}

/** A file's name first (what the row is about), its folder after it, muted. */
function fileLabel(f: SourceFileView): (HTMLElement | string)[] {
  if (!f.named) return [h('span', { class: 'no-source' }, f.file)];
  const cut = Math.max(f.file.lastIndexOf('/'), f.file.lastIndexOf('\\')) + 1;
  const base = f.file.slice(cut) || f.file;
  return [
    h('span', { class: 'file-name' }, base),
    h('span', { class: 'hint file-dir' }, cut ? ` ${f.file.slice(0, cut)}` : ''),
  ];
}

/** A row for one source file; expanding shows its classes (closures as "Function"), largest first. */
export function fileRow(f: SourceFileView, query: FileQuery, events: TreeEvents): HTMLTableRowElement {
  const twisty = h(
    'span',
    { class: 'twisty', role: 'button', 'aria-label': l10n.t('Show the classes of this file') },
    '▸',
  );
  const classes = f.classCount === 1 ? l10n.t('1 class') : l10n.t('{0} classes', f.classCount.toLocaleString());
  const row = h(
    'tr',
    { class: `file-row${f.named ? '' : ' unnamed'}`, 'aria-level': 1, 'aria-expanded': 'false', 'data-index': f.index },
    h('td', { class: 'name' }, twisty, ...fileLabel(f), h('span', { class: 'hint' }, ` ×${f.count} · ${classes}`)),
    cell('distance', distanceText(f.distance)),
    cell('count', f.count.toLocaleString()),
    cell('self', bytes(f.selfSize)),
    cell('retained', bytes(f.retainedSize)),
    sourceCell(null),
  );
  const { view, filter, sort, descending } = query;
  const toggle = expander(twisty, row, true, events, () =>
    appendPaged(
      row,
      1,
      (offset) =>
        viewerRequests.call('sourceFileClasses', {
          view,
          fileIndex: f.index,
          filter,
          sort,
          descending,
          offset,
          limit: PAGE,
        }),
      (c) =>
        classRow(
          c,
          events,
          (offset) =>
            viewerRequests.call('sourceFileInstances', {
              view,
              fileIndex: f.index,
              classKey: c.key,
              offset,
              limit: PAGE,
            }),
          2,
        ),
      events,
    ),
  );
  twisty.addEventListener('click', toggle);
  return row;
}
