import { escapeTerminal, formatBytes } from '../../format';
import type { ClassDiffRow, ClassSummaryRow, HeapAnalysisPhase, LeakReport } from '../types';

/** Heap strings are untrusted: control characters and bidi overrides escaped, long names shortened. */
function printableName(name: string, max = 80): string {
  const safe = escapeTerminal(name).replace(
    /[\u200e\u200f\u2028-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16)}`,
  );
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}

function distanceText(d: number): string {
  return d < 0 || d >= 100000000 ? '-' : String(d);
}

/** A readable class summary table. */
export function formatClassTable(rows: ClassSummaryRow[]): string {
  const lines = [
    `${'Class'.padEnd(50)} ${'Count'.padStart(9)} ${'Self size'.padStart(10)} ${'Retained'.padStart(10)} ${'Dist'.padStart(5)}`,
  ];
  for (const r of rows) {
    lines.push(
      `${printableName(r.name, 50).padEnd(50)} ${String(r.count).padStart(9)} ${formatBytes(r.selfSize).padStart(10)} ${formatBytes(r.retainedSize).padStart(10)} ${distanceText(r.distance).padStart(5)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A readable two-snapshot comparison table. */
export function formatDiffTable(rows: ClassDiffRow[]): string {
  const lines = [
    `${'Class'.padEnd(44)} ${'# New'.padStart(8)} ${'# Deleted'.padStart(9)} ${'# Delta'.padStart(8)} ${'Alloc'.padStart(9)} ${'Freed'.padStart(9)} ${'Δ Size'.padStart(9)}`,
  ];
  for (const r of rows) {
    lines.push(
      `${printableName(r.name, 44).padEnd(44)} ${String(r.addedCount).padStart(8)} ${String(r.removedCount).padStart(9)} ${signed(r.countDelta).padStart(8)} ${formatBytes(r.addedSize).padStart(9)} ${formatBytes(r.removedSize).padStart(9)} ${formatBytes(r.sizeDelta).padStart(9)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A readable leak report: groups with their retainer paths. */
export function formatLeakReport(report: LeakReport, top: number): string {
  const out = [
    `${report.leakedCount} objects allocated after the baseline are still alive (${formatBytes(report.leakedRetainedSize)} retained)`,
  ];
  for (const g of top ? report.groups.slice(0, top) : report.groups) {
    out.push(
      '',
      `${printableName(g.name, 60)} × ${g.count}  retained ${formatBytes(g.retainedSize)}  (e.g. @${g.sampleIds.join(', @')})`,
    );
    out.push(
      `  path: ${g.retainerPath.length ? g.retainerPath.map((s) => printableName(s, 60)).join(' → ') : '(GC root)'}`,
    );
  }
  return `${out.join('\n')}\n`;
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** A status-line progress reporter for stderr on terminals (returns a no-op reporter otherwise) and its clear(). */
export function terminalProgress(
  stream: NodeJS.WritableStream,
  enabled: boolean,
  label: string,
): { update: (phase: HeapAnalysisPhase, fraction: number) => void; clear: () => void } {
  let last = 0;
  let shown = false;
  return {
    update(phase, fraction) {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 100 && fraction < 1) return;
      last = now;
      shown = true;
      stream.write(`\r\x1b[K${label}: ${phase} ${Math.round(fraction * 100)}%`);
    },
    clear() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
