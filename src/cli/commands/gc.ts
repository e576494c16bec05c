import { formatBytes } from '../../core/format';
import { runDiagnosticGc } from '../../core/gc/diagnosticGc';
import { describeHeapSpaces } from '../../core/gc/heapSpaces';
import { InspectorConnection } from '../../core/inspector/connection';
import { isLoopbackHost } from '../../core/inspector/endpoint';
import { learnPid } from '../../core/sampling/sampler';
import { probeDebuggee } from '../../core/inspector/debuggeeProbe';
import { findInspectorPid } from '../../core/inspector/inspectorPid';
import { GcResult } from '../../core/types';
import { CliCommand, parseOptions, RuntimeError, UsageError, writeJsonLine } from '../command';
import { checkTarget } from '../session/sessionOptions';

export const command: CliCommand = {
  name: 'gc',
  summary: 'force a full garbage collection in a process and report what it freed',
  usage: `Usage: memmon gc [options] <ws-url | host:port | port>

Measures heap and RSS, forces a full GC (HeapProfiler.collectGarbage), measures again.

Options:
  --test-cycle     also prove the collector works: create an unreachable reference cycle of known size
                   (tracked by a WeakRef and a FinalizationRegistry) and check that it is collected
  --detailed       also report each V8 heap space (new, old, code, large object, …): used and available bytes
                   before and after, from v8.getHeapSpaceStatistics() in the debuggee ("spaces" in JSON)
  --json           print exactly one JSON line: the gc object
  --allow-remote   allow a target that is not on this machine`,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, {
      'test-cycle': { type: 'boolean' },
      detailed: { type: 'boolean' },
      json: { type: 'boolean' },
      'allow-remote': { type: 'boolean' },
    });
    if (positionals.length > 1) throw new UsageError(`expected one target, got ${positionals.length}`);
    const target = checkTarget(positionals[0], !!values['allow-remote']);
    const conn = await InspectorConnection.connect(target, { allowRemote: !!values['allow-remote'] }).catch(
      (err: Error) => {
        throw new RuntimeError(err.message);
      },
    );
    try {
      // From the inspector's thread first: a paused or blocked debuggee cannot tell its pid itself.
      const pid = (await findInspectorPid(conn.endpoint)) ?? (await learnPid(conn, 1000)) ?? null;
      const state = await probeDebuggee(conn, { pid });
      if (state === 'paused')
        throw new RuntimeError(
          `debuggee is paused (at a breakpoint, a \`debugger\` statement or --inspect-brk): resume it, then run memmon gc again`,
        );
      if (state === 'unresponsive')
        throw new RuntimeError('debuggee is not answering (blocked in native code?): no GC was run');
      const result = await runDiagnosticGc(conn, {
        testCycle: !!values['test-cycle'],
        detailed: !!values.detailed,
        pid,
        local: isLoopbackHost(conn.endpoint.host),
      });
      if (values.json) writeJsonLine(io.stdout, { type: 'gc', ...result });
      else io.stdout.write(describeGc(result));
      return 0;
    } catch (err) {
      if (err instanceof RuntimeError) throw err;
      throw new RuntimeError((err as Error).message);
    } finally {
      await conn.close();
    }
  },
};

/** A readable report of a diagnostic GC. */
export function describeGc(r: GcResult): string {
  const pct = r.before.heapUsed > 0 ? ` (${((100 * r.freed) / r.before.heapUsed).toFixed(1)} % of the heap)` : '';
  const lines = [
    `Diagnostic GC of pid ${r.pid ?? '?'}: freed ${formatBytes(r.freed)}${pct} in ${r.durationMs} ms`,
    `  heap used  ${formatBytes(r.before.heapUsed)} → ${formatBytes(r.after.heapUsed)}`,
    `  heap total ${formatBytes(r.before.heapTotal)} → ${formatBytes(r.after.heapTotal)}`,
    `  RSS        ${formatBytes(r.before.rss)} → ${formatBytes(r.after.rss)}`,
  ];
  if (r.testCycle) {
    lines.push(
      r.testCycle.collected
        ? `  collector verified: an unreachable cycle of ${formatBytes(r.testCycle.bytes ?? 0)} was collected`
        : `  COLLECTOR NOT VERIFIED: the unreachable test cycle was still alive after the GC`,
    );
  }
  if (r.spaces !== undefined) lines.push(...describeHeapSpaces(r.spaces));
  return `${lines.join('\n')}\n`;
}
