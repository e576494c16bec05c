// Icicle layout of a (partly loaded) dominator tree and the colour category of a node: pure, no DOM.
import * as l10n from '@vscode/l10n';

/** One drawn cell: the item, its row (0 = the zoomed-in node) and its horizontal extent in pixels. */
export interface IcicleCell<T> {
  item: T;
  depth: number;
  x: number;
  w: number;
}

/**
 * Lays out `root` across `width` pixels and its descendants below it, each child as wide as its share of its parent's
 * size (children that are not loaded yet, `null`, are simply not drawn); cells narrower than `minWidth` are dropped.
 */
export function layoutIcicle<T>(
  root: T,
  size: (item: T) => number,
  children: (item: T) => readonly T[] | null,
  width: number,
  maxDepth: number,
  minWidth = 1,
): IcicleCell<T>[] {
  const cells: IcicleCell<T>[] = [{ item: root, depth: 0, x: 0, w: width }];
  for (let i = 0; i < cells.length; i++) {
    const parent = cells[i];
    if (parent.depth + 1 >= maxDepth) continue;
    const kids = children(parent.item);
    const total = size(parent.item);
    if (!kids || total <= 0) continue;
    let x = parent.x;
    const end = parent.x + parent.w;
    for (const kid of kids) {
      const w = Math.min(end - x, (parent.w * Math.max(0, size(kid))) / total);
      if (w < minWidth) continue;
      cells.push({ item: kid, depth: parent.depth + 1, x, w });
      x += w;
    }
  }
  return cells;
}

/** What a node is, for colouring the dominator tree. */
export type NodeCategory = 'code' | 'strings' | 'arrays' | 'closures' | 'native' | 'system' | 'objects';

export const CATEGORY_LABELS: Record<NodeCategory, string> = {
  objects: l10n.t('Objects'),
  arrays: l10n.t('Arrays'),
  strings: l10n.t('Strings'),
  closures: l10n.t('Closures'),
  code: l10n.t('Code'),
  native: l10n.t('Native'),
  system: l10n.t('System'),
};

/** A node's category from its snapshot type and class name. */
export function nodeCategory(n: { type: string; className: string }): NodeCategory {
  switch (n.type) {
    case 'code':
      return 'code';
    case 'string':
    case 'concatenated string':
    case 'sliced string':
      return 'strings';
    case 'closure':
      return 'closures';
    case 'native':
      return 'native';
    case 'array':
      return 'arrays';
    case 'hidden':
    case 'synthetic':
    case 'object shape':
      return 'system';
    default:
      return /^(Array|Map|Set|WeakMap|WeakSet|\w*Array|ArrayBuffer)$/.test(n.className) ? 'arrays' : 'objects';
  }
}
