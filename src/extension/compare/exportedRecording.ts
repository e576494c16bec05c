// Reads what `Memory: Export Recording…` writes (JSON or CSV) as a core Recording, so exported runs can be compared
// like JSONL recordings. No vscode import.
import { readFile } from 'node:fs/promises';
import { loadRecording, Recording, RecordingError } from '../../core/recording/recordingLoader';

type Sample = Recording['processes'][number]['samples'][number];

/** Loads a recording: an exported `.json` or `.csv`, else anything `loadRecording` reads (JSONL, a log folder). */
export async function loadAnyRecording(file: string): Promise<Recording> {
  if (/\.json$/i.test(file)) return fromExportedJson(file, await readText(file));
  if (/\.csv$/i.test(file)) return fromExportedCsv(file, await readText(file));
  return loadRecording(file);
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new RecordingError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The JSON document of Export Recording: `{session, pid, samples:[…], gcs:[…], alerts:[…]}`. */
export function fromExportedJson(source: string, text: string): Recording {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new RecordingError(`${source}: not JSON (expected a file written by Memory: Export Recording…)`);
  }
  const d = doc as { pid?: unknown; samples?: unknown; gcs?: unknown; alerts?: unknown };
  if (!d || typeof d !== 'object' || !Array.isArray(d.samples))
    throw new RecordingError(`${source}: no "samples" array (expected a file written by Memory: Export Recording…)`);
  const samples: Sample[] = [];
  for (const s of d.samples as Record<string, unknown>[]) {
    const t = num(s?.t);
    const heapUsed = num(s?.heapUsed);
    if (t === null || heapUsed === null) continue;
    samples.push({ t, heapUsed, heapTotal: num(s.heapTotal) ?? heapUsed, rss: num(s.rss) });
  }
  if (!samples.length) throw new RecordingError(`${source}: holds no samples`);
  const gcs = (Array.isArray(d.gcs) ? (d.gcs as Record<string, unknown>[]) : [])
    .filter((g) => num(g?.t) !== null && num(g?.freed) !== null)
    .map((g) => ({ t: g.t as number, freed: g.freed as number, durationMs: num(g.durationMs) ?? 0 }));
  const alerts = (Array.isArray(d.alerts) ? (d.alerts as Record<string, unknown>[]) : [])
    .filter((a) => num(a?.t) !== null && typeof a.level === 'string' && !a.cleared)
    .map((a) => ({
      t: a.t as number,
      level: a.level as never,
      metric: (typeof a.metric === 'string' ? a.metric : '') as never,
    }));
  return { source, processes: [{ pid: num(d.pid), samples, gcs, alerts }], skippedLines: 0 };
}

/** The CSV of Export Recording: header `t,time,pid,heapUsed,heapTotal,rss,…`, one row per sample. */
export function fromExportedCsv(source: string, text: string): Recording {
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  const header = (lines.shift() ?? '').split(',');
  const col = (name: string) => header.indexOf(name);
  const [ti, hi, ht, ri, pi] = [col('t'), col('heapUsed'), col('heapTotal'), col('rss'), col('pid')];
  if (ti < 0 || hi < 0)
    throw new RecordingError(
      `${source}: not a recording CSV (needs columns t and heapUsed, as Memory: Export Recording… writes)`,
    );
  const samples: Sample[] = [];
  let pid: number | null = null;
  let skipped = 0;
  for (const line of lines) {
    // Numeric columns never hold quotes or commas, so a plain split is enough for them.
    const cells = line.split(',');
    const t = Number(cells[ti]);
    const heapUsed = Number(cells[hi]);
    if (!Number.isFinite(t) || !Number.isFinite(heapUsed) || cells[hi] === '') {
      skipped++;
      continue;
    }
    const rss = ri >= 0 && cells[ri] !== '' ? Number(cells[ri]) : null;
    samples.push({
      t,
      heapUsed,
      heapTotal: ht >= 0 && cells[ht] !== '' ? Number(cells[ht]) : heapUsed,
      rss: rss !== null && Number.isFinite(rss) ? rss : null,
    });
    if (pid === null && pi >= 0 && cells[pi]) pid = Number(cells[pi]) || null;
  }
  if (!samples.length) throw new RecordingError(`${source}: holds no samples`);
  return { source, processes: [{ pid, samples, gcs: [], alerts: [] }], skippedLines: skipped };
}
