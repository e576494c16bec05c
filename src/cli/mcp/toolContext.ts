import { findInspectorOfPid, PidInspectorError } from '../../core/inspector/pidInspector';
import { SnapshotCache } from './snapshotCache';
import { ResultPager, ToolError } from './toolOutput';

/** What every tool of one server shares. */
export interface ToolContext {
  /** `memmon mcp --allow-remote`: targets off this machine are accepted. */
  allowRemote: boolean;
  /** Where take_heap_snapshot writes when no file is given. */
  snapshotDir: string;
  pager: ResultPager;
  snapshots: SnapshotCache;
}

/** The inspector target of a live tool: `target` as given, or the inspector a `pid` has open. */
export async function resolveTarget(args: { target?: string; pid?: number }): Promise<string> {
  if (args.target !== undefined && args.pid !== undefined) throw new ToolError('memmon: give target or pid, not both');
  if (args.target !== undefined) return args.target;
  if (args.pid === undefined)
    throw new ToolError(
      'memmon: missing target: give a ws:// URL, host:port or port, or the pid of a process started with --inspect',
    );
  try {
    return await findInspectorOfPid(args.pid);
  } catch (err) {
    if (err instanceof PidInspectorError) throw new ToolError(`memmon: ${err.message}`);
    throw err;
  }
}

/** `--allow-remote` for CLI runs when the server was started with it. */
export function remoteFlag(ctx: ToolContext): string[] {
  return ctx.allowRemote ? ['--allow-remote'] : [];
}
