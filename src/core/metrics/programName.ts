import type { InspectorConnection } from '../inspector/connection';
import { evaluateValue } from '../inspector/evaluate';

/** The debuggee's main script (`process.argv[1]`), else its process title; null outside Node.js. */
const PROGRAM_EXPRESSION = `(() => {
  const p = globalThis.process;
  if (!p) return null;
  return String((p.argv && p.argv[1]) || p.title || p.argv0 || '');
})()`;

/** The `program` label of a script path or command: its file name (`/srv/app/server.js` → `server.js`). */
export function programNameOf(pathOrCommand: string): string {
  const base = pathOrCommand.trim().split(/[\\/]/).pop() ?? '';
  return base || 'unknown';
}

/** Asks the debuggee for its program name (one cheap evaluation); null when it cannot tell. */
export async function readProgramName(conn: InspectorConnection): Promise<string | null> {
  try {
    const value = await evaluateValue(conn, PROGRAM_EXPRESSION, { timeoutMs: 5000 });
    return typeof value === 'string' && value ? programNameOf(value) : null;
  } catch {
    return null;
  }
}
