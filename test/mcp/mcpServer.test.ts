import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { runCli } from '../helpers/cli';
import { Debuggee, FIXTURES, startDebuggee } from '../helpers/debuggee';
import { fixtureBytes, tempSnapshot } from '../heap/fixtures';
import { callOk, McpSession, startMcp, textOf, ToolJson } from './mcpClient';

const TOOLS = [
  'analyze_heap_snapshot',
  'compare_recordings',
  'diagnostic_gc',
  'diff_heap_snapshots',
  'find_retainers',
  'monitor_process',
  'run_with_leak_detection',
  'take_heap_snapshot',
];

describe('memmon mcp over a real stdio transport (SDK Client)', () => {
  let mcp: McpSession;
  let debuggee: Debuggee;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'memmon-mcp-'));

  before(async () => {
    [mcp, debuggee] = await Promise.all([startMcp(['--snapshot-dir', dir]), startDebuggee('grow.js', ['40'])]);
  });
  after(async () => {
    await mcp?.close();
    await debuggee?.kill();
  });

  it('lists exactly the eight tools, each with JSON-schema input and output', async () => {
    const { tools } = await mcp.client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), TOOLS);
    for (const t of tools) {
      assert.equal(t.inputSchema.type, 'object', t.name);
      assert.equal(t.outputSchema?.type, 'object', t.name);
      assert.ok(t.description && t.description.length > 40, t.name);
    }
    const monitor = tools.find((t) => t.name === 'monitor_process')!;
    assert.ok(monitor.inputSchema.properties?.durationSeconds && monitor.inputSchema.properties?.pid);
  });

  it('monitor_process samples a live debuggee (by target and by pid), with progress, units and a trend', async () => {
    const progress: number[] = [];
    const result = (await mcp.client.callTool(
      { name: 'monitor_process', arguments: { target: debuggee.wsUrl, durationSeconds: 3, intervalSeconds: 0.25 } },
      undefined,
      { onprogress: (p) => progress.push(p.progress), timeout: 30_000 },
    )) as CallToolResult;
    assert.ok(!result.isError, textOf(result));
    const s = result.structuredContent as ToolJson;
    assert.equal(s.pid, debuggee.pid);
    assert.ok(s.samples >= 6, `samples ${s.samples}`);
    assert.ok(s.heapUsed.peak >= s.heapUsed.first && s.heapUsed.peak > 1e6);
    assert.ok(s.rss.peak > s.heapUsed.peak, 'RSS covers the heap');
    assert.ok(['up', 'down', 'flat'].includes(s.trend.direction));
    assert.equal(s.units.heapUsed, 'bytes');
    assert.ok(s.timeline.length >= 6 && s.timeline.length <= 30);
    assert.deepEqual(s.alerts, []);
    assert.ok(progress.length >= 1, 'progress notifications');
    assert.match(textOf(result), new RegExp(`^pid ${debuggee.pid}, \\d+ samples over [\\d.]+ s: heap [\\d.]+ [kMG]?B`));
    if (process.platform === 'linux') {
      const byPid = await callOk(mcp, 'monitor_process', { pid: debuggee.pid, durationSeconds: 1 });
      assert.equal(byPid.pid, debuggee.pid);
      assert.equal(byPid.target, `127.0.0.1:${debuggee.port}`);
    }
  });

  it('diagnostic_gc proves the collector and reports the heap spaces', async () => {
    const gc = await callOk(mcp, 'diagnostic_gc', { target: String(debuggee.port), testCycle: true, detailed: true });
    assert.equal(gc.pid, debuggee.pid);
    assert.equal(gc.testCycle.collected, true);
    assert.ok(Array.isArray(gc.spaces) && gc.spaces.some((x: { name: string }) => x.name === 'old_space'));
    assert.equal(gc.freed, gc.before.heapUsed - gc.after.heapUsed);
    assert.match(gc._text, /^freed -?[\d.]+ [kMG]?B in [\d.]+ ms: heap used .* → .*; collector verified$/m);
  });

  it('take_heap_snapshot writes a file; analyze pages it under the byte bound; find_retainers explains it', async () => {
    const snap = await callOk(mcp, 'take_heap_snapshot', { target: debuggee.wsUrl }, 120_000);
    assert.ok(snap.file.startsWith(dir) && existsSync(snap.file));
    assert.equal(snap.bytes, statSync(snap.file).size);
    assert.ok(snap.pauseMs >= 0 && snap.units.pauseMs === 'milliseconds');
    assert.equal(statSync(snap.file).mode & 0o777, 0o600);

    const first = await callOk(mcp, 'analyze_heap_snapshot', { file: snap.file, maxBytes: 3000 });
    assert.ok(Buffer.byteLength(first._text) <= 3000, `${Buffer.byteLength(first._text)} bytes`);
    assert.ok(first.nodeCount > 1000 && first.classes.length >= 1 && first.nextCursor);
    assert.equal(first.page.offset, 0);
    const second = await callOk(mcp, 'analyze_heap_snapshot', {
      file: snap.file,
      cursor: first.nextCursor,
      maxBytes: 3000,
    });
    assert.equal(second.page.offset, first.classes.length);
    assert.notDeepEqual(second.classes[0], first.classes[0]);
    const all = await callOk(mcp, 'analyze_heap_snapshot', { file: snap.file });
    assert.ok(Buffer.byteLength(all._text) <= 20_000, 'default bound 20 KB');
    const arrays = await callOk(mcp, 'analyze_heap_snapshot', { file: snap.file, classFilter: 'array' });
    assert.ok(arrays.classes.length >= 1 && arrays.classes.every((c: { name: string }) => /array/i.test(c.name)));

    const retainers = await callOk(mcp, 'find_retainers', { file: snap.file, className: 'Array', instances: 1 });
    assert.ok(retainers.paths.length >= 1);
    // grow.js keeps its arrays in `keep`, a closure variable of the interval callback.
    assert.match(retainers.paths[0].text, /Array @\d+$/);
    const byId = await callOk(mcp, 'find_retainers', { file: snap.file, id: `@${retainers.targets[0].id}` });
    assert.equal(byId.paths[0].targetId, retainers.targets[0].id);
  });

  it('diff_heap_snapshots finds the leaked Sessions across three snapshots and the growth across two', async () => {
    const [base, target, final] = ['leak-baseline', 'leak-target', 'leak-final'].map((n) =>
      tempSnapshot(fixtureBytes(n), `${n}.heapsnapshot`),
    );
    const leaks = await callOk(mcp, 'diff_heap_snapshots', { files: [base, target, final] });
    assert.equal(leaks.mode, 'leaks');
    assert.equal(leaks.leakedCount, 1792);
    assert.equal(leaks.classes[0].name, 'Session');
    assert.equal(leaks.classes[0].count, 200);
    assert.deepEqual(leaks.groups[0].retainerPath, ['global.app', 'Object.registry', 'Map.table', '(array)[]']);
    const diff = await callOk(mcp, 'diff_heap_snapshots', { files: [base, target], classFilter: 'session' });
    assert.equal(diff.mode, 'diff');
    assert.equal(diff.classes.length, 1);
    assert.equal(diff.classes[0].countDelta, 200);
  });

  it('compare_recordings gives the memmon compare verdict on two real recordings', async () => {
    const record = async (mb: string, file: string) => {
      const r = await runCli([
        'run',
        '--json',
        '--interval',
        '0.25',
        '--duration',
        '6', // 3 s gave no sample at all once, on a loaded machine (attaching took the whole run)
        '--',
        process.execPath,
        path.join(FIXTURES, 'grow.js'),
        mb,
      ]);
      assert.ok(
        r.stdout.split('\n').filter((l) => l.includes('"type":"sample"')).length >= 4,
        `a recording with samples: ${r.stderr}`,
      );
      writeFileSync(file, r.stdout);
    };
    const a = path.join(dir, 'a.jsonl');
    const b = path.join(dir, 'b.jsonl');
    await Promise.all([record('4', a), record('60', b)]);
    const worse = await callOk(mcp, 'compare_recordings', { a, b });
    assert.equal(worse.worse, true);
    assert.ok(worse.checks.some((c: { metric: string; worse: boolean }) => c.metric === 'peakHeap' && c.worse));
    assert.match(worse._text, /^B is WORSE than A/);
    const same = await callOk(mcp, 'compare_recordings', { a, b: a });
    assert.equal(same.worse, false);
  });

  it("errors are tool errors with the CLI's one-line messages", async () => {
    const bad = tempSnapshot('{"snapshot": {"meta": ', 'bad.heapsnapshot');
    const cases: Array<[string, Record<string, unknown>, string[]]> = [
      ['analyze_heap_snapshot', { file: bad }, ['analyze', bad]],
      ['diagnostic_gc', { target: '127.0.0.1:1' }, ['gc', '127.0.0.1:1']],
      ['take_heap_snapshot', { target: '10.1.2.3:9229' }, ['snapshot', '10.1.2.3:9229']],
      [
        'compare_recordings',
        { a: '/nonexistent/a.jsonl', b: '/nonexistent/b.jsonl' },
        ['compare', '/nonexistent/a.jsonl', '/nonexistent/b.jsonl'],
      ],
    ];
    for (const [tool, args, cliArgs] of cases) {
      const result = (await mcp.client.callTool({ name: tool, arguments: args })) as CallToolResult;
      assert.equal(result.isError, true, tool);
      const cli = await runCli(cliArgs);
      const cliLine = cli.stderr.split('\n').find((l) => l.startsWith('memmon'))!;
      assert.equal(textOf(result), cliLine, tool);
      assert.ok(!textOf(result).includes('\n'), 'one line');
    }
    const pid = (await mcp.client.callTool({
      name: 'diagnostic_gc',
      arguments: { pid: 999_999_999 },
    })) as CallToolResult;
    assert.equal(pid.isError, true);
    assert.match(textOf(pid), /^memmon: no process with pid 999999999$/);
  });

  it('cancelling a call stops its program', async () => {
    const pidFile = path.join(dir, 'pid');
    const script = path.join(dir, 'forever.js');
    writeFileSync(
      script,
      `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000);`,
    );
    const controller = new AbortController();
    const call = mcp.client.callTool(
      { name: 'run_with_leak_detection', arguments: { command: [process.execPath, script], durationSeconds: 600 } },
      undefined,
      { signal: controller.signal, timeout: 60_000 },
    );
    const pid = await waitForFile(pidFile);
    controller.abort('test');
    await assert.rejects(call);
    await waitForExit(pid);
    // The server is still serving.
    const again = await callOk(mcp, 'compare_recordings', {
      a: path.join(dir, 'a.jsonl'),
      b: path.join(dir, 'a.jsonl'),
    });
    assert.equal(again.worse, false);
  });
});

