import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** Default bound of one tool result's text, in bytes (UTF-8). */
export const DEFAULT_MAX_BYTES = 20_000;
/** Results kept for `nextCursor` paging; older cursors expire. */
const KEPT_RESULTS = 32;

/** A complete tool result before paging: fixed fields plus one list that is paged. */
export interface ListResult {
  /** One human line with units (e.g. "heap 12.3 MB → 40.1 MB, growing 1.2 MB/s"). */
  summary: string;
  /** Fields shown on every page. */
  data: Record<string, unknown>;
  /** Name of the paged list in the structured output. */
  listKey: string;
  items: unknown[];
  /** Unit of each numeric field name (e.g. retainedSize → bytes). */
  units: Record<string, string>;
}

/** A tool error carrying the CLI's one-line message; the server returns it as `isError: true`. */
export class ToolError extends Error {
  override name = 'ToolError';
}

/**
 * Pages tool results so that each call's text stays under a byte bound: the full result is kept and `nextCursor`
 * names the next page, so a paged call never recomputes (a live recording cannot be recomputed at all).
 */
export class ResultPager {
  private readonly results = new Map<string, ListResult>();

  /** The first page of a fresh result. */
  first(result: ListResult, maxBytes = DEFAULT_MAX_BYTES): CallToolResult {
    const id = randomUUID().slice(0, 8);
    this.results.set(id, result);
    while (this.results.size > KEPT_RESULTS) this.results.delete(this.results.keys().next().value!);
    return render(id, result, 0, maxBytes);
  }

  /** The page a cursor names; a ToolError when it is unknown or expired. */
  next(cursor: string, maxBytes = DEFAULT_MAX_BYTES): CallToolResult {
    const m = /^([0-9a-f]{8}):(\d+)$/.exec(cursor);
    const result = m ? this.results.get(m[1]) : undefined;
    if (!m || !result)
      throw new ToolError(`unknown or expired cursor "${cursor}": call the tool again without a cursor`);
    return render(m[1], result, Number(m[2]), maxBytes);
  }
}

/** The largest page from `offset` whose text fits `maxBytes` (at least one item, so paging always advances). */
function render(id: string, r: ListResult, offset: number, maxBytes: number): CallToolResult {
  const build = (count: number) => {
    const end = Math.min(r.items.length, offset + count);
    const structured: Record<string, unknown> = {
      ...r.data,
      [r.listKey]: r.items.slice(offset, end),
      page: { offset, count: end - offset, total: r.items.length },
    };
    structured.units = presentUnits(structured, r.units);
    if (end < r.items.length) structured.nextCursor = `${id}:${end}`;
    const text = `${r.summary}${end < r.items.length ? ` (items ${offset + 1}–${end} of ${r.items.length}; pass nextCursor for more)` : ''}\n${JSON.stringify(structured)}`;
    return { structured, text };
  };
  // Estimate from item sizes, then shrink until it fits.
  const fixed = Buffer.byteLength(build(0).text);
  let count = 0;
  let bytes = fixed;
  while (offset + count < r.items.length) {
    bytes += Buffer.byteLength(JSON.stringify(r.items[offset + count])) + 1;
    if (bytes > maxBytes && count > 0) break;
    count++;
  }
  let page = build(count);
  while (count > 1 && Buffer.byteLength(page.text) > maxBytes) page = build(--count);
  return { content: [{ type: 'text', text: page.text }], structuredContent: page.structured };
}

/** A result without a list (a GC, a snapshot, a comparison): the summary line and the JSON. */
export function singleResult(
  summary: string,
  data: Record<string, unknown>,
  units: Record<string, string>,
): CallToolResult {
  const structured = { ...data, units: presentUnits(data, units) };
  return {
    content: [{ type: 'text', text: `${summary}\n${JSON.stringify(structured)}` }],
    structuredContent: structured,
  };
}

/** Units of the byte and time fields the CLI's JSON uses, shared by every tool. */
export const COMMON_UNITS: Record<string, string> = {
  t: 'ms since epoch',
  heapUsed: 'bytes',
  heapTotal: 'bytes',
  rss: 'bytes',
  external: 'bytes',
  arrayBuffers: 'bytes',
  selfSize: 'bytes',
  retainedSize: 'bytes',
  totalSize: 'bytes',
  freed: 'bytes',
  bytes: 'bytes',
  durationMs: 'milliseconds',
  pauseMs: 'milliseconds',
  heapTrendBytesPerSec: 'bytes/second',
  rateBytesPerSec: 'bytes/second',
  value: 'bytes (bytes/second for leak alerts)',
  limit: 'bytes',
};

/** The units of the field names that occur in a result, so each result explains its own numbers and no others. */
function presentUnits(value: unknown, units: Record<string, string>): Record<string, string> {
  const seen = new Set<string>();
  const walk = (v: unknown, depth: number) => {
    if (depth > 6 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      // Items of one list share their keys: the first few tell them all.
      for (const item of v.slice(0, 3)) walk(item, depth + 1);
      return;
    }
    for (const [k, child] of Object.entries(v)) {
      seen.add(k);
      walk(child, depth + 1);
    }
  };
  walk(value, 0);
  return Object.fromEntries(Object.entries(units).filter(([k]) => seen.has(k)));
}
