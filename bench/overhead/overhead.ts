/**
 * `npm run bench:overhead`: what monitoring costs the debuggee.
 * (a) CPU time of idle debuggees (process.cpuUsage, measured inside each) over the same wall time, unmonitored,
 *     monitored at 1 Hz (default) and at 10 Hz, run side by side so they see the same machine load.
 * (b) Throughput of a CPU-bound debuggee with the monitor at 1 Hz vs without, alternating runs, median ratio.
 * Flags: --idle-seconds N (default 60), --runs N (default 10), --run-ms N (default 3000).
 */
import { fork, ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ProcessMonitor } from '../../src/core/monitor/processMonitor';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const IDLE_SECONDS = arg('idle-seconds', 60);
const RUNS = arg('runs', 10);
const RUN_MS = arg('run-ms', 3000);

interface Debuggee {
  child: ChildProcess;
  wsUrl: string | null;
}

/** Forks a fixture, with the inspector open when `inspect` is set, and waits for its "ready". */
function start(file: string, inspect: boolean, args: string[] = []): Promise<Debuggee> {
  const child = fork(path.join(__dirname, file), args, {
    execArgv: inspect ? ['--inspect=127.0.0.1:0'] : [],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let err = '';
  let wsUrl: string | null = null;
  child.stderr!.on('data', (d) => {
    err += d;
    wsUrl ??= /Debugger listening on (ws:\/\/\S+)/.exec(err)?.[1] ?? null;
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) =>
      m === 'ready'
        ? resolve({
            child,
            get wsUrl() {
              return wsUrl;
            },
          } as Debuggee)
        : reject(new Error(String(m))),
    );
    child.once('exit', (c) => reject(new Error(`fixture exited ${c}: ${err}`)));
  });
}

const ask = <T>(child: ChildProcess, msg: string): Promise<T> =>
  new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(msg);
  });

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function idleCost(): Promise<void> {
  console.log(`(a) idle debuggee CPU over ${IDLE_SECONDS} s (side by side; process.cpuUsage inside each debuggee)`);
  const configs = [
    { name: 'not monitored (inspector open)', hz: 0, idleReuse: undefined },
    { name: 'monitored at 1 Hz (default)', hz: 1, idleReuse: undefined },
    { name: 'monitored at 1 Hz, heap asked every interval', hz: 1, idleReuse: false as const },
    { name: 'monitored at 10 Hz, heap asked every interval', hz: 10, idleReuse: false as const },
  ];
  const running = await Promise.all(
    configs.map(async (c) => {
      const d = await start('idle-debuggee.js', true);
      const monitor = c.hz
        ? await ProcessMonitor.attach(d.wsUrl!, {
            intervalMs: 1000 / c.hz,
            memoryUsageIntervalMs: 10_000,
            idleReuse: c.idleReuse,
          })
        : null;
      let samples = 0;
      monitor?.on('sample', () => samples++);
      return { ...c, d, monitor, samples: () => samples };
    }),
  );
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  const results = await Promise.all(
    running.map(async (r) => ({ ...r, cpu: await ask<{ userUs: number; systemUs: number }>(r.d.child, 'report') })),
  );
  for (const r of running) {
    await r.monitor?.dispose();
    r.d.child.kill();
  }
  const base = results[0]!.cpu.userUs + results[0]!.cpu.systemUs;
  console.log(
    '| configuration | samples | debuggee CPU (ms) | extra vs unmonitored (ms) | per sample (µs) | per second of monitoring (µs/s) | share of one core |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const r of results) {
    const total = r.cpu.userUs + r.cpu.systemUs;
    const extra = total - base;
    const n = r.samples();
    const perSample = n ? extra / n : 0;
    const perSecond = extra / IDLE_SECONDS;
    console.log(
      `| ${r.name} | ${n} | ${(total / 1000).toFixed(1)} | ${r.hz ? (extra / 1000).toFixed(1) : '—'} | ${r.hz ? perSample.toFixed(0) : '—'} | ${r.hz ? perSecond.toFixed(0) : '—'} | ${r.hz ? `${((perSecond / 1e6) * 100).toFixed(4)} %` : '—'} |`,
    );
  }
  console.log('Target: at 1 Hz ≤ 100 µs of debuggee CPU per second of monitoring (0.01 %).\n');
}

async function throughput(): Promise<void> {
  console.log(
    `(b) CPU-bound debuggee throughput, ${RUNS} alternating runs of ${RUN_MS} ms each, monitor at 1 Hz vs none`,
  );
  const plain: number[] = [];
  const monitored: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    for (const withMonitor of i % 2 ? [true, false] : [false, true]) {
      const d = await start('cpu-bound.js', true, [String(RUN_MS)]);
      const monitor = withMonitor ? await ProcessMonitor.attach(d.wsUrl!, { intervalMs: 1000 }) : null;
      const { opsPerSec } = await ask<{ opsPerSec: number }>(d.child, 'go');
      await monitor?.dispose();
      d.child.kill();
      (withMonitor ? monitored : plain).push(opsPerSec);
    }
  }
  const ratios = monitored.map((m, i) => m / plain[i]!);
  const spread = (xs: number[]) =>
    `${((Math.min(...xs) / median(xs) - 1) * 100).toFixed(1)} % … +${((Math.max(...xs) / median(xs) - 1) * 100).toFixed(1)} %`;
  console.log('| | median ops/s | spread around median |');
  console.log('|---|---|---|');
  console.log(`| not monitored | ${median(plain).toFixed(0)} | ${spread(plain)} |`);
  console.log(`| monitored at 1 Hz | ${median(monitored).toFixed(0)} | ${spread(monitored)} |`);
  const r = median(ratios);
  console.log(
    `Median throughput ratio (monitored / not): ${r.toFixed(4)} (${((r - 1) * 100).toFixed(2)} %); per-pair ratios ${Math.min(...ratios).toFixed(3)}…${Math.max(...ratios).toFixed(3)}.`,
  );
  console.log(`Run-to-run noise of the unmonitored runs: ${spread(plain)}.`);
}

(async () => {
  await idleCost();
  await throughput();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
