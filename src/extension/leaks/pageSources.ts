// A browser page's scripts are URLs; the user's files are on disk. js-debug maps one to the other with the launch
// configuration's `webRoot` (default ${workspaceFolder}) and `pathMapping`; leak flags, hovers and report links use
// the same mapping, so a leak on a page is flagged in the workspace file the page was served from.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where a page's URLs live on disk (from a pwa-chrome / pwa-msedge launch configuration). */
export interface PageSourceRoots {
  webRoot?: string;
  /** URL path prefix → local folder, as in js-debug's `pathMapping`. */
  pathMapping?: Record<string, string>;
}

/** The roots of a debug configuration (the concrete page session's, else its parent launch's, else the workspace). */
export function pageSourceRoots(
  configs: ReadonlyArray<Record<string, unknown> | undefined>,
  workspaceFolder: string | undefined,
): PageSourceRoots {
  const pick = <T>(key: string, ok: (v: unknown) => v is T): T | undefined => {
    for (const c of configs) if (c && ok(c[key])) return c[key];
    return undefined;
  };
  const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  const isMapping = (v: unknown): v is Record<string, string> =>
    typeof v === 'object' && v !== null && Object.values(v).every((x) => typeof x === 'string');
  const webRoot = pick('webRoot', isString)?.replace('${workspaceFolder}', workspaceFolder ?? '') ?? workspaceFolder;
  const pathMapping = pick('pathMapping', isMapping);
  return { ...(webRoot && { webRoot }), ...(pathMapping && { pathMapping }) };
}

const isFile = (f: string) => existsSync(f) && statSync(f).isFile();

/**
 * The local file a script URL was served from: file:// URLs directly; http(s) URLs by the longest matching
 * `pathMapping` prefix, else under `webRoot` (a path ending in `/` is its index.html). Null when no such file exists
 * (a page served from elsewhere): the URL stays as it is. Local paths are returned unchanged.
 */
export function localFileForUrl(url: string, roots: PageSourceRoots): string | null {
  if (path.isAbsolute(url)) return url;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol === 'file:') {
    const f = fileURLToPath(u);
    return isFile(f) ? f : null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (pathname.endsWith('/')) pathname += 'index.html';
  const candidates: string[] = [];
  const mappings = Object.entries(roots.pathMapping ?? {}).sort((a, b) => b[0].length - a[0].length);
  for (const [prefix, dir] of mappings) {
    const bare = prefix.replace(/^https?:\/\/[^/]+/, '');
    if (pathname.startsWith(bare)) candidates.push(path.join(dir, pathname.slice(bare.length)));
  }
  if (roots.webRoot) candidates.push(path.join(roots.webRoot, pathname));
  for (const c of candidates) {
    // Never outside the root it was joined to (a URL path with ../ segments is normalised by URL already).
    if (isFile(c)) return c;
  }
  return null;
}
