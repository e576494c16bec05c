// The page counters of a browser target (Memory.getDOMCounters), beside MEMORY_METRICS' byte figures: counts, not
// bytes, so they get their own table, their own chart axis and their own export columns. Pure data and functions
// without Node or vscode imports: the webview bundle imports this file too.
import type { DomCounters } from '../types';

/** One DOM counter and everywhere the editor shows it. */
export interface DomMetric {
  /** Field of the sample's `dom` object (the `sample` JSON-lines contract). */
  key: keyof DomCounters;
  /** Column of Export Recording's CSV. */
  csvColumn: string;
  /** Label in the Monitor panel, its chart and the status bar tooltip. */
  label: string;
  /** Element id of the panel figure (for tests and assistive tools). */
  id: string;
  color: readonly [cssVariable: string, fallback: string];
  dash?: readonly number[];
}

export const DOM_METRICS: readonly DomMetric[] = [
  {
    key: 'nodes',
    csvColumn: 'domNodes',
    label: 'DOM nodes',
    id: 'dom-nodes',
    color: ['--vscode-charts-yellow', '#cca700'],
  },
  {
    key: 'documents',
    csvColumn: 'domDocuments',
    label: 'Documents',
    id: 'dom-documents',
    color: ['--vscode-charts-purple', '#b180d7'],
    dash: [2, 2],
  },
  {
    key: 'listeners',
    csvColumn: 'domListeners',
    label: 'JS event listeners',
    id: 'dom-listeners',
    color: ['--vscode-charts-red', '#f14c4c'],
    dash: [4, 3],
  },
];

/** What the editor says instead of an RSS figure for a browser page (never 0: the renderer's RSS is out of reach). */
export const PAGE_RSS_TEXT = 'not available for browser pages';

/** Formats a count with thousands separators, `—` when unknown: `12,345`. */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return Math.round(n).toLocaleString('en-US');
}
