import os from 'node:os';
import path from 'node:path';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer } from '../mcp/server';
import { CliCommand, parseOptions, UsageError } from '../command';
import { cliVersion } from '../version';

export const command: CliCommand = {
  name: 'mcp',
  summary: 'serve the Model Context Protocol on stdio: memory tools for AI assistants',
  usage: `Usage: memmon mcp [--allow-remote] [--snapshot-dir <dir>]

A Model Context Protocol server on stdin/stdout for AI assistants (VS Code, Claude, Cursor…). Tools:
monitor_process, run_with_leak_detection, diagnostic_gc, take_heap_snapshot, analyze_heap_snapshot,
diff_heap_snapshots, find_retainers, compare_recordings. Results are bounded (20 KB of text by default) and paged
with nextCursor. Runs until stdin closes.

Options:
  --allow-remote        let tools attach to inspectors that are not on this machine (loopback only by default)
  --snapshot-dir <dir>  where take_heap_snapshot writes when no file is given
                        (default: memmon-snapshots in the system's temporary folder)`,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, {
      'allow-remote': { type: 'boolean' },
      'snapshot-dir': { type: 'string' },
    });
    if (positionals.length) throw new UsageError(`unexpected "${positionals[0]}"`);
    const server = createMcpServer({
      allowRemote: !!values['allow-remote'],
      snapshotDir: path.resolve(values['snapshot-dir'] ?? path.join(os.tmpdir(), 'memmon-snapshots')),
      version: cliVersion(),
    });
    const transport = new StdioServerTransport();
    await server.connect(transport);
    const closed = new Promise<void>((resolve) => {
      server.server.onclose = resolve;
      process.stdin.once('end', resolve);
      io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    io.stderr.write(
      `memmon mcp: serving Memory Monitor tools on stdio${values['allow-remote'] ? ' (remote targets allowed)' : ''}\n`,
    );
    await closed;
    await server.close();
    return 0;
  },
};
