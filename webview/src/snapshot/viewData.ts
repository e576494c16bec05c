// Pure data for the Statistics and Summary-filter views (no DOM, so tests run it in Node).
import * as l10n from '@vscode/l10n';
import type { OtherSnapshotView, StatisticsView, SummaryView } from '../../../src/shared/summaryViewProtocol';

/** One slice: label, bytes, and the theme colour it is drawn in. */
export interface Slice {
  label: string;
  value: number;
  color: [string, string];
}

/** The leaves of DevTools' breakdown; they add up to the total. */
export function statisticsSlices(s: StatisticsView): Slice[] {
  const v8 = s.v8heap;
  return [
    { label: 'Code', value: v8.code, color: ['--vscode-charts-orange', '#d18616'] },
    { label: 'Strings', value: v8.strings, color: ['--vscode-charts-red', '#f14c4c'] },
    { label: 'JS arrays', value: v8.jsArrays, color: ['--vscode-charts-green', '#89d185'] },
    { label: 'Typed arrays', value: s.native.typedArrays, color: ['--vscode-charts-blue', '#3794ff'] },
    { label: 'System objects', value: v8.system, color: ['--vscode-charts-yellow', '#cca700'] },
    {
      label: l10n.t('Other JS objects'),
      value: Math.max(0, v8.total - v8.code - v8.strings - v8.jsArrays - v8.system),
      color: ['--vscode-charts-purple', '#b180d7'],
    },
    {
      label: l10n.t('Other native'),
      value: Math.max(0, s.native.total - s.native.typedArrays),
      color: ['--vscode-charts-foreground', '#888888'],
    },
  ];
}

/** What the note under the drop-down says about the other snapshot. */
export function otherSnapshotNote(view: SummaryView, other: OtherSnapshotView): { text: string; warning: boolean } {
  const range =
    view === 'allocated-before'
      ? l10n.t('Objects of this snapshot allocated before {0} was taken', other.fileName)
      : l10n.t('Objects allocated after {0} was taken, up to this snapshot', other.fileName);
  if (other.sameSession)
    return {
      text: l10n.t(
        '{0} (the two snapshots come from one heap-profiler session: {1} of {2} one-of-a-kind objects kept their id).',
        range,
        other.matched,
        other.checked,
      ),
      warning: false,
    };
  return {
    text: l10n.t(
      '⚠ {0} does not come from the same process and heap-profiler session as this snapshot (only {1} of {2} one-of-a-kind objects kept their id), so object ids cannot be compared and this filter is meaningless. Take both snapshots within one inspector session, or use Comparison, which compares class counts.',
      other.fileName,
      other.matched,
      other.checked,
    ),
    warning: true,
  };
}
