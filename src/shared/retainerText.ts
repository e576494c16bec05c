// Plain-text figures of leak retainers, shared by the extension's flags and the Leak Report panel. No vscode import.

/** A holder's entry growth: `+2,000 entries/s` when fast, else `+120 entries/min`; null when unknown. */
export function entryGrowthText(perSec: number | null): string | null {
  if (perSec === null || !Number.isFinite(perSec)) return null;
  const sign = perSec < 0 ? '−' : '+';
  const abs = Math.abs(perSec);
  return abs >= 10
    ? `${sign}${Math.round(abs).toLocaleString('en-US')} entries/s`
    : `${sign}${Math.round(abs * 60).toLocaleString('en-US')} entries/min`;
}

/** `~0.4 s` / `~12 s` / `~3 min`: the expected pause of the retainer probe's two snapshots; null when unknown. */
export function pauseText(probe: { estimatedPauseMs: number | null }): string | null {
  if (probe.estimatedPauseMs === null) return null;
  const ms = 2 * probe.estimatedPauseMs;
  if (ms < 1000) return `~${Math.max(0.1, Math.round(ms / 100) / 10)} s`;
  if (ms < 120_000) return `~${Math.round(ms / 1000)} s`;
  return `~${Math.round(ms / 60_000)} min`;
}
