import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ExitCode } from '../command';
import { outputFields } from './schemas';
import { cliErrorLine, runCliCommand } from './cliRunner';
import { COMMON_UNITS, singleResult, ToolError } from './toolOutput';

/** Registers compare_recordings: the `memmon compare` verdict on two JSONL recordings. */
export function registerRecordingTools(server: McpServer): void {
  server.registerTool(
    'compare_recordings',
    {
      title: 'Compare two memory recordings',
      description:
        'Compares two JSON-lines recordings (baseline A, candidate B: memmon --log-dir files or folders, or captured `memmon run --json` output) and tells whether B is worse than A beyond a tolerance: peak RSS, peak heap, heap growth rate, alert level — `memmon compare --json`.',
      inputSchema: {
        a: z.string().describe('Baseline recording (.jsonl file or folder)'),
        b: z.string().describe('Candidate recording (.jsonl file or folder)'),
        tolerance: z
          .string()
          .regex(/^\d+(\.\d+)?%?$/)
          .default('10%')
          .describe('Allowed relative increase, e.g. "10%"'),
      },
      outputSchema: outputFields({ worse: z.boolean(), checks: z.array(z.unknown()) }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args, extra) => {
      const run = await runCliCommand(
        ['compare', args.a, args.b, '--json', '--tolerance', args.tolerance],
        extra.signal,
      );
      const rec = run.records.find((r) => r.type === 'compare');
      if (!rec || (run.exitCode !== ExitCode.ok && run.exitCode !== ExitCode.regression))
        throw new ToolError(cliErrorLine(run, 'memmon compare: failed'));
      const { type: _t, ...result } = rec as Record<string, unknown> & {
        worse: boolean;
        checks: Array<{ metric: string; worse: boolean }>;
        tolerance: number;
      };
      const worse = result.checks.filter((c) => c.worse).map((c) => c.metric);
      return singleResult(
        result.worse
          ? `B is WORSE than A beyond the ${+(result.tolerance * 100).toFixed(2)} % tolerance: ${worse.join(', ')}`
          : `B is not worse than A (tolerance ${+(result.tolerance * 100).toFixed(2)} %)`,
        result,
        {
          ...COMMON_UNITS,
          peak: 'bytes',
          final: 'bytes',
          heapGrowthBytesPerSec: 'bytes/second',
          tolerance: 'fraction (0.1 = 10 %)',
        },
      );
    },
  );
}
