import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LEAST_UPPER_BOUND, originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';

/** A script the debuggee runs, read from disk. */
export interface ScriptText {
  /** Absolute path of the generated script. */
  file: string;
  text: string;
  /** Offsets of the start of each line. */
  lineStarts: number[];
}

/** A position in a user's original source, 1-based line and column. */
export interface OriginalPosition {
  file: string;
  line: number;
  column: number;
  name?: string;
}

const MAX_SCRIPT_BYTES = 8 * 1024 * 1024;

/** Turns a CDP script URL into an absolute path, or null for internals (`node:…`, eval, anonymous). */
function scriptUrlToPath(url: string): string | null {
  if (!url) return null;
  if (url.startsWith('file://')) {
    try {
      return fileURLToPath(url);
    } catch {
      return null; // a file URL this platform cannot map (e.g. another OS's drive letter)
    }
  }
  return path.isAbsolute(url) ? url : null;
}

/**
 * Reads scripts and their source maps from disk (cached), and maps generated positions to original ones.
 * Disk rather than `Debugger.getScriptSource`: it costs the debuggee nothing and needs no Debugger domain.
 */
export class ScriptSources {
  private readonly scripts = new Map<string, ScriptText | null>();
  private readonly maps = new Map<string, TraceMap | null>();

  /**
   * Fetches http(s) scripts (a browser page's, e.g. its HTML with inline scripts, from the dev server that serves
   * it) so that `script(url)` finds them; other URLs are left to `script`. What fails to load stays unknown.
   */
  async fetchRemote(urls: readonly string[], timeoutMs = 3000): Promise<void> {
    for (const url of new Set(urls)) {
      if (!/^https?:\/\//.test(url) || this.scripts.has(url)) continue;
      let entry: ScriptText | null = null;
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
        const text = res.ok ? await res.text() : '';
        if (text && text.length <= MAX_SCRIPT_BYTES) entry = { file: url, text, lineStarts: lineStartsOf(text) };
      } catch {
        entry = null; // unreachable from here (another machine's dev server): lines stay unknown
      }
      this.scripts.set(url, entry);
      this.maps.set(url, null); // positions are the page's own: a remote map is not followed
    }
  }

  /** The script behind a CDP URL, or null when it is not a readable local file (or a fetched page script). */
  script(url: string): ScriptText | null {
    if (/^https?:\/\//.test(url)) return this.scripts.get(url) ?? null;
    const file = scriptUrlToPath(url);
    if (!file) return null;
    if (this.scripts.has(file)) return this.scripts.get(file)!;
    let entry: ScriptText | null = null;
    try {
      if (statSync(file).size <= MAX_SCRIPT_BYTES) {
        const text = readFileSync(file, 'utf8');
        entry = { file, text, lineStarts: lineStartsOf(text) };
      }
    } catch {
      entry = null; // gone or unreadable: sites keep their generated positions
    }
    this.scripts.set(file, entry);
    return entry;
  }

  /** Maps a generated 1-based line and 0-based column through the script's source map, if it has one. */
  original(script: ScriptText, line: number, column0: number): OriginalPosition | null {
    const map = this.mapFor(script);
    if (!map) return null;
    let pos = originalPositionFor(map, { line, column: column0 });
    if (pos.source == null) pos = originalPositionFor(map, { line, column: column0, bias: LEAST_UPPER_BOUND });
    if (pos.source == null || pos.line == null) return null;
    const file =
      scriptUrlToPath(pos.source) ??
      (path.isAbsolute(pos.source) ? pos.source : path.resolve(path.dirname(script.file), pos.source));
    return { file, line: pos.line, column: (pos.column ?? 0) + 1, name: pos.name ?? undefined };
  }

  private mapFor(script: ScriptText): TraceMap | null {
    if (this.maps.has(script.file)) return this.maps.get(script.file)!;
    let map: TraceMap | null = null;
    try {
      map = loadSourceMap(script);
    } catch {
      map = null; // A broken map: fall back to generated positions.
    }
    this.maps.set(script.file, map);
    return map;
  }
}

/** Offsets of the start of each line of `text`. */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** Loads the map named by the last `//# sourceMappingURL=` comment: a data: URL or a file next to the script. */
function loadSourceMap(script: ScriptText): TraceMap | null {
  const tail = script.text.slice(-Math.min(script.text.length, 512 * 1024));
  const matches = [...tail.matchAll(/\/\/[#@]\s*sourceMappingURL=(\S+)\s*$/gm)];
  const ref = matches.at(-1)?.[1];
  if (!ref) return null;
  let json: string;
  let mapFile: string;
  if (ref.startsWith('data:')) {
    const comma = ref.indexOf(',');
    const meta = ref.slice(5, comma);
    const payload = ref.slice(comma + 1);
    json = meta.includes(';base64') ? Buffer.from(payload, 'base64').toString('utf8') : decodeURIComponent(payload);
    mapFile = script.file;
  } else {
    mapFile = scriptUrlToPath(ref) ?? path.resolve(path.dirname(script.file), decodeURIComponent(ref));
    if (statSync(mapFile).size > 4 * MAX_SCRIPT_BYTES) return null;
    json = readFileSync(mapFile, 'utf8');
  }
  return new TraceMap(json, pathToFileURL(mapFile).href);
}