describe('memmon mcp without --allow-remote', () => {
  it('refuses a remote target, and accepts it with --allow-remote (then fails only on connecting)', async () => {
    const local = await startMcp();
    try {
      const r = (await local.client.callTool({
        name: 'diagnostic_gc',
        arguments: { target: '192.0.2.1:9229' },
      })) as CallToolResult;
      assert.equal(r.isError, true);
      assert.match(textOf(r), /refusing to attach to non-loopback host "192\.0\.2\.1".*--allow-remote/);
    } finally {
      await local.close();
    }
    const remote = await startMcp(['--allow-remote']);
    try {
      const r = (await remote.client.callTool(
        { name: 'diagnostic_gc', arguments: { target: '192.0.2.1:9229' } },
        undefined,
        { timeout: 60_000 },
      )) as CallToolResult;
      assert.equal(r.isError, true);
      assert.doesNotMatch(textOf(r), /refusing/);
    } finally {
      await remote.close();
    }
  });
});

async function waitForFile(file: string): Promise<number> {
  const { readFileSync } = await import('node:fs');
  const end = Date.now() + 30_000;
  while (Date.now() < end) {
    if (existsSync(file) && readFileSync(file, 'utf8')) return Number(readFileSync(file, 'utf8'));
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${file}`);
}

async function waitForExit(pid: number): Promise<void> {
  const end = Date.now() + 30_000;
  while (Date.now() < end) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`pid ${pid} still alive 30 s after cancelling`);
}
