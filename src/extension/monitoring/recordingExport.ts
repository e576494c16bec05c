// Pure conversion of a recording to CSV or JSON for `Memory: Export Recording…`. No vscode import.
import { DOM_METRICS } from '../../core/metrics/domMetrics';
import { SAMPLED_METRICS } from '../../core/metrics/memoryMetrics';
import type { AlertEvent, GcResult, MemorySample } from '../../core/types';

export interface RecordingExport {
  session: string;
  pid: number | null;
  samples: readonly MemorySample[];
  gcs: readonly GcResult[];
  alerts: readonly (
    AlertEvent | { t: number; level: string; metric: string; value: number; limit: number; cleared?: boolean }
  )[];
}

const COLUMNS = ['t', 'time', 'pid', ...SAMPLED_METRICS.map((m) => m.key), 'stale'];

/**
 * One CSV row per sample (RFC 4180, bytes as integers, empty cells for unknown values). A browser page's recording
 * (samples with `dom`) has three more columns, domNodes, domDocuments and domListeners; a Node.js recording's CSV
 * stays as it was.
 */
export function toCsv(r: RecordingExport): string {
  const cell = (v: string | number | null | undefined) => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const dom = r.samples.some((s) => s.dom);
  const lines = [[...COLUMNS, ...(dom ? DOM_METRICS.map((m) => m.csvColumn) : [])].join(',')];
  for (const s of r.samples) {
    lines.push(
      [
        s.t,
        new Date(s.t).toISOString(),
        s.pid,
        ...SAMPLED_METRICS.map((m) => s[m.key]),
        s.stale?.join(' '),
        ...(dom ? DOM_METRICS.map((m) => s.dom?.[m.key]) : []),
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** A JSON document with the samples, diagnostic GCs and alerts (field names as in the `memmon --json` lines). */
export function toJson(r: RecordingExport): string {
  return JSON.stringify(
    {
      session: r.session,
      pid: r.pid,
      exportedAt: new Date().toISOString(),
      samples: r.samples.map((s) => ({ type: 'sample', ...s })),
      gcs: r.gcs.map((g) => ({ type: 'gc', ...g })),
      alerts: r.alerts.map((a) => ({ type: 'alert', ...a })),
    },
    null,
    1,
  );
}

/** A file name fit for any OS, from a session name and a time. */
export function safeFileStem(name: string, t: number): string {
  const stem =
    name
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/\.{2,}/g, '.')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 60) || 'session';
  return `${stem}-${new Date(t).toISOString().replace(/[:.]/g, '-')}`;
}
