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
/** Source maps run several times their script's size (names, sourcesContent). */
const MAX_MAP_BYTES = 4 * MAX_SCRIPT_BYTES;

/** Limits of what `fetchRemote` reads; defaults suit real pages, tests make them small. */
export interface RemoteLimits {
  maxScriptBytes?: number;
  maxMapBytes?: number;
}

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

const isHttpUrl = (url: string) => /^https?:\/\//.test(url);

/**
 * Reads scripts and their source maps from disk, or a page's from the server that serves them (cached), and maps
 * generated positions to original ones. Disk and HTTP rather than `Debugger.getScriptSource`: they cost the debuggee
 * nothing and need no Debugger domain.
 */
export class ScriptSources {
  private readonly scripts = new Map<string, ScriptText | null>();
  private readonly maps = new Map<string, TraceMap | null>();
  private readonly limits: Required<RemoteLimits>;

  constructor(limits: RemoteLimits = {}) {
    this.limits = {
      maxScriptBytes: limits.maxScriptBytes ?? MAX_SCRIPT_BYTES,
      maxMapBytes: limits.maxMapBytes ?? MAX_MAP_BYTES,
    };
  }

  /**
   * Fetches http(s) scripts (a browser page's, e.g. its HTML with inline scripts, from the dev server that serves
   * it) so that `script(url)` finds them, with the source map each names (see fetchRemoteMap); other URLs are left
   * to `script`. Each URL is tried once; what fails to load stays unknown, a map that fails leaves bundle positions.
   */
  async fetchRemote(urls: readonly string[], timeoutMs = 3000): Promise<void> {
    const fresh = [...new Set(urls)].filter((url) => isHttpUrl(url) && !this.scripts.has(url));
    await Promise.all(
      fresh.map(async (url) => {
        // Unreachable from here (another machine's dev server): lines stay unknown.
        const body = await fetchCapped(url, this.limits.maxScriptBytes, timeoutMs).catch(() => null);
        const entry = body?.text ? { file: url, text: body.text, lineStarts: lineStartsOf(body.text) } : null;
        // A page's HTML: a map named at its end belongs to one inline script, not to the document's lines.
        const html = !!body && (/html/i.test(body.type) || /^\s*</.test(body.text));
        const map = entry && !html ? await this.fetchRemoteMap(entry, timeoutMs) : null;
        this.scripts.set(url, entry);
        this.maps.set(url, map);
      }),
    );
  }

  /** True once `fetchRemote` has tried `url` (whether or not it loaded). */
  tried(url: string): boolean {
    return this.scripts.has(url);
  }

  /** The script behind a CDP URL, or null when it is not a readable local file (or a fetched page script). */
  script(url: string): ScriptText | null {
    if (isHttpUrl(url)) return this.scripts.get(url) ?? null;
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
    // Sources come resolved against the map's URL: a `file:` URL is reported as its path; an http(s) one (a page's
    // map) or another scheme (`webpack://…`) stays a URL, as the page's own lines do.
    const file =
      scriptUrlToPath(pos.source) ??
      (/^[a-z][a-z\d+.-]*:/i.test(pos.source) || path.isAbsolute(pos.source)
        ? pos.source
        : path.resolve(path.dirname(script.file), pos.source));
    return { file, line: pos.line, column: (pos.column ?? 0) + 1, name: pos.name ?? undefined };
  }

  private mapFor(script: ScriptText): TraceMap | null {
    if (this.maps.has(script.file)) return this.maps.get(script.file)!;
    if (isHttpUrl(script.file)) return null; // fetchRemote decides a served script's map
    let map: TraceMap | null = null;
    try {
      map = loadSourceMap(script);
    } catch {
      map = null; // A broken map: fall back to generated positions.
    }
    this.maps.set(script.file, map);
    return map;
  }

  /**
   * The map a served script names: a data: URL, or a URL (relative to the script) on the script's own origin,
   * fetched with the same timeout and a size cap. A map elsewhere is not followed (memmon fetches only from the
   * server that serves the page's scripts); one that is missing, too big or not a map gives null.
   */
  private async fetchRemoteMap(script: ScriptText, timeoutMs: number): Promise<TraceMap | null> {
    try {
      const ref = sourceMappingRef(script.text);
      if (!ref) return null;
      if (ref.startsWith('data:')) return new TraceMap(decodeDataUrl(ref), script.file);
      const mapUrl = new URL(ref, script.file);
      if (mapUrl.origin !== new URL(script.file).origin) return null;
      const body = await fetchCapped(mapUrl.href, this.limits.maxMapBytes, timeoutMs);
      return body ? new TraceMap(body.text, mapUrl.href) : null;
    } catch {
      return null; // unreachable, timed out or not JSON: bundle positions
    }
  }
}

/**
 * GETs `url` (no redirects) and reads its body as UTF-8, at most `maxBytes` of it: null on an error status or a
 * bigger body (not read further). Rejects when the request fails or times out.
 */
async function fetchCapped(
  url: string,
  maxBytes: number,
  timeoutMs: number,
): Promise<{ text: string; type: string } | null> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  const body = res.body;
  if (!res.ok || !body || Number(res.headers.get('content-length') ?? 0) > maxBytes) {
    await body?.cancel();
    return null;
  }
  const reader = (body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), type: res.headers.get('content-type') ?? '' };
}

/** Offsets of the start of each line of `text`. */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** Loads the map named by the last `//# sourceMappingURL=` comment: a data: URL or a file next to the script. */
function loadSourceMap(script: ScriptText): TraceMap | null {
  const ref = sourceMappingRef(script.text);
  if (!ref) return null;
  let json: string;
  let mapFile: string;
  if (ref.startsWith('data:')) {
    json = decodeDataUrl(ref);
    mapFile = script.file;
  } else {
    mapFile = scriptUrlToPath(ref) ?? path.resolve(path.dirname(script.file), decodeURIComponent(ref));
    if (statSync(mapFile).size > MAX_MAP_BYTES) return null;
    json = readFileSync(mapFile, 'utf8');
  }
  return new TraceMap(json, pathToFileURL(mapFile).href);
}

/** The URL of the last `//# sourceMappingURL=` comment near the end of a script, or null. */
function sourceMappingRef(text: string): string | null {
  const tail = text.slice(-Math.min(text.length, 512 * 1024));
  const matches = [...tail.matchAll(/\/\/[#@]\s*sourceMappingURL=(\S+)\s*$/gm)];
  return matches.at(-1)?.[1] ?? null;
}

/** The JSON text of a `data:` source map URL (base64 or percent-encoded). */
function decodeDataUrl(ref: string): string {
  const comma = ref.indexOf(',');
  const meta = ref.slice(5, comma);
  const payload = ref.slice(comma + 1);
  return meta.includes(';base64') ? Buffer.from(payload, 'base64').toString('utf8') : decodeURIComponent(payload);
}
