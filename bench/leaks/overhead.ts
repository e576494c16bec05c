import path from 'node:path';
import { InspectorConnection } from '../../src/core/inspector/connection';
import { LeakMonitor } from '../../src/core/leak/leakMonitor';
import { launchInspected } from './debuggee';

const WORKLOAD = path.join(__dirname, 'workload.js');
type Mode = 'plain' | 'profiler' | 'full';

/** Runs the fixed workload once in a mode and returns the process CPU time its work took (ms). */
async function once(mode: Mode, iterations: number): Promise<number> {
  const proc = await launchInspected(WORKLOAD, [], [String(iterations)]);
  let conn: InspectorConnection | undefined;
  let monitor: LeakMonitor | undefined;
  try {
    if (mode !== 'plain') {
      conn = await InspectorConnection.connect(proc.wsUrl);
      if (mode === 'profiler') {
        await conn.send('HeapProfiler.enable');
        await conn.send('HeapProfiler.startSampling', { samplingInterval: 16 * 1024 });
      } else {
        monitor = new LeakMonitor(conn, {});
        monitor.on('error', () => undefined);
        await monitor.start();
      }
    }
    const end = Date.now() + 120_000;
    while (!proc.stdout().includes('\n')) {
      if (Date.now() > end) throw new Error('workload did not finish');
      await new Promise((r) => setTimeout(r, 50));
    }
    return JSON.parse(proc.stdout().split('\n')[0]!).cpuMs as number;
  } finally {
    await monitor?.dispose();
    await conn?.close();
    await proc.kill();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/**
 * Overhead on a busy program: the same fixed allocation-heavy workload, alternating plain / sampling-profiler-only /
 * full leak-detection mode, `rounds` times each. Reports the median extra CPU time of each mode relative to the
 * plain run of the same round.
 */
export async function measureThroughputOverhead(opts: { rounds: number; iterations?: number }) {
  const iterations = opts.iterations ?? 300_000;
  const ratios: Record<'profiler' | 'full', number[]> = { profiler: [], full: [] };
  const times: Record<Mode, number[]> = { plain: [], profiler: [], full: [] };
  for (let r = 0; r < opts.rounds; r++) {
    const plain = await once('plain', iterations);
    const profiler = await once('profiler', iterations);
    const full = await once('full', iterations);
    times.plain.push(plain);
    times.profiler.push(profiler);
    times.full.push(full);
    ratios.profiler.push(profiler / plain);
    ratios.full.push(full / plain);
    process.stderr.write(
      `  overhead round ${r + 1}/${opts.rounds}: CPU plain ${plain.toFixed(0)} ms, profiler ${profiler.toFixed(0)} ms, full ${full.toFixed(0)} ms\n`,
    );
  }
  const spread = (xs: number[]) =>
    `${((Math.min(...xs) - 1) * 100).toFixed(1)}…${((Math.max(...xs) - 1) * 100).toFixed(1)} %`;
  return {
    rounds: opts.rounds,
    medianMs: { plain: median(times.plain), profiler: median(times.profiler), full: median(times.full) },
    profilerOnlyPercent: (median(ratios.profiler) - 1) * 100,
    fullModePercent: (median(ratios.full) - 1) * 100,
    profilerSpread: spread(ratios.profiler),
    fullSpread: spread(ratios.full),
  };
}
