// The SDK's own Client over a real stdio transport, talking to the built `memmon mcp`.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CLI } from '../helpers/cli';

/** A connected client and the server's stderr so far. */
export interface McpSession {
  client: Client;
  stderr(): string;
  close(): Promise<void>;
}

/** Starts `node dist/cli.js mcp …args` and connects the SDK client to it over stdio. */
export async function startMcp(args: string[] = []): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', ...args],
    stderr: 'pipe',
    env: { ...process.env } as Record<string, string>,
  });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const client = new Client({ name: 'memmon-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => err, close: () => client.close() };
}

/** The text of a tool result (its only content item). */
export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  if (first?.type !== 'text') throw new Error(`expected a text result, got ${JSON.stringify(result).slice(0, 300)}`);
  return first.text;
}

/** A tool's structured result, read field by field in the tests (a precise type per tool would add nothing). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ToolJson = any;

/** Calls a tool and returns its structured content, failing with the text when the tool reported an error. */
export async function callOk(
  session: McpSession,
  name: string,
  args: Record<string, unknown>,
  timeout = 60_000,
): Promise<ToolJson> {
  const result = (await session.client.callTool({ name, arguments: args }, undefined, { timeout })) as CallToolResult;
  if (result.isError) throw new Error(`${name} failed: ${textOf(result)}`);
  return { ...result.structuredContent, _text: textOf(result) };
}
