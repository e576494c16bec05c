// `npm run bench:heap`: our full snapshot analysis against @vscode/v8-heap-parser and memlab, alternating, on
// snapshots of a realistic program. Every run is a fresh process so peak RSS is that run's own.
// Flags: --sizes 150[,500,1000,2000] (MB of snapshot) --runs 3 --tools ours,v8-heap-parser,memlab --regenerate
//        --timeout-min 30 --json-out file --probe-runs 1 (event-loop probes per size: query times are their medians)
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureCompetitors } from './competitors.mjs';
import { measure } from './measure.mjs';
import { ensureSnapshot } from './snapshots.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
// A private copy of our bundles: a `npm run build` elsewhere in the tree (it wipes dist/) must not break a long run.
const oursDir = path.join(root, 'bench/.competitors/ours');
mkdirSync(oursDir, { recursive: true });
for (const f of ['cli.js', 'heapWorker.js']) copyFileSync(path.join(root, 'dist', f), path.join(oursDir, f));
const cli = path.join(oursDir, 'cli.js');
process.env.MEMMON_HEAP_WORKER = path.join(oursDir, 'heapWorker.js');

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '150' },
    runs: { type: 'string', default: '3' },
    tools: { type: 'string', default: 'ours,v8-heap-parser,memlab' },
    regenerate: { type: 'boolean', default: false },
    'timeout-min': { type: 'string', default: '30' },
    'json-out': { type: 'string' },
    'probe-runs': { type: 'string', default: '1' },
  },
});
const sizes = values.sizes
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const runs = Math.max(1, Number(values.runs));
const timeoutMs = Number(values['timeout-min']) * 60_000;
const nodeArgs = ['--max-old-space-size=16384'];

/** Our analysis is `memmon analyze` (parse + dominators + retained sizes + class summary) once the engine is built. */
const oursAvailable = spawnSync(process.execPath, [cli, 'analyze', '--help'], { encoding: 'utf8' }).status === 0;
const competitorsDir = ensureCompetitors(path.join(root, 'bench'));
const tools = {
  ours: { available: oursAvailable, args: (file) => [cli, 'analyze', file, '--json', '--top', '20'] },
  'v8-heap-parser': {
    available: true,
    args: (file) => [path.join(here, 'runners/v8-heap-parser.cjs'), competitorsDir, file],
  },
  memlab: { available: true, args: (file) => [path.join(here, 'runners/memlab.cjs'), competitorsDir, file] },
};
const selected = values.tools.split(',').filter((t) => {
  if (!tools[t]) throw new Error(`unknown tool ${t}; known: ${Object.keys(tools).join(', ')}`);
  if (!tools[t].available) console.error(`skipping ${t}: not available (memmon analyze is not built yet)`);
  return tools[t].available;
});

const results = [];
for (const size of sizes) {
  const snap = await ensureSnapshot(root, size, { regenerate: values.regenerate });
  if (snap.capture)
    console.error(
      `captured ${mb(snap.bytes)} in ${(snap.capture.durationMs / 1000).toFixed(1)} s, memmon snapshot peak RSS ${mb(snap.capture.peakBytes)}`,
    );
  const perTool = Object.fromEntries(selected.map((t) => [t, []]));
  // Alternate tools within each round so that machine noise hits all of them alike.
  for (let r = 0; r < runs; r++) {
    for (const t of selected) {
      const m = await measure(process.execPath, tools[t].args(snap.file), { nodeArgs, timeoutMs });
      const status =
        m.code === 0 ? 'ok' : m.signal === 'SIGKILL' ? 'timeout/killed' : `crashed: ${lastErrorLine(m.stderr)}`;
      perTool[t].push({ wallMs: m.wallMs, peakBytes: m.peakBytes, status });
      console.error(
        `${size} MB #${r + 1} ${t.padEnd(15)} ${status === 'ok' ? `${(m.wallMs / 1000).toFixed(2)} s, peak ${mb(m.peakBytes)}` : status}`,
      );
    }
  }
  const eventLoop = await probeEventLoop(snap.file, Math.max(1, Number(values['probe-runs'])));
  console.error(`${size} MB event loop while the worker analyses: ${JSON.stringify(eventLoop)}`);
  results.push({ sizeMb: size, file: snap.file, bytes: snap.bytes, capture: snap.capture, tools: perTool, eventLoop });
}

