// The one place figures become text, for the CLI, the extension and the webviews (no Node or vscode import).

/** Formats bytes in decimal units, e.g. `850 kB`, `7.1 MB`, `182 MB`, `1.25 GB`; `—` when unknown. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  const sign = bytes < 0 ? '-' : '';
  const b = Math.abs(bytes);
  if (b >= 1e9) return `${sign}${(b / 1e9).toFixed(b >= 1e10 ? 1 : 2)} GB`;
  if (b >= 1e6) return `${sign}${(b / 1e6).toFixed(b >= 1e8 ? 0 : 1)} MB`;
  if (b >= 1e3) return `${sign}${(b / 1e3).toFixed(0)} kB`;
  return `${sign}${b} B`;
}

/** Formats a growth rate in bytes per second, always signed, per minute: `+3.2 MB/min`, `+60 kB/min`, `-1.5 MB/min`. */
export function formatRate(bytesPerSec: number): string {
  if (!Number.isFinite(bytesPerSec)) return '—';
  const perMin = Math.round(bytesPerSec * 60);
  return `${perMin < 0 ? '-' : '+'}${formatBytes(Math.abs(perMin))}/min`;
}

/** A DOM node count's growth per minute: `+1,234 nodes/min`. */
export function formatNodeRate(nodesPerSec: number): string {
  if (!Number.isFinite(nodesPerSec)) return '—';
  const perMin = Math.round(nodesPerSec * 60);
  return `${perMin < 0 ? '-' : '+'}${Math.abs(perMin).toLocaleString('en-US')} nodes/min`;
}

/** A leak verdict's rate in its metric's unit: DOM nodes for `dom`, bytes for the others. */
export function formatLeakRate(metric: string, rate: number): string {
  return metric === 'dom' ? formatNodeRate(rate) : formatRate(rate);
}

/** Megabytes (decimal) to bytes. */
export const mb = (n: number): number => n * 1e6;

/**
 * Characters that are invisible or reorder the text around them, so a heap string could look like another one
 * (visual spoofing): bidi controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), zero-width characters
 * (U+200B–U+200D, U+2060, U+FEFF) and the line and paragraph separators (U+2028, U+2029).
 */
const INVISIBLE_RUN = /[\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]+/g;
// eslint-disable-next-line no-control-regex
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/g;

/** `\u202E` for one UTF-16 code unit: how every view shows a character it will not show raw. */
export function codeUnitEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** One piece of a heap string: plain text, or escapes (`\u202E…`) standing for invisible characters. */
export interface TextRun {
  text: string;
  escaped: boolean;
}

/**
 * Splits untrusted text into plain runs and escaped runs of bidi controls and zero-width characters, for views
 * that show the escapes in a muted style (the webviews). Joining the runs' text gives `escapeInvisible(text)`.
 */
export function splitInvisible(text: string): TextRun[] {
  const runs: TextRun[] = [];
  let at = 0;
  for (const m of text.matchAll(INVISIBLE_RUN)) {
    if (m.index > at) runs.push({ text: text.slice(at, m.index), escaped: false });
    runs.push({ text: [...m[0]].map(codeUnitEscape).join(''), escaped: true });
    at = m.index + m[0].length;
  }
  if (at < text.length || !runs.length) runs.push({ text: text.slice(at), escaped: false });
  return runs;
}

/** Escapes bidi controls and zero-width characters (`\u202E`), leaving everything else as it is. */
export function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE_RUN, (run) => [...run].map(codeUnitEscape).join(''));
}

/**
 * Escapes what untrusted heap strings must not bring to a terminal: control characters (cursor moves, clearing the
 * screen) and the invisible characters above.
 */
export function escapeTerminal(text: string): string {
  return text.replace(TERMINAL_UNSAFE, codeUnitEscape);
}

/** "pid 4242" for a process's main thread, "pid 4242 worker thread 1" for one of its `worker_threads` Workers. */
export function formatTarget(pid: number | null | undefined, threadId?: number): string {
  return `pid ${pid ?? '?'}${threadId !== undefined ? ` worker thread ${threadId}` : ''}`;
}
