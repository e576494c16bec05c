import path from 'node:path';
import { existsSync } from 'node:fs';
import { formatBytes, formatRate } from '../../core/format';
import { ProcessMonitor } from '../../core/monitor/processMonitor';
import { CliCommand, parseOptions, RuntimeError } from '../command';
import { MonitorSession, SessionPlugin } from '../session/monitorSession';
import { runProgram } from '../session/runProgram';
import { describeGc } from './gc';
import { LeakSessionPlugin } from '../session/plugins/leakPlugin';

/** Finds the bundled leaky sample next to the built CLI (dist/ → ../examples) or in the source tree. */
function demoProgramPath(): string {
  const candidates = [
    path.resolve(__dirname, '../examples/leaky-app.js'),
    path.resolve(__dirname, '../../../examples/leaky-app.js'),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new RuntimeError(`the bundled demo program is missing (looked in ${candidates.join(', ')})`);
  return found;
}

/** Runs a diagnostic GC half-way and explains the outcome at the end. */
class DemoNarrator implements SessionPlugin {
  private monitor: ProcessMonitor | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly gcAfterMs: number,
    private readonly json: boolean,
  ) {}

  attach(monitor: ProcessMonitor, session: MonitorSession): void {
    if (this.monitor) return;
    this.monitor = monitor;
    this.timer = setTimeout(() => void this.runGc(monitor, session), this.gcAfterMs);
  }

  private async runGc(monitor: ProcessMonitor, session: MonitorSession): Promise<void> {
    try {
      const r = await monitor.runDiagnosticGc({ testCycle: true });
      if (!this.json)
        session.note(`diagnostic GC at ${Math.round(this.gcAfterMs / 1000)} s:\n${describeGc(r).trimEnd()}`);
    } catch (err) {
      session.note(`diagnostic GC failed: ${(err as Error).message}`);
    }
  }

  finish(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  summarize(): Record<string, unknown> {
    const m = this.monitor;
    if (!m) return {};
    const samples = m.history.toArray();
    if (samples.length < 2) return {};
    const first = samples[0];
    const last = samples[samples.length - 1];
    const gc = m.gcHistory[0];
    const rate = ((last.heapUsed - first.heapUsed) / (last.t - first.t)) * 1000;
    const text = [
      '',
      'What happened:',
      `  the heap went from ${formatBytes(first.heapUsed)} to ${formatBytes(last.heapUsed)} in ${((last.t - first.t) / 1000).toFixed(0)} s (${formatRate(rate)}),`,
      gc
        ? `  and a forced full GC freed only ${formatBytes(gc.freed)}: the growth is live memory, not garbage waiting to be collected.`
        : '',
      '  examples/leaky-app.js keeps every Order in `auditLog`, a Map that is never pruned: a leak.',
      '  Try it on your own program:  memmon run -- node your-app.js',
    ].filter(Boolean);
    if (!this.json) process.stderr.write(`${text.join('\n')}\n`);
    return { demo: { heapGrowthBytesPerSec: Math.round(rate), gcFreed: gc?.freed ?? null } };
  }
}

/**
 * Leak detection as `memmon run --detect-leaks` does it, except for the exit code: the demo succeeds when it
 * shows the leak (in CI, memmon would exit 4 here).
 */
function demoLeakDetection(json: boolean): SessionPlugin {
  const leaks = new LeakSessionPlugin({ sensitivity: 'normal' });
  return {
    attach: (monitor, session) => leaks.attach(monitor, session),
    statusText: () => leaks.statusText(),
    leakStanding: (monitor) => leaks.leakStanding(monitor),
    growthOf: (monitor) => leaks.growthOf(monitor),
    summarize: () => leaks.summarize(),
    finish: async () => {
      await leaks.finish();
      if (!json) {
        process.stderr.write(
          leaks.suspected
            ? '  (In CI, `memmon run --detect-leaks -- node your-app.js` exits 4 on a verdict like this one.)\n'
            : '  (The leak detector needs a little longer than this run for a verdict; try `memmon demo --duration 40`.)\n',
        );
      }
    },
    exitCode: () => null,
  };
}

export const command: CliCommand = {
  name: 'demo',
  summary: 'watch a bundled leaky sample program for ~40 s and see what memmon shows',
  usage: `Usage: memmon demo [--duration <s>] [--json]

Runs examples/leaky-app.js (an order service that leaks every Order it creates) under the monitor with low
thresholds (warning 48 MB, critical 60 MB, emergency 120 MB) so that alerts show up, with leak detection on
(as --detect-leaks), forces a diagnostic GC half-way, and explains what happened. Exits 0.`,
  async run(argv, io) {
    const { values } = parseOptions(argv, { duration: { type: 'string' }, json: { type: 'boolean' } }, false);
    const seconds = values.duration ? Number(values.duration) : 40; // 30 s ended before the retainer snapshots named auditLog
    if (!Number.isFinite(seconds) || seconds <= 0)
      throw new RuntimeError(`--duration expects a positive number, got "${values.duration}"`);
    const program = [process.execPath, demoProgramPath()];
    const json = !!values.json;
    if (!json)
      io.stderr.write(`memmon demo: monitoring ${path.basename(program[1])} for ${seconds} s (Ctrl-C stops it)\n`);
    return runProgram(
      program,
      {
        monitor: { intervalMs: 500, thresholdMb: 60, alertThresholdMb: 120, memoryUsageIntervalMs: 5000 },
        json,
        failOnEmergency: false,
        durationMs: seconds * 1000,
        plainStatusEveryMs: 2000,
        plugins: [new DemoNarrator((seconds * 1000) / 2, json), demoLeakDetection(json)],
      },
      io,
    );
  },
};
