import { existsSync } from 'node:fs';
import { ScriptSources } from '../../leak/scriptSources';
import type { NodeSourceLocation } from '../treeTypes';

/** A file position to open: 1-based line and column, plus the generated position when a source map was applied. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
  generated?: { file: string; line: number };
}

/**
 * Turns a snapshot location into a file position, through the script's source map when it has one (TypeScript).
 * Throws a one-line reason when there is nothing on this machine to open.
 */
export function sourcePosition(loc: NodeSourceLocation, sources: ScriptSources = new ScriptSources()): SourcePosition {
  if (!loc.scriptName)
    throw new Error(`the snapshot does not name script ${loc.scriptId} (no function of it is in the heap)`);
  const script = sources.script(loc.scriptName);
  if (!script) throw new Error(`${loc.scriptName} is not a readable local file`);
  const generated = { file: script.file, line: loc.line + 1, column: loc.column + 1 };
  const original = sources.original(script, loc.line + 1, loc.column);
  if (original && existsSync(original.file))
    return {
      file: original.file,
      line: original.line,
      column: original.column,
      generated: { file: generated.file, line: generated.line },
    };
  return generated;
}
