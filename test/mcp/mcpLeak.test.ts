import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startMcp, textOf, ToolJson } from './mcpClient';

const CORPUS = path.resolve(__dirname, '../fixtures/leaks');

test('run_with_leak_detection flags a 1 MB/s leak at its line, as `memmon run --detect-leaks --json` does', async () => {
  const expected = (
    JSON.parse(readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')).programs as Array<{
      program: string;
      site?: { file: string; line: number };
    }>
  ).find((p) => p.program === 'leak-1mb.js')!;
  const mcp = await startMcp();
  try {
    const progress: number[] = [];
    const result = (await mcp.client.callTool(
      {
        name: 'run_with_leak_detection',
        arguments: { command: `"${process.execPath}" ${path.join(CORPUS, 'leak-1mb.js')}`, durationSeconds: 38 },
      },
      undefined,
      { timeout: 90_000, onprogress: (p) => progress.push(p.progress) },
    )) as CallToolResult;
    assert.ok(!result.isError, textOf(result));
    const s = result.structuredContent as ToolJson;
    assert.equal(s.suspected, true, textOf(result));
    assert.equal(s.exitCode, 4);
    assert.match(textOf(result), /^LEAK SUSPECTED: heap grows \+[\d.]+ [kM]B\/(s|min) in pid \d+/);
    const heap = s.verdicts.find((v: { metric: string }) => v.metric === 'heap');
    assert.ok(heap.rateBytesPerSec > 500_000 && heap.rateBytesPerSec < 2_000_000, `rate ${heap.rateBytesPerSec}`);
    assert.equal(heap.sites[0].file, path.join(CORPUS, expected.site!.file));
    assert.equal(heap.sites[0].line, expected.site!.line);
    assert.equal(s.units.rateBytesPerSec, 'bytes/second');
    assert.ok(Buffer.byteLength(textOf(result)) <= 20_000);
    assert.ok(progress.length >= 10, `${progress.length} progress notifications`);
  } finally {
    await mcp.close();
  }
});
