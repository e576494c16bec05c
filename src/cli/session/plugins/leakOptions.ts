import { LeakSessionPlugin } from './leakPlugin';
import { parseSensitivity } from '../../../core/leak/settings';

/** `memmon run` / `attach` flags for leak detection (util.parseArgs spec). */
export const LEAK_OPTION_SPEC = {
  'detect-leaks': { type: 'boolean' },
  sensitivity: { type: 'string' },
  'retainer-snapshot-limit': { type: 'string' },
} as const;

export const LEAK_OPTION_HELP = `  --detect-leaks              watch for leaks: forced GCs every few seconds give post-GC baselines, V8's sampling
                              heap profiler names the allocation sites; "leak" JSON lines, a report on stderr,
                              exit code 4 when a leak is suspected (costs the program ≤ ~1 % CPU)
  --sensitivity <level>       low | normal | high (default normal; implies --detect-leaks)
  --retainer-snapshot-limit <MB>
                              when a leak is suspected and the heap is at most this size (default 256), take two
                              small heap snapshots to name what retains the leak ("retainers"); each pauses the
                              program while V8 writes it (~1 s per 100 MB); 0 = never`;

/** The leak plugin for the parsed flags, or null when leak detection is off. `usage` builds the CLI's usage error. */
export function leakPluginFrom(
  values: { 'detect-leaks'?: boolean; sensitivity?: string; 'retainer-snapshot-limit'?: string },
  usage: (message: string) => Error,
): LeakSessionPlugin | null {
  const sensitivity = parseSensitivity(values.sensitivity ?? 'normal');
  if (!sensitivity) throw usage(`--sensitivity expects low, normal or high, got "${values.sensitivity}"`);
  const limit = values['retainer-snapshot-limit'];
  const limitMb = limit === undefined ? undefined : Number(limit);
  if (limitMb !== undefined && (!Number.isFinite(limitMb) || limitMb < 0 || limit!.trim() === ''))
    throw usage(`--retainer-snapshot-limit expects a size in MB (0 = never), got "${limit}"`);
  if (!values['detect-leaks'] && values.sensitivity === undefined && limit === undefined) return null;
  return new LeakSessionPlugin({
    sensitivity,
    retainerSnapshotLimitBytes: limitMb === undefined ? undefined : limitMb * 1024 * 1024,
  });
}
