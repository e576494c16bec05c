import type { CliCommand } from '../command';

/**
 * Every `memmon` subcommand. Each lives in its own file; add new ones here.
 * Loaded lazily so `memmon --help` stays fast.
 */
export const commandLoaders: Record<string, () => Promise<CliCommand>> = {
  run: () => import('./run').then((m) => m.command),
  attach: () => import('./attach').then((m) => m.command),
  gc: () => import('./gc').then((m) => m.command),
  demo: () => import('./demo').then((m) => m.command),
  snapshot: () => import('./snapshot').then((m) => m.command),
  analyze: () => import('./analyze').then((m) => m.command),
  diff: () => import('./diff').then((m) => m.command),
  compare: () => import('./compare').then((m) => m.command),
  hunt: () => import('./hunt').then((m) => m.command),
  mcp: () => import('./mcp').then((m) => m.command),
};
