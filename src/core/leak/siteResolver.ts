import { chooseAllocationLine } from './allocationLine';
import type { RawSite } from './allocationSites';
import { ScriptSources } from './scriptSources';
import type { LeakSite } from './types';

type Location = Omit<LeakSite, 'liveBytes' | 'growthBytesPerSec'>;

/** Turns profiler sites into user-facing LeakSites: the allocating line, source-mapped, 1-based. Cached per site. */
export class SiteResolver {
  private readonly cache = new Map<string, Location>();

  constructor(private readonly sources = new ScriptSources()) {}

  resolve(site: RawSite): LeakSite {
    let loc = this.cache.get(site.key);
    if (!loc) {
      loc = this.locate(site);
      // A page script not fetched yet (ScriptSources.fetchRemote) gets its source-mapped line once it is.
      if (!/^https?:\/\//.test(site.frame.url) || this.sources.tried(site.frame.url)) this.cache.set(site.key, loc);
    }
    return { ...loc, liveBytes: site.liveBytes, growthBytesPerSec: site.growthBytesPerSec };
  }

  private locate(site: RawSite): Location {
    const f = site.frame;
    const name = f.functionName || '(anonymous)';
    const script = this.sources.script(f.url);
    if (!script) {
      return {
        file: f.url,
        line: f.lineNumber + 1,
        column: f.columnNumber + 1,
        function: name,
        lineSource: 'function',
      };
    }
    const chosen = chooseAllocationLine(script, f.lineNumber, f.columnNumber);
    const generated = { url: f.url, line: chosen.line + 1, column: chosen.column + 1 };
    const original = this.sources.original(script, chosen.line + 1, chosen.column);
    if (original)
      return {
        file: original.file,
        line: original.line,
        column: original.column,
        function: name,
        generated,
        lineSource: chosen.source,
      };
    return {
      file: script.file,
      line: generated.line,
      column: generated.column,
      function: name,
      lineSource: chosen.source,
    };
  }
}
