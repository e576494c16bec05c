import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { MetricPoint } from './metricNames';

const HEADER = 'time,t,pid,metric,value,unit\n';

/**
 * Appends metric points to a CSV file in long format (one row per metric and moment), ready for a spreadsheet
 * or `pandas.pivot`. Synchronous appends like the JSONL recorder, so a crash loses at most one row; created 0600.
 */
export class MetricsCsvWriter {
  private fd: number | null;

  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    this.fd = openSync(file, 'a', 0o600);
    writeSync(this.fd, HEADER);
  }

  /** Writes one row per point; a no-op after close. */
  write(t: number, pid: number | null, points: MetricPoint[]): void {
    if (this.fd === null || !points.length) return;
    const time = new Date(t).toISOString();
    writeSync(
      this.fd,
      points.map((p) => `${time},${t},${pid ?? ''},${csvField(p.name)},${p.value},${p.unit}\n`).join(''),
    );
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}

/** Quotes a field when it holds a comma, quote or newline (class names come from the user). */
function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
