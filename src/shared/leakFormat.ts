// Pure formatting of leak figures, shared by the extension and the Leak Report webview (no Node or vscode import).

/** Bytes per second as a human rate in MB/min (or KB/min for slow leaks), as the core's leak report writes it. */
export function formatRate(bytesPerSec: number): string {
  const perMin = bytesPerSec * 60;
  return perMin >= 1024 * 1024 ? `${(perMin / 1024 / 1024).toFixed(1)} MB/min` : `${(perMin / 1024).toFixed(0)} KB/min`;
}

/** Bytes as KB/MB/GB with one decimal (binary units, like the core's leak report). */
export function formatLeakBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / 1024 / 1024 / 1024).toFixed(1)} GB`;
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.round(n / 1024)} KB`;
}
