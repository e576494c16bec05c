import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { formatBytes, formatLeakRate, formatRate } from '../../core/format';
import { heapTrend, TREND_ARROW } from '../../core/sampling/trend';
import { CliRun, cliErrorLine, runCliCommand } from './cliRunner';
import { elapsedProgress, progressFor } from './progress';
import { remoteFlag, resolveTarget, ToolContext } from './toolContext';
import { COMMON_UNITS, singleResult, ToolError } from './toolOutput';
import { splitCommandLine } from './commandLine';
import { outputFields, pagingInput, targetInput } from './schemas';

/** Points of the heap/RSS timeline a monitoring result carries (evenly spaced over the run). */
const TIMELINE_POINTS = 30;

/** Registers the tools that talk to live processes: monitor, run with leak detection, diagnostic GC, snapshot. */
export function registerLiveTools(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    'monitor_process',
    {
      title: 'Monitor a Node.js process',
      description:
        'Samples heap and RSS of a running Node.js process (started with --inspect; give its inspector target or its pid) for N seconds, like `memmon attach --json`. Returns first/last/peak figures, the heap trend, alert levels reached and a coarse timeline. Only loopback targets unless the server runs with --allow-remote.',
      inputSchema: {
        ...targetInput,
        durationSeconds: z.number().positive().max(3600).default(10).describe('How long to sample, in seconds'),
        intervalSeconds: z.number().min(0.1).max(60).default(1).describe('Seconds between samples'),
        memoryThresholdMb: z
          .number()
          .positive()
          .optional()
          .describe('Critical above this many MB (warning above 80 %); default 1000'),
        memoryAlertMb: z.number().positive().optional().describe('Emergency above this many MB; default 2000'),
        detectLeaks: z
          .boolean()
          .default(false)
          .describe('Also run leak detection (forced GCs, sampling heap profiler)'),
        ...pagingInput,
      },
      outputSchema: outputFields({
        pid: z.number().nullable(),
        samples: z.number(),
        maxLevel: z.string(),
        alerts: z.array(z.unknown()),
      }),
      annotations: { readOnlyHint: false, openWorldHint: false },
    },
    async (args, extra) => {
      if (args.cursor) return ctx.pager.next(args.cursor, args.maxBytes);
      const target = await resolveTarget(args);
      const argv = ['attach', target, '--json', '--duration', String(args.durationSeconds)];
      argv.push('--interval', String(args.intervalSeconds), ...remoteFlag(ctx));
      if (args.memoryThresholdMb) argv.push('--memory-threshold-mb', String(args.memoryThresholdMb));
      if (args.memoryAlertMb) argv.push('--memory-alert-mb', String(args.memoryAlertMb));
      if (args.detectLeaks) argv.push('--detect-leaks');
      const stop = elapsedProgress(progressFor(extra), args.durationSeconds, 'monitoring');
      const run = await runCliCommand(argv, extra.signal).finally(stop);
      const summary = summaryOf(run, 'nothing was monitored');
      const proc = (summary.processes as Array<Record<string, unknown>>)[0];
      if (!proc) throw new ToolError(cliErrorLine(run, 'memmon attach: nothing was monitored'));
      const samples = run.records.filter((r) => r.type === 'sample') as unknown as Sample[];
      const trend = heapTrend(samples);
      const heap = proc.heapUsed as Range;
      const rss = proc.rss as Range;
      const alerts = summary.alerts as unknown[];
      return ctx.pager.first(
        {
          summary: `pid ${String((proc.pid as number | null) ?? '?')}, ${proc.samples as number} samples over ${((proc.durationMs as number) / 1000).toFixed(1)} s: heap ${formatBytes(heap.first)} → ${formatBytes(heap.last)} (peak ${formatBytes(heap.peak)}), RSS peak ${formatBytes(rss.peak)}, trend ${TREND_ARROW[trend.direction]} ${formatRate(trend.bytesPerSec)}, level ${summary.maxLevel as string}, ${alerts.length} alerts`,
          data: {
            target,
            reason: summary.reason,
            ...proc,
            trend,
            maxLevel: summary.maxLevel,
            thresholds: summary.thresholds,
            ...(summary.leaks ? { leaks: summary.leaks } : {}),
            timeline: thin(samples, TIMELINE_POINTS).map((s) => ({
              t: s.t,
              heapUsed: s.heapUsed,
              heapTotal: s.heapTotal,
              rss: s.rss,
            })),
          },
          listKey: 'alerts',
          items: alerts,
          units: {
            ...COMMON_UNITS,
            bytesPerSec: 'bytes/second',
            thresholdMb: 'MB (10^6 bytes)',
            alertThresholdMb: 'MB (10^6 bytes)',
          },
        },
        args.maxBytes,
      );
    },
  );

  server.registerTool(
    'run_with_leak_detection',
    {
      title: 'Run a program with leak detection',
      description:
        "Starts a command (every Node.js process it starts is monitored), watches it for leaks for a duration, then stops it — `memmon run --detect-leaks --json`. Returns the leak verdicts per process and metric with growth rate, confidence and the allocation sites whose live memory keeps growing. The program's stdin is closed; its output is not returned.",
      inputSchema: {
        command: z
          .union([z.string().min(1), z.array(z.string()).min(1)])
          .describe('The command line, e.g. "node server.js" or ["node", "server.js"]'),
        durationSeconds: z
          .number()
          .positive()
          .max(3600)
          .default(60)
          .describe('Stop the program after this many seconds'),
        sensitivity: z
          .enum(['low', 'normal', 'high'])
          .default('normal')
          .describe('How readily growth is called a leak'),
        intervalSeconds: z.number().min(0.1).max(60).optional().describe('Seconds between samples (default 1)'),
        ...pagingInput,
      },
      outputSchema: outputFields({ suspected: z.boolean(), verdicts: z.array(z.unknown()) }),
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    async (args, extra) => {
      if (args.cursor) return ctx.pager.next(args.cursor, args.maxBytes);
      let program: string[];
      try {
        program = typeof args.command === 'string' ? splitCommandLine(args.command) : args.command;
      } catch (err) {
        throw new ToolError(`memmon run: ${(err as Error).message}`);
      }
      if (!program.length) throw new ToolError('memmon run: missing program');
      const argv = ['run', '--json', '--detect-leaks', '--sensitivity', args.sensitivity];
      argv.push('--duration', String(args.durationSeconds));
      if (args.intervalSeconds) argv.push('--interval', String(args.intervalSeconds));
      const stop = elapsedProgress(progressFor(extra), args.durationSeconds, 'running with leak detection');
      const run = await runCliCommand([...argv, '--', ...program], extra.signal).finally(stop);
      const summary = summaryOf(run, 'the program could not be run');
      const leaks = (summary.leaks ?? { suspected: false, processes: [] }) as {
        suspected: boolean;
        sensitivity: string;
        processes: Array<{ pid: number | null; verdicts: Array<Record<string, unknown>>; cleared?: unknown[] }>;
      };
      const withdrawn = leaks.processes.reduce((n, p) => n + (p.cleared?.length ?? 0), 0);
      if (run.exitCode === 1 && !(summary.processes as unknown[]).length)
        throw new ToolError(cliErrorLine(run, 'memmon run: nothing was monitored'));
      const verdicts: Array<Record<string, unknown>> = leaks.processes.flatMap((p) =>
        p.verdicts.map((v) => ({ ...v, pid: p.pid })),
      );
      const worst = verdicts.sort((a, b) => (b.rateBytesPerSec as number) - (a.rateBytesPerSec as number))[0];
      return ctx.pager.first(
        {
          summary: leaks.suspected
            ? `LEAK SUSPECTED: ${String(worst?.metric)} grows ${formatLeakRate(String(worst?.metric), (worst?.rateBytesPerSec as number) ?? 0)} in pid ${String((worst?.pid as number | null | undefined) ?? '?')} (${verdicts.length} verdicts)`
            : `no leak ${withdrawn ? `standing (${withdrawn} verdict(s) withdrawn when growth stopped)` : 'suspected'} in ${(summary.processes as unknown[]).length} process(es) over ${((summary.durationMs as number) / 1000).toFixed(1)} s`,
          data: {
            command: program,
            suspected: leaks.suspected,
            sensitivity: leaks.sensitivity,
            exitCode: summary.exitCode,
            programExitCode: summary.programExitCode,
            exitCodeSource: summary.exitCodeSource,
            reason: summary.reason,
            durationMs: summary.durationMs,
            maxLevel: summary.maxLevel,
            processes: summary.processes,
            profilers: leaks.processes.map(({ verdicts: _v, ...rest }) => rest),
            errors: summary.errors,
          },
          listKey: 'verdicts',
          items: verdicts,
          units: {
            ...COMMON_UNITS,
            liveBytes: 'bytes',
            growthBytesPerSec: 'bytes/second',
            confidence: '0..1',
            since: 'ms since epoch',
            criticalInSec: 'seconds (0 = already above, null = not growing)',
            emergencyInSec: 'seconds (0 = already above, null = not growing)',
            heapLimitInSec: 'seconds (0 = already above, null = not growing or not heap growth)',
          },
        },
        args.maxBytes,
      );
    },
  );

  server.registerTool(
    'diagnostic_gc',
    {
      title: 'Run a diagnostic GC',
      description:
        'Forces a full garbage collection in a Node.js process and reports heap and RSS before and after and what was freed — `memmon gc --json`. testCycle proves the collector works (an unreachable cycle of known size must be collected); detailed adds each V8 heap space.',
      inputSchema: {
        ...targetInput,
        testCycle: z.boolean().default(false).describe('Also check that an unreachable test cycle is collected'),
        detailed: z.boolean().default(false).describe('Also report each V8 heap space before and after'),
      },
      outputSchema: outputFields({ freed: z.number(), durationMs: z.number() }),
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    async (args, extra) => {
      const target = await resolveTarget(args);
      const argv = ['gc', target, '--json', ...remoteFlag(ctx)];
      if (args.testCycle) argv.push('--test-cycle');
      if (args.detailed) argv.push('--detailed');
      const run = await runCliCommand(argv, extra.signal);
      const gc = run.records.find((r) => r.type === 'gc');
      if (run.exitCode !== 0 || !gc) throw new ToolError(cliErrorLine(run, 'memmon gc: failed'));
      const { type: _t, ...result } = gc as Record<string, unknown> & {
        before: { heapUsed: number };
        after: { heapUsed: number };
        freed: number;
        durationMs: number;
      };
      const cycle = result.testCycle as { collected: boolean } | null;
      return singleResult(
        `freed ${formatBytes(result.freed)} in ${result.durationMs} ms: heap used ${formatBytes(result.before.heapUsed)} → ${formatBytes(result.after.heapUsed)}${cycle ? (cycle.collected ? '; collector verified' : '; TEST CYCLE NOT COLLECTED') : ''}`,
        result,
        { ...COMMON_UNITS, usedBefore: 'bytes', usedAfter: 'bytes', availableBefore: 'bytes', availableAfter: 'bytes' },
      );
    },
  );

  server.registerTool(
    'take_heap_snapshot',
    {
      title: 'Take a heap snapshot',
      description:
        'Writes a heap snapshot of a running Node.js process to a .heapsnapshot file (mode 0600) — `memmon snapshot --json`. The process is paused while V8 serializes its heap. Returns the file path, its size and the pause. Analyze it with analyze_heap_snapshot.',
      inputSchema: {
        ...targetInput,
        file: z.string().optional().describe("Where to write; default: a new file in the server's snapshot folder"),
      },
      outputSchema: outputFields({ file: z.string(), bytes: z.number(), pauseMs: z.number() }),
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    async (args, extra) => {
      const target = await resolveTarget(args);
      let file = args.file;
      if (!file) {
        mkdirSync(ctx.snapshotDir, { recursive: true, mode: 0o700 });
        file = path.join(ctx.snapshotDir, `Heap-${new Date().toISOString().replace(/[:.]/g, '-')}.heapsnapshot`);
      }
      const progress = progressFor(extra);
      const run = await runCliCommand(
        ['snapshot', target, '-o', file, '--json', ...remoteFlag(ctx)],
        extra.signal,
        (line) => {
          const m = /^snapshot (\d+)%$/.exec(line);
          if (m) progress(Number(m[1]), 100, `snapshot ${m[1]} %`);
        },
      );
      const rec = run.records.find((r) => r.type === 'snapshot') as
        { file: string; bytes: number; durationMs: number; t: number } | undefined;
      if (run.exitCode !== 0 || !rec) throw new ToolError(cliErrorLine(run, 'memmon snapshot: failed'));
      return singleResult(
        `wrote ${formatBytes(rec.bytes)} to ${rec.file}; the process was paused ${(rec.durationMs / 1000).toFixed(1)} s`,
        { file: rec.file, bytes: rec.bytes, pauseMs: rec.durationMs, durationMs: rec.durationMs, t: rec.t },
        COMMON_UNITS,
      );
    },
  );
}

interface Sample {
  t: number;
  heapUsed: number;
  heapTotal: number;
  rss: number | null;
}

interface Range {
  first: number | null;
  last: number | null;
  peak: number | null;
}

/** The summary record of a `run`/`attach`; a ToolError with the CLI's message when there is none. */
export function summaryOf(run: CliRun, fallback: string): Record<string, unknown> {
  const summary = run.records.find((r) => r.type === 'summary');
  if (!summary || run.exitCode === 2) throw new ToolError(cliErrorLine(run, `memmon: ${fallback}`));
  return summary;
}

/** At most `n` evenly spaced items, always including the last. */
function thin<T>(items: T[], n: number): T[] {
  if (items.length <= n) return items;
  const step = (items.length - 1) / (n - 1);
  return Array.from({ length: n }, (_, i) => items[Math.round(i * step)]);
}
