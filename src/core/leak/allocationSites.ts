import { SeriesPoint, theilSenSlope } from './stats';

/** CDP `Runtime.CallFrame` as found in sampling heap profiles (0-based line/column of the function). */
export interface ProfileCallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

/** CDP `HeapProfiler.SamplingHeapProfileNode`. */
export interface SamplingProfileNode {
  callFrame: ProfileCallFrame;
  selfSize: number;
  id: number;
  children: SamplingProfileNode[];
}

export interface SamplingProfile {
  head: SamplingProfileNode;
  samples?: Array<{ size: number; nodeId: number; ordinal: number }>;
}

/** A user function charged with live sampled bytes, before source mapping. */
export interface RawSite {
  key: string;
  frame: ProfileCallFrame;
  liveBytes: number;
  growthBytesPerSec: number;
  /** Name of the innermost frame that allocated (a library or runtime function), when not the user frame itself. */
  via?: string;
}

/** Frames that are not user code: runtime pseudo-frames, Node's internals, dependencies. */
function isUserFrame(frame: ProfileCallFrame): boolean {
  const url = frame.url;
  if (!url || url.startsWith('node:') || url.startsWith('internal/')) return false;
  return !/[\\/]node_modules[\\/]/.test(url);
}

function siteKey(f: ProfileCallFrame): string {
  return `${f.url}:${f.lineNumber}:${f.columnNumber}:${f.functionName}`;
}

/**
 * Tracks live sampled bytes per allocation site across successive sampling heap profiles and ranks the sites
 * whose live bytes keep growing. Bytes allocated inside runtime or library code are charged to the nearest
 * user frame on the stack, since that is the code a user can change.
 */
export class AllocationSiteTracker {
  private readonly sites = new Map<
    string,
    { frame: ProfileCallFrame; via: Map<string, number>; points: SeriesPoint[] }
  >();
  private profiles = 0;

  constructor(private readonly windowMs = 150_000) {}

  /** Number of profiles seen. */
  get profileCount(): number {
    return this.profiles;
  }

  /** Adds one `HeapProfiler.getSamplingProfile` result taken at time t. */
  addProfile(t: number, profile: SamplingProfile): void {
    this.profiles++;
    const totals = new Map<string, number>();
    const walk = (node: SamplingProfileNode, user: ProfileCallFrame | null) => {
      const own = isUserFrame(node.callFrame) ? node.callFrame : user;
      if (node.selfSize > 0 && own) {
        const key = siteKey(own);
        totals.set(key, (totals.get(key) ?? 0) + node.selfSize);
        let site = this.sites.get(key);
        if (!site) this.sites.set(key, (site = { frame: own, via: new Map(), points: [] }));
        if (own !== node.callFrame && node.callFrame.functionName) {
          site.via.set(node.callFrame.functionName, (site.via.get(node.callFrame.functionName) ?? 0) + node.selfSize);
        }
      }
      for (const c of node.children) walk(c, own);
    };
    walk(profile.head, null);
    for (const [key, site] of this.sites) {
      site.points.push({ t, v: totals.get(key) ?? 0 });
      while (site.points.length && site.points[0].t < t - this.windowMs) site.points.shift();
      if (site.points.every((p) => p.v === 0)) this.sites.delete(key);
    }
  }

  /** Sites whose live bytes grew over the window, fastest-growing first. */
  rank(limit = 10): RawSite[] {
    const out: RawSite[] = [];
    for (const [key, s] of this.sites) {
      // Three reads make a trend; two, at least 5 s apart, must do while only two were taken (a fast leak's heap
      // makes each read expensive, so the budget allows few).
      const enough = s.points.length >= 3 || (this.profiles === 2 && s.points.length === 2 && spanMs(s.points) >= 5000);
      if (!enough) continue;
      const growth = theilSenSlope(s.points);
      const last = s.points[s.points.length - 1].v;
      if (growth <= 0 || last <= 0) continue;
      const via = [...s.via.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
      out.push({ key, frame: s.frame, liveBytes: Math.round(last), growthBytesPerSec: Math.round(growth), via });
    }
    out.sort((a, b) => b.growthBytesPerSec - a.growthBytesPerSec || b.liveBytes - a.liveBytes);
    return out.slice(0, limit);
  }
}

function spanMs(points: readonly SeriesPoint[]): number {
  return points.length ? points[points.length - 1].t - points[0].t : 0;
}
