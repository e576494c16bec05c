/** Formats bytes as decimal megabytes or gigabytes, e.g. `182 MB`, `1.25 GB`. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  const sign = bytes < 0 ? '-' : '';
  const b = Math.abs(bytes);
  if (b >= 1e9) return `${sign}${(b / 1e9).toFixed(b >= 1e10 ? 1 : 2)} GB`;
  if (b >= 1e6) return `${sign}${(b / 1e6).toFixed(b >= 1e8 ? 0 : 1)} MB`;
  if (b >= 1e3) return `${sign}${(b / 1e3).toFixed(0)} kB`;
  return `${sign}${b} B`;
}

/** Formats a rate in bytes per second as MB/min, e.g. `+3.2 MB/min`. */
export function formatRate(bytesPerSec: number): string {
  const mbPerMin = (bytesPerSec * 60) / 1e6;
  return `${mbPerMin >= 0 ? '+' : ''}${mbPerMin.toFixed(Math.abs(mbPerMin) >= 10 ? 0 : 1)} MB/min`;
}

/** Megabytes (decimal) to bytes. */
export const mb = (n: number): number => n * 1e6;

/** Replaces control characters so untrusted heap strings cannot move the cursor or clear a terminal. */
export function escapeTerminal(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
