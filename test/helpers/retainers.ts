import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InspectorConnection } from '../../src/core/inspector/connection';
import { probeRetainers } from '../../src/core/leak/retainerProbe';
import { ScriptSources } from '../../src/core/leak/scriptSources';
import { startDebuggee } from './debuggee';

/** The leak corpus and its manifest (expected top retainer per leaky program). */
export const CORPUS = path.resolve(__dirname, '../fixtures/leaks');
export const manifest = JSON.parse(readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')).programs as Array<{
  program: string;
  retainer?: { path: string | null; kind: string; file: string; line: number };
}>;

/** The 1-based number of the one line of `file` that contains `text` (throws when none or several do). */
export function lineOf(file: string, text: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const at = lines.flatMap((l, i) => (l.includes(text) ? [i + 1] : []));
  if (at.length !== 1) throw new Error(`${at.length} lines of ${file} contain ${JSON.stringify(text)}`);
  return at[0]!;
}

/** Runs the two-snapshot retainer probe against a real leaky program (corpus name or path) and returns what it named. */
export async function probe(program: string) {
  const d = await startDebuggee(path.isAbsolute(program) ? program : path.join(CORPUS, program));
  const conn = await InspectorConnection.connect(d.wsUrl);
  try {
    return await probeRetainers(conn, new ScriptSources(), { gapMs: 2000 });
  } finally {
    await conn.close();
    await d.kill();
  }
}
