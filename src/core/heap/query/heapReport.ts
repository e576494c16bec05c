import { escapeTerminal, formatBytes } from '../../format';
import type { ClassDiffRow, ClassSummaryRow, HeapAnalysisPhase, LeakReport } from '../types';
import type { HeapStatistics } from './statistics';
import type { DetachedElements } from './detachedElements';
import type { DuplicateStringGroup } from './duplicateStrings';
import type { GrowingObject } from './growth';
import type { GlobalVariable } from './globals';
import type { SourceFileGroup } from './sourceFiles';

/** Heap strings are untrusted: control, bidi and zero-width characters escaped, long names shortened. */
function printableName(name: string, max = 80): string {
  const safe = escapeTerminal(name);
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

/** DevTools' Statistics as a small table (bytes and share of the total). */
export function formatStatistics(s: HeapStatistics): string {
  const other = s.v8heap.total - s.v8heap.code - s.v8heap.strings - s.v8heap.jsArrays - s.v8heap.system;
  const rows: [string, number][] = [
    ['Total', s.total],
    ['  V8 heap', s.v8heap.total],
    ['    Code', s.v8heap.code],
    ['    Strings', s.v8heap.strings],
    ['    JS arrays', s.v8heap.jsArrays],
    ['    System objects', s.v8heap.system],
    ['    Other', other],
    ['  Native', s.native.total],
    ['    Typed arrays', s.native.typedArrays],
  ];
  const pct = (n: number) => (s.total ? `${((100 * n) / s.total).toFixed(1)}%` : '-');
  return `${rows.map(([label, n]) => `${label.padEnd(22)} ${formatBytes(n).padStart(10)} ${pct(n).padStart(6)}`).join('\n')}\n`;
}

/** Duplicated strings: value (escaped, shortened), copies, sizes and the bytes all but one copy waste. */
export function formatDuplicateStrings(groups: DuplicateStringGroup[]): string {
  const lines = [
    `${'String'.padEnd(50)} ${'Copies'.padStart(7)} ${'Self size'.padStart(10)} ${'Retained'.padStart(10)} ${'Wasted'.padStart(10)}`,
  ];
  for (const g of groups) {
    lines.push(
      `${printableName(JSON.stringify(g.value), 50).padEnd(50)} ${String(g.count).padStart(7)} ${formatBytes(g.totalSelfSize).padStart(10)} ${formatBytes(g.totalRetainedSize).padStart(10)} ${formatBytes(g.wastedBytes).padStart(10)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Global variables the program added: name, class and id of the value, its sizes. */
export function formatGlobals(rows: GlobalVariable[]): string {
  if (!rows.length) return 'No global variables besides the built-in ones.\n';
  const lines = [
    `${'Global variable'.padEnd(40)} ${'Value'.padEnd(28)} ${'Self size'.padStart(10)} ${'Retained'.padStart(10)}`,
  ];
  for (const g of rows) {
    lines.push(
      `${printableName(g.name, 40).padEnd(40)} ${printableName(`${g.className} @${g.id}`, 28).padEnd(28)} ${formatBytes(g.selfSize).padStart(10)} ${formatBytes(g.retainedSize).padStart(10)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The detached-elements view as a table: one line per retaining JavaScript, then its path from the roots. */
export function formatDetachedElements(view: DetachedElements, shown = view.groups): string {
  if (!view.hasDom) return 'No detached DOM nodes (this snapshot has no DOM).\n';
  if (!view.groups.length) return 'No detached DOM nodes.\n';
  const lines = [
    `${'Retained by'.padEnd(40)} ${'Nodes'.padStart(7)} ${'Roots'.padStart(6)} ${'Retained'.padStart(10)}  Examples`,
  ];
  for (const g of shown) {
    lines.push(
      `${printableName(g.retainer, 40).padEnd(40)} ${String(g.nodes).padStart(7)} ${String(g.roots).padStart(6)} ${formatBytes(g.retainedSize).padStart(10)}  ${printableName(g.examples.join(', '), 60)}`,
    );
    if (g.path.length) lines.push(`    path: ${printableName(g.path.join(' → '), 200)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The Summary by source file: each file's totals, then its three largest classes indented. */
export function formatSourceFiles(groups: SourceFileGroup[]): string {
  const lines = [
    `${'Source file'.padEnd(60)} ${'Count'.padStart(9)} ${'Self size'.padStart(10)} ${'Retained'.padStart(10)}`,
  ];
  const row = (label: string, r: { count: number; selfSize: number; retainedSize: number }) =>
    `${label.padEnd(60)} ${String(r.count).padStart(9)} ${formatBytes(r.selfSize).padStart(10)} ${formatBytes(r.retainedSize).padStart(10)}`;
  for (const g of groups) {
    // Long paths keep their end (the file name) rather than their start.
    const file = printableName(g.file, 400);
    lines.push(row(file.length > 60 ? `…${file.slice(-59)}` : file, g));
    for (const c of g.classes.slice(0, 3)) lines.push(row(`    ${printableName(c.name, 56)}`, c));
    if (g.classes.length > 3) lines.push(`    … ${g.classes.length - 3} more classes`);
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

/** Objects that grew in every snapshot: kind, id, references per snapshot, retained growth and path. */
export function formatGrowing(rows: GrowingObject[]): string {
  if (!rows.length) return 'No array, map, set or object grew in every snapshot.\n';
  const out = ['Grew in every snapshot:'];
  for (const g of rows) {
    const retained = g.retainedSizes.map((n) => formatBytes(n)).join(' → ');
    out.push(`  ${g.kind} @${g.id}  references ${g.sizes.join(' → ')}  retained ${retained}`);
    out.push(`    path: ${printableName(g.path, 200) || '(GC root)'}`);
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
