import type { HeapAnalysis } from '../analyze/analysis';
import type { NodeSourceLocation } from '../treeTypes';

/** A class key made from a constructor location: "scriptId,line,column,Name" (see assignClasses). */
const LOCATED_KEY = /^(\d+),(\d+),(\d+),/;

/** The constructor location a Summary class key carries, or null for classes without one. */
export function classKeyLocation(key: string): { scriptId: number; line: number; column: number } | null {
  const m = LOCATED_KEY.exec(key);
  return m ? { scriptId: Number(m[1]), line: Number(m[2]), column: Number(m[3]) } : null;
}

/** Whether a Summary class has a constructor location (then "go to source" opens it). */
export function classHasSource(key: string): boolean {
  return LOCATED_KEY.test(key);
}

/**
 * Script names of a snapshot: V8 stores no script table, but every closure with a location reaches its Script
 * object through `shared` → `script_or_debug_info` (older V8: `script`), and a Script node's name is its URL.
 * Built once, on first use, in one pass over the located nodes.
 */
export class ScriptNames {
  private names: Map<number, string> | null = null;

  constructor(private readonly analysis: HeapAnalysis) {}

  /** The name of a script id, or null. */
  nameOf(scriptId: number): string | null {
    this.names ??= this.build();
    return this.names.get(scriptId) ?? null;
  }

  /** The constructor location of a Summary class (by key), with its script's name; null for classes without one. */
  classLocation(key: string): NodeSourceLocation | null {
    const loc = classKeyLocation(key);
    return loc ? { ...loc, scriptName: this.nameOf(loc.scriptId) } : null;
  }

  /** The location of a node ordinal, with its script's name; null when the snapshot has none for it. */
  locationOf(n: number): NodeSourceLocation | null {
    const { raw } = this.analysis;
    const loc = raw.nodeLocation ? raw.nodeLocation[n] : -1;
    if (loc < 0) return null;
    const scriptId = raw.locationScript[loc];
    return {
      scriptId,
      scriptName: this.nameOf(scriptId),
      line: raw.locationLine[loc],
      column: raw.locationColumn[loc],
    };
  }

  private build(): Map<number, string> {
    const names = new Map<number, string>();
    const { raw } = this.analysis;
    const { nodeLocation, locationScript, nodeType, firstEdge, edgeTo, edgeType, edgeName, strings } = raw;
    if (!nodeLocation) return names;
    const closure = raw.layout.nodeType.closure;
    const { element, hidden } = raw.layout.edgeType;
    // Per-string-index memo of the edge names we follow (0 = unknown, 1 = other, 2 = shared, 3 = script).
    const kind = new Uint8Array(strings.size);
    const edgeKind = (e: number): number => {
      const t = edgeType[e];
      if (t === element || t === hidden) return 1;
      const i = edgeName[e];
      if (!kind[i]) {
        const s = strings.get(i);
        kind[i] = s === 'shared' ? 2 : s === 'script_or_debug_info' || s === 'script' ? 3 : 1;
      }
      return kind[i];
    };
    const follow = (n: number, want: number): number => {
      for (let e = firstEdge[n]; e < firstEdge[n + 1]; e++) if (edgeKind(e) === want) return edgeTo[e];
      return -1;
    };
    for (let n = 0; n < raw.nodeCount; n++) {
      const loc = nodeLocation[n];
      if (loc < 0 || nodeType[n] !== closure || names.has(locationScript[loc])) continue;
      const shared = follow(n, 2);
      const script = shared < 0 ? -1 : follow(shared, 3);
      if (script < 0) continue;
      const name = strings.get(raw.nodeName[script]);
      if (name) names.set(locationScript[loc], name);
    }
    return names;
  }
}
