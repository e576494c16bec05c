// Ranking of the groups a hunt finds: growth per repetition of the action first, and what the action itself
// buffers (the performance timeline of fetch, undici's pool, V8's caches, built-in modules) after the user's holders.

/** A leak group as the three-snapshot comparison returns it. */
export interface HuntGroupInput {
  name: string;
  key?: string;
  count: number;
  retainedSize: number;
  retainerPath: string[];
}

/** A ranked group: `perRepetition` with an action, `discounted` (why) when the action's own buffers explain it. */
export type RankedHuntGroup<G extends HuntGroupInput> = G & { perRepetition?: number; discounted?: string };

/**
 * Retainer-path steps of holders that are not the program's own: buffers that the runtime fills on behalf of the
 * action (bounded, e.g. 250 resource timing entries) and engine or built-in caches that warm up while it runs.
 */
const ACTION_BUFFERS: ReadonlyArray<[RegExp, string]> = [
  [
    /resourceTimingBuffer|PerformanceResourceTiming|PerformanceObserverEntryList|\.get performance\b/,
    "the runtime's performance timeline (a bounded buffer of fetch timings)",
  ],
  [
    /undici|\bAgent\.<symbol|\.<symbol [a-z]+\.globalDispatcher/i,
    "undici's connection pool and caches (fetch internals)",
  ],
  [/\bBuiltinModule\b|Context\.internalBinding|\.moduleLoadList/, 'a Node.js built-in module'],
  [
    /native_context|fast_template_instantiations_cache|^\(compiled code\)|^\(system\)|Context\.scope_info|\.function_data|\.shared$|^\(object shape\)/,
    "V8's compiled code and caches",
  ],
];

/** Globals that Node.js defines: a path entering the module scope of one of them is held by Node's internals. */
const NODE_GLOBALS = new Set(
  (
    'AbortController AbortSignal Blob BroadcastChannel Buffer DOMException Event EventTarget File FormData Headers ' +
    'MessageChannel MessagePort ReadableStream Request Response TextDecoder TextEncoder TransformStream URL ' +
    'URLSearchParams WebSocket WritableStream atob btoa clearImmediate clearInterval clearTimeout console crypto ' +
    'fetch navigator performance process queueMicrotask setImmediate setInterval setTimeout structuredClone'
  ).split(' '),
);

/**
 * True when the objects sit in the module scope of a Node.js global function (or under a `node:`/undici symbol)
 * and in no closure further down: a second `Function.context` may be a callback the program registered with it (a
 * timer's `_onTimeout`, a listener), whose scope is the program's own holder.
 */
function heldByNodeInternals(path: readonly string[]): boolean {
  const first = path[0] ?? '';
  const closures = path.filter((step) => step === 'Function.context').length;
  if (/^global \/ \.<symbol (node:|undici)/.test(first)) return closures === 0;
  const m = /^global \/ \.(?:get )?([A-Za-z_$][\w$]*)$/.exec(first);
  return !!m && NODE_GLOBALS.has(m[1]) && path[1] === 'Function.context' && closures === 1;
}

/** Why a group is explained by a runtime buffer or cache rather than the program's code, or undefined. */
export function actionBufferReason(g: Pick<HuntGroupInput, 'name' | 'retainerPath'>): string | undefined {
  for (const [re, reason] of ACTION_BUFFERS)
    if (re.test(g.name) || g.retainerPath.some((s) => re.test(s))) return reason;
  if (heldByNodeInternals(g.retainerPath))
    return `Node.js internals (the module scope of ${g.retainerPath[0].slice(10)})`;
  return undefined;
}

/**
 * The smallest group a hunt reports: `minCount`, but with an action never more than one object per repetition, so a
 * holder that keeps exactly one object per call is reported whatever the number of repetitions.
 */
export function effectiveMinCount(minCount: number, repeat: number | null): number {
  return repeat === null ? minCount : Math.max(1, Math.min(minCount, repeat));
}

/**
 * Ranks groups: the program's own holders before the ones the runtime fills for the action, then (with an action
 * repeated `repeat` times) by objects added per repetition, then by retained size. Pure; returns new objects.
 */
export function rankHuntGroups<G extends HuntGroupInput>(
  groups: readonly G[],
  repeat: number | null,
): RankedHuntGroup<G>[] {
  const ranked = groups.map((g): RankedHuntGroup<G> => {
    const reason = actionBufferReason(g);
    return {
      ...g,
      ...(repeat ? { perRepetition: Math.round((g.count / repeat) * 1000) / 1000 } : {}),
      ...(reason ? { discounted: reason } : {}),
    };
  });
  return ranked.sort(
    (a, b) =>
      Number(!!a.discounted) - Number(!!b.discounted) ||
      (b.perRepetition ?? 0) - (a.perRepetition ?? 0) ||
      b.retainedSize - a.retainedSize ||
      b.count - a.count,
  );
}

/**
 * Marks and orders classes after their groups: a class all of whose groups the runtime's buffers explain goes after
 * the others; otherwise the comparison's order (retained size). A class total mixes holders, so it is not ranked
 * by count: the groups carry the per-repetition ranking.
 */
export function rankHuntClasses<C extends { name: string; key?: string; count: number; retainedSize: number }>(
  classes: readonly C[],
  groups: ReadonlyArray<RankedHuntGroup<HuntGroupInput>>,
  repeat: number | null,
): Array<C & { perRepetition?: number; discounted?: string }> {
  const out = classes.map((c) => {
    const own = groups.filter((g) => g.key !== undefined && g.key === c.key);
    const discounted =
      own.length > 0 && own.every((g) => g.discounted)
        ? own[0].discounted
        : own.length === 0
          ? actionBufferReason({ name: c.name, retainerPath: [] })
          : undefined;
    return {
      ...c,
      ...(repeat ? { perRepetition: Math.round((c.count / repeat) * 1000) / 1000 } : {}),
      ...(discounted ? { discounted } : {}),
    };
  });
  return out.sort((a, b) => Number(!!a.discounted) - Number(!!b.discounted) || b.retainedSize - a.retainedSize);
}
