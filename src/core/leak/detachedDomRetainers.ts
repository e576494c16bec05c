import type { HeapSnapshotModel } from '../heap/query/model';
import { findRetainingLine } from './retainingLine';
import type { ScriptSources } from './scriptSources';
import type { LeakRetainer, RetainerKind } from './types';

/** Groups named in a `dom` verdict. */
const MAX_GROUPS = 3;

/** The holder kinds `findRetainingLine` knows, by the class a detached-elements label names. */
const KIND_OF_CLASS: Record<string, RetainerKind> = { Array: 'array', Map: 'map', Set: 'set', Object: 'object' };

/**
 * The JavaScript keeping a page's detached DOM nodes, for a `dom` verdict: the largest groups of the detached-elements
 * view of the later snapshot (`removed (Array)` …), with their detached node count, its growth since the earlier
 * snapshot, and the page script line that adds to the holder when its source can be read.
 */
export function detachedDomRetainers(
  before: HeapSnapshotModel,
  after: HeapSnapshotModel,
  dtSec: number,
  sources: ScriptSources,
  scriptUrls: readonly string[],
): LeakRetainer[] {
  const earlier = new Map(before.detachedElements().groups.map((g) => [g.retainer, g.nodes]));
  return after
    .detachedElements()
    .groups.slice(0, MAX_GROUPS)
    .map((g) => {
      const growth = (g.nodes - (earlier.get(g.retainer) ?? 0)) / dtSec;
      const at = addingLine(g.retainer, sources, scriptUrls);
      return {
        path: g.retainer,
        kind: 'detached-dom',
        file: at?.file ?? null,
        line: at?.line ?? null,
        count: g.nodes,
        countGrowthPerSec: Math.round(growth * 100) / 100,
        retainedBytes: g.retainedSize,
      };
    });
}

/**
 * The line that adds to a holder labelled `name (Class)` or `name()`, searched in the page's scripts (1-based) and
 * source-mapped when the script names a map.
 */
function addingLine(
  label: string,
  sources: ScriptSources,
  scriptUrls: readonly string[],
): { file: string; line: number } | null {
  const m = /^([\w$]+)(?: \(([\w$]+)\)|\(\))$/.exec(label);
  if (!m) return null;
  const holder = { kind: m[2] ? (KIND_OF_CLASS[m[2]] ?? 'other') : 'closure', name: m[1], event: null };
  let fallback: { file: string; line: number } | null = null;
  for (const url of scriptUrls) {
    const script = sources.script(url);
    const hit = script && findRetainingLine(script.text, holder);
    if (!script || !hit) continue;
    const original = sources.original(script, hit.line + 1, hit.column);
    const at = original ? { file: original.file, line: original.line } : { file: script.file, line: hit.line + 1 };
    if (hit.how === 'adds') return at;
    fallback ??= at;
  }
  return fallback;
}
