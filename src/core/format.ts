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

/** Megabytes (decimal) to bytes. */
export const mb = (n: number): number => n * 1e6;

/** Replaces control characters so untrusted heap strings cannot move the cursor or clear a terminal. */
export function escapeTerminal(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
