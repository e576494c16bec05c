// Cell text shared by the viewer's tables. Heap names are untrusted: they only ever become text nodes.
import { formatBytes } from '../../../src/core/format';
import { h } from '../common/dom';

/** Bytes as the viewer shows them. */
export const bytes = (n: number): string => formatBytes(n);

/** A node's distance from the GC roots; unreachable nodes have none. */
export const distanceText = (d: number): string => (d < 0 || d >= 100_000_000 ? '—' : String(d));

/** An edge's name as DevTools shows it: indexes in brackets. */
export function edgeLabel(e: { name: string; edgeType: string }): string {
  return e.edgeType === 'element' || e.edgeType === 'hidden' ? `[${e.name}]` : e.name;
}

/** A table cell holding text. */
export function cell(cls: string, text: string): HTMLTableCellElement {
  return h('td', { class: cls }, text);
}
