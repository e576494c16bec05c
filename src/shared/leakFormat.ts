// Pure formatting of leak figures, shared by the extension and the Leak Report webview (no Node or vscode import).

// The webview bundle cannot import src/core (Node typings), so this mirrors core/leak/leakReport.ts's formatRate;
// test/extension/leakText.test.ts keeps the two equal.

/** Bytes per second as a human rate in MB/min (or kB/min for slow leaks); decimal units, like the rest of memmon. */
export function formatRate(bytesPerSec: number): string {
  const perMin = bytesPerSec * 60;
  return perMin >= 1e6 ? `${(perMin / 1e6).toFixed(1)} MB/min` : `${(perMin / 1e3).toFixed(0)} kB/min`;
}

/** Bytes as kB/MB/GB with one decimal (decimal units, like the status bar). */
export function formatLeakBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  return `${Math.round(n / 1e3)} kB`;
}
