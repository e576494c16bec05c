import type { CliCommand } from '../command';

/**
 * Every `memmon` subcommand. Each lives in its own file; add new ones here.
 * Loaded lazily so `memmon --help` stays fast.
 */
export const commandLoaders: Record<string, () => Promise<CliCommand>> = {
  snapshot: () => import('./snapshot.js').then((m) => m.command),
};