printTable(results);
for (const r of results) {
  const e = r.eventLoop;
  console.log(
    e
      ? `${mb(r.bytes)}: calling thread's event loop max delay ${e.eventLoopMaxDelayMs} ms (p99 ${e.eventLoopP99DelayMs} ms, 10 ms timer max drift ${e.timerMaxDriftMs} ms) during a ${(e.openMs / 1000).toFixed(1)} s open + queries in the worker`
      : `${mb(r.bytes)}: event-loop probe failed`,
  );
  for (const [key, label] of [
    ['viewQueriesMs', 'viewer queries in the worker, first call (ms)'],
    ['treeQueriesMs', 'dominator/retainer tree queries (ms)'],
    ['afterIndexMs', 'duplicated strings once the background index is built, 10 s after open (ms)'],
  ])
    if (e?.[key])
      console.log(
        `${mb(r.bytes)}: ${label}${e.runs > 1 ? `, median of ${e.runs} opens (max)` : ''}: ${Object.entries(e[key])
          .map(([k, v]) => `${k} ${v}${e.max?.[key]?.[k] !== undefined ? ` (${e.max[key][k]})` : ''}`)
          .join(', ')}`,
      );
  if (r.capture)
    console.log(
      `${mb(r.bytes)}: captured by memmon snapshot in ${(r.capture.durationMs / 1000).toFixed(1)} s, memmon peak RSS ${mb(r.capture.peakBytes)}`,
    );
}
if (values['json-out']) writeFileSync(values['json-out'], JSON.stringify(results, null, 2));

function printTable(all) {
  const rows = [
    ['snapshot', 'tool', 'median time', 'median peak RSS', 'RSS ÷ file', 'ours faster by', 'ours RSS ratio', 'runs'],
  ];
  for (const res of all) {
    const ours = summarize(res.tools.ours ?? []);
    for (const [t, list] of Object.entries(res.tools)) {
      const s = summarize(list);
      const ok = s.ok > 0;
      rows.push([
        mb(res.bytes),
        t,
        ok ? `${(s.wallMs / 1000).toFixed(2)} s` : '—',
        ok ? mb(s.peakBytes) : '—',
        ok ? `${(s.peakBytes / res.bytes).toFixed(2)}×` : '—',
        t !== 'ours' && ok && ours.ok ? `${(s.wallMs / ours.wallMs).toFixed(1)}×` : '—',
        t !== 'ours' && ok && ours.ok ? `${(ours.peakBytes / s.peakBytes).toFixed(2)}×` : '—',
        s.ok === list.length
          ? `${s.ok}/${list.length}`
          : `${s.ok}/${list.length} (${list.find((x) => x.status !== 'ok').status})`,
      ]);
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const line = (r) => `| ${r.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  console.log(line(rows[0]));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
}

/**
 * `runs` event-loop probes (each a fresh process): the first probe's record, with every query time, openMs and the
 * event-loop figures replaced by their medians over the probes (`max`: the largest of each query; `probes`: all).
 */
async function probeEventLoop(file, runs) {
  const probes = [];
  for (let i = 0; i < runs; i++) {
    const p = await measureEventLoop(file);
    if (p) probes.push(p);
  }
  if (probes.length <= 1) return probes[0] ?? null;
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const result = { ...probes[0], runs: probes.length, max: {}, probes };
  for (const k of ['openMs', 'eventLoopMaxDelayMs', 'eventLoopP99DelayMs', 'timerMaxDriftMs'])
    result[k] = median(probes.map((p) => p[k]));
  for (const key of ['viewQueriesMs', 'treeQueriesMs', 'afterIndexMs']) {
    result[key] = {};
    result.max[key] = {};
    for (const q of Object.keys(probes[0][key] ?? {})) {
      const xs = probes.map((p) => p[key]?.[q]).filter((x) => typeof x === 'number');
      result[key][q] = median(xs);
      result.max[key][q] = Math.max(...xs);
    }
  }
  return result;
}

/** Opens the snapshot through HeapAnalysisClient (worker) and reports the calling thread's worst event-loop delay. */
async function measureEventLoop(file) {
  const m = await measure(process.execPath, [path.join(here, 'eventLoop.ts'), file], {
    nodeArgs: ['--import', 'tsx'],
    timeoutMs,
  });
  try {
    return JSON.parse(m.stdout.trim().split('\n').pop());
  } catch {
    console.error(`event-loop probe failed: ${lastErrorLine(m.stderr)}`);
    return null;
  }
}

function summarize(list) {
  const ok = list.filter((x) => x.status === 'ok');
  return {
    ok: ok.length,
    wallMs: median(ok.map((x) => x.wallMs)),
    peakBytes: median(ok.map((x) => x.peakBytes ?? NaN)),
  };
}

function median(xs) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function mb(bytes) {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(0)} MB`;
}

function lastErrorLine(stderr) {
  const lines = stderr.trim().split('\n').filter(Boolean);
  return (lines.find((l) => /RuntimeError|Error:|heap out of memory|Aborted/.test(l)) ?? lines.at(-1) ?? 'no output')
    .trim()
    .slice(0, 120);
}
