import type { RetainerKind } from './types';

/** Where a holder is filled (or, failing that, declared) in a script: 0-based line and column. */
export interface RetainingLine {
  line: number;
  column: number;
  how: 'adds' | 'declares' | 'function';
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Calls that add an entry, per holder kind (any of them is tried when the kind says nothing). */
const ADDERS: Partial<Record<RetainerKind, string>> = {
  array: 'push|unshift|splice',
  map: 'set',
  set: 'add',
  listeners: 'on|addListener|once|prependListener|prependOnceListener',
  promise: 'then|catch|finally',
};

/**
 * Finds the line that adds to a holder named `name`: `name.push(`, `name.set(`, `name.add(`, `name[k] =`,
 * `.on('event'`; for timers and listeners the callback's own line when it is the `setInterval(`/`.on(` call; for a
 * scope variable given a new value each time (`assigned`), `name = …`; for an AsyncLocalStorage's own store,
 * `als.getStore().set(`; for require.cache, a `require(` of a computed path. Falls back to the line that declares
 * `name`. `near` (0-based line) breaks ties: the closest match wins.
 */
export function findRetainingLine(
  text: string,
  holder: {
    kind: RetainerKind;
    name: string | null;
    event: string | null;
    callbackLine?: number;
    createdBy?: 'events.on' | null;
    assigned?: boolean;
    asyncStorage?: string | null;
  },
  near?: number,
): RetainingLine | null {
  const lines = text.split('\n');
  const search = (re: RegExp): RetainingLine | null => {
    let best: RetainingLine | null = null;
    for (let i = 0; i < lines.length; i++) {
      const m = re.exec(lines[i]);
      if (!m) continue;
      const hit = { line: i, column: m.index, how: 'adds' as const };
      if (!best || (near !== undefined && Math.abs(i - near) < Math.abs(best.line - near))) best = hit;
      if (near === undefined) break;
    }
    return best;
  };
  const { kind, name, event, callbackLine } = holder;
  if (holder.createdBy === 'events.on') {
    // `on(feed, 'tick')` or `events.on(this.feed, 'tick', …)`: the emitter comes first, then the event.
    const emitter = name && /^[\w$]+$/.test(name) ? `(?:[\\w$]+\\.)*${escape(name)}` : `[^,()'"\`]+`;
    const ev = event === null ? '' : `['"\`]${escape(event)}['"\`]`;
    return (
      search(new RegExp(`\\bon\\s*\\(\\s*${emitter}\\s*,\\s*${ev}`)) ??
      (event === null ? null : search(new RegExp(`\\bon\\s*\\(\\s*[^,()'"\`]+,\\s*${ev}`))) ??
      (name === null ? null : search(new RegExp(`\\bon\\s*\\(\\s*${emitter}\\s*,`)))
    );
  }
  if ((kind === 'timers' || kind === 'listeners') && callbackLine !== undefined) {
    // The callback is usually written inline in the call that registers it: look a few lines up for that call.
    const call =
      kind === 'timers' ? /\bset(Interval|Timeout|Immediate)\s*\(/ : /\.(on|addListener|once|prepend\w*)\s*\(/;
    for (let i = callbackLine; i >= Math.max(0, callbackLine - 5); i--) {
      const m = call.exec(lines[i] ?? '');
      if (m) return { line: i, column: m.index, how: 'adds' };
    }
  }
  if (kind === 'listeners' && event) {
    const hit = search(new RegExp(`\\.(${ADDERS.listeners})\\s*\\(\\s*['"\`]${escape(event)}['"\`]`));
    if (hit) return hit;
  }
  if (kind === 'timers') {
    const hit = search(/\bsetInterval\s*\(/);
    if (hit) return hit;
  }
  const adders = ADDERS[kind] ?? 'push|unshift|set|add';
  const addsTo = (target: string) => `${target}\\s*(\\??\\.\\s*(${adders})\\s*\\(|\\[[^\\]]+\\]\\s*=(?!=))`;
  if (holder.asyncStorage && /^[\w$]+$/.test(holder.asyncStorage)) {
    const hit = search(new RegExp(`\\b${addsTo(`${escape(holder.asyncStorage)}\\s*\\.\\s*getStore\\s*\\(\\s*\\)`)}`));
    if (hit) return hit;
  }
  if (kind === 'module-cache') {
    // A module path computed at run time: a literal one is cached once.
    const hit = search(/\brequire\s*\(\s*(?!('[^']*'|"[^"]*"|`[^`$]*`)\s*\))/);
    if (hit) return hit;
  }
  if (name && /^[\w$]+$/.test(name)) {
    const n = escape(name);
    const hit =
      (holder.assigned ? search(new RegExp(`(?<!\\b(const|let|var)\\s+)(?<![\\w$.])${n}\\s*=(?![=>])`)) : null) ??
      search(new RegExp(`\\b${n}\\s*\\??\\.\\s*(${adders})\\s*\\(`)) ??
      search(new RegExp(`\\b${n}\\s*\\[[^\\]]+\\]\\s*=(?!=)`));
    if (hit) return hit;
    const decl = search(new RegExp(`\\b(const|let|var)\\s+${n}\\b|\\bthis\\.${n}\\s*=(?!=)|^\\s*${n}\\s*[:=](?!=)`));
    if (decl) return { ...decl, how: 'declares' };
  }
  if (callbackLine !== undefined) return { line: callbackLine, column: 0, how: 'function' };
  return null;
}
