// Squarified treemap layout (Bruls et al.): pure geometry, no DOM.

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Lays out `values` (descending) into `rect`; returns one rectangle per value, same order. */
export function squarify(values: readonly number[], rect: Rect): Rect[] {
  const total = values.reduce((a, b) => a + Math.max(0, b), 0);
  const out: Rect[] = values.map(() => ({ x: rect.x, y: rect.y, w: 0, h: 0 }));
  if (total <= 0 || rect.w <= 0 || rect.h <= 0) return out;
  const scale = (rect.w * rect.h) / total;
  const areas = values.map((v) => Math.max(0, v) * scale);
  let free = { ...rect };
  let i = 0;
  while (i < areas.length) {
    const side = Math.min(free.w, free.h);
    const row: number[] = [i];
    let best = worst(
      row.map((k) => areas[k]),
      side,
    );
    while (i + row.length < areas.length) {
      const next = [...row, i + row.length];
      const score = worst(
        next.map((k) => areas[k]),
        side,
      );
      if (score > best) break;
      row.push(i + row.length);
      best = score;
    }
    const rowArea = row.reduce((a, k) => a + areas[k], 0);
    if (free.w >= free.h) {
      const w = rowArea / free.h;
      let y = free.y;
      for (const k of row) {
        const h = areas[k] / w;
        out[k] = { x: free.x, y, w, h };
        y += h;
      }
      free = { x: free.x + w, y: free.y, w: free.w - w, h: free.h };
    } else {
      const h = rowArea / free.w;
      let x = free.x;
      for (const k of row) {
        const w = areas[k] / h;
        out[k] = { x, y: free.y, w, h };
        x += w;
      }
      free = { x: free.x, y: free.y + h, w: free.w, h: free.h - h };
    }
    i += row.length;
  }
  return out;
}

function worst(row: number[], side: number): number {
  const s = row.reduce((a, b) => a + b, 0);
  if (s <= 0 || side <= 0) return Infinity;
  const max = Math.max(...row);
  const min = Math.min(...row);
  return Math.max((side * side * max) / (s * s), (s * s) / (side * side * min || 1e-9));
}
