import { LeakSessionPlugin } from './leakPlugin';
import { parseSensitivity } from '../../../core/leak/settings';

/** `memmon run` / `attach` flags for leak detection (util.parseArgs spec). */
export const LEAK_OPTION_SPEC = {
  'detect-leaks': { type: 'boolean' },
  sensitivity: { type: 'string' },
} as const;

export const LEAK_OPTION_HELP = `  --detect-leaks              watch for leaks: forced GCs every few seconds give post-GC baselines, V8's sampling
                              heap profiler names the allocation sites; "leak" JSON lines, a report on stderr,
                              exit code 4 when a leak is suspected (costs the program ≤ ~1 % CPU)
  --sensitivity <level>       low | normal | high (default normal; implies --detect-leaks)`;

/** The leak plugin for the parsed flags, or null when leak detection is off. `usage` builds the CLI's usage error. */
export function leakPluginFrom(
  values: { 'detect-leaks'?: boolean; sensitivity?: string },
  usage: (message: string) => Error,
): LeakSessionPlugin | null {
  const sensitivity = parseSensitivity(values.sensitivity ?? 'normal');
  if (!sensitivity) throw usage(`--sensitivity expects low, normal or high, got "${values.sensitivity}"`);
  if (!values['detect-leaks'] && values.sensitivity === undefined) return null;
  return new LeakSessionPlugin({ sensitivity });
}
