import { InspectorConnection } from '../../core/inspector/connection';
import { escapeTerminal, formatBytes } from '../../core/format';
import { HUNT_DEFAULTS, huntLeak, HuntResult } from '../../core/leak/huntLeak';
import {
  CliCommand,
  ExitCode,
  nonNegativeInt,
  createOutputDir,
  parseOptions,
  positiveNumber,
  RuntimeError,
  UsageError,
  writeJsonLine,
} from '../command';
import { MonitoredChild } from '../session/childProcess';
import { checkTarget } from '../session/sessionOptions';

export const command: CliCommand = {
  name: 'hunt',
  summary: 'confirm a leak with three heap snapshots (baseline → target → final) and name the leaked objects',
  usage: `Usage: memmon hunt [options] <ws-url | host:port | port>
       memmon hunt [options] -- <command> [args…]

Takes a baseline heap snapshot, lets the program work (repeats --action, or waits --interval seconds), takes a
target snapshot, waits --settle seconds, takes a final snapshot (each after a full GC), and reports the objects
allocated after the baseline that are still alive at the end: their classes and retainer paths. With --action,
holders are ranked by objects added per repetition; what the runtime buffers for the action itself (fetch's
performance timeline, undici's pool, V8's caches, built-in modules) is listed after the program's own holders.
Exit code 4 when leaked objects are found.

Options:
  --action <js>        expression evaluated in the program between baseline and target (awaited), e.g.
                       "fetch('http://localhost:3000/orders')" or "handleRequest()"
  --repeat <n>         times to run --action (default ${HUNT_DEFAULTS.repeat})
  --interval <s>       without --action: seconds between baseline and target (default ${HUNT_DEFAULTS.intervalSec})
  --settle <s>         seconds between target and final (default ${HUNT_DEFAULTS.settleSec})
  --warmup <s>         with a program: seconds to let it start before the baseline (default 3)
  --min-count <n>      ignore leak groups with fewer objects (default ${HUNT_DEFAULTS.minCount}); with --action, one object
                       per repetition is always enough, so a holder that keeps one object per call is reported
  --min-survival <f>   report a class only when at least this share (0–1) of its objects allocated between
                       baseline and target is still alive at the end (default ${HUNT_DEFAULTS.minSurvival}; caches replace theirs)
  --keep <dir>         keep the three .heapsnapshot files in dir
  --json               print one {"type":"hunt",…} JSON line on stdout (progress goes to stderr)
  --allow-remote       allow a target that is not on this machine

Examples:
  memmon hunt 9229
  memmon hunt --interval 20 -- node server.js`,
  async run(argv, io) {
    const dd = argv.indexOf('--');
    const own = dd < 0 ? argv : argv.slice(0, dd);
    const program = dd < 0 ? [] : argv.slice(dd + 1);
    const { values, positionals } = parseOptions(own, {
      action: { type: 'string' },
      repeat: { type: 'string' },
      interval: { type: 'string' },
      settle: { type: 'string' },
      warmup: { type: 'string' },
      'min-count': { type: 'string' },
      'min-survival': { type: 'string' },
      keep: { type: 'string' },
      json: { type: 'boolean' },
      'allow-remote': { type: 'boolean' },
    });
    if (program.length && positionals.length)
      throw new UsageError('give either a target or a program after --, not both');
    if (!program.length && positionals.length !== 1)
      throw new UsageError('missing target: memmon hunt <ws-url | host:port | port> or memmon hunt -- <command>');
    const repeat = nonNegativeInt(values.repeat, 'repeat', HUNT_DEFAULTS.repeat);
    const intervalSec = positiveNumber(values.interval, 'interval', HUNT_DEFAULTS.intervalSec);
    const settleSec = positiveNumber(values.settle, 'settle', HUNT_DEFAULTS.settleSec);
    const warmupSec = positiveNumber(values.warmup, 'warmup', 3);
    // Before the warm-up, so a folder that cannot be made fails at once.
    if (values.keep) createOutputDir(values.keep, '--keep');
    const minCount = nonNegativeInt(values['min-count'], 'min-count', HUNT_DEFAULTS.minCount);
    const minSurvival =
      values['min-survival'] === undefined ? HUNT_DEFAULTS.minSurvival : Number(values['min-survival']);
    if (!(minSurvival >= 0 && minSurvival <= 1))
      throw new UsageError(`--min-survival expects a share between 0 and 1, got "${values['min-survival']}"`);
    const say = (m: string) => io.stderr.write(`memmon hunt: ${m}\n`);

    let child: MonitoredChild | undefined;
    let target: string;
    if (program.length) {
      const url = await new Promise<string>((resolve, reject) => {
        try {
          child = new MonitoredChild({
            command: program[0],
            args: program.slice(1),
            stdout: io.stderr,
            stderr: io.stderr,
            onInspector: resolve,
          });
        } catch (err) {
          reject(new RuntimeError(`cannot start ${program[0]}: ${(err as Error).message}`));
          return;
        }
        child.exited.then(
          ({ code }) => reject(new RuntimeError(`the program exited (code ${code}) before it could be inspected`)),
          (err: NodeJS.ErrnoException) =>
            reject(
              new RuntimeError(
                err.code === 'ENOENT' ? `cannot start "${program[0]}": command not found` : (err as Error).message,
              ),
            ),
        );
        setTimeout(
          () => reject(new RuntimeError('the program opened no inspector within 15 s (is it a Node.js program?)')),
          15_000,
        ).unref();
      });
      target = url;
    } else {
      target = checkTarget(positionals[0], !!values['allow-remote']);
    }

    let conn: InspectorConnection | undefined;
    try {
      conn = await InspectorConnection.connect(target, { allowRemote: !!values['allow-remote'] }).catch(
        (err: Error) => {
          throw new RuntimeError(err.message);
        },
      );
      if (child) {
        say(`letting the program start for ${warmupSec} s…`);
        await new Promise((r) => setTimeout(r, warmupSec * 1000));
      }
      const closed = new Promise<never>((_, reject) =>
        conn!.once('close', (e: Error) =>
          reject(new RuntimeError(`the debuggee went away during the hunt: ${e.message}`)),
        ),
      );
      // Raced against the hunt below, which reports it; once the hunt is over nobody waits for it.
      closed.catch(() => undefined);
      const result = await Promise.race([
        huntLeak(conn, {
          action: values.action,
          repeat,
          intervalSec,
          settleSec,
          minCount,
          minSurvival,
          keepDir: values.keep,
          onPhase: say,
          signal: io.signal,
        }),
        closed,
      ]);
      if (values.json) writeJsonLine(io.stdout, { type: 'hunt', t: Date.now(), ...result });
      io.stderr.write(formatHunt(result));
      return result.leakedCount > 0 ? ExitCode.leak : ExitCode.ok;
    } catch (err) {
      if (err instanceof RuntimeError || err instanceof UsageError) throw err;
      throw new RuntimeError((err as Error).message);
    } finally {
      await conn?.close();
      await child?.stop(2000);
    }
  },
};

/** The human hunt report; names and paths come from the debuggee's heap, so they are escaped. */
function formatHunt(r: HuntResult): string {
  const lines = ['', 'memmon hunt — three-snapshot comparison'];
  if (!r.leakedCount)
    lines.push('  no leaked objects: everything allocated after the baseline was released or replaced');
  else {
    lines.push(
      `  LEAKED: ${r.leakedCount} objects retaining ${formatBytes(r.leakedRetainedSize)} (allocated after the baseline, still alive at the end)`,
    );
    let noted = false;
    for (const g of r.groups) {
      if (g.discounted && !noted && r.groups.some((o) => !o.discounted)) {
        lines.push("  probably buffered by the runtime for the action itself (not the program's holders):");
        noted = true;
      }
      const per = g.perRepetition !== undefined ? ` (${formatPerRepetition(g.perRepetition)})` : '';
      lines.push(`  ${g.count} × ${escapeTerminal(g.name)}${per}  retaining ${formatBytes(g.retainedSize)}`);
      if (g.retainerPath.length) lines.push(`      retained by: ${escapeTerminal(g.retainerPath.join(' → '))}`);
      if (g.discounted) lines.push(`      explained by: ${g.discounted}`);
    }
  }
  if (r.snapshots) lines.push(`  snapshots: ${r.snapshots.baseline}, ${r.snapshots.target}, ${r.snapshots.final}`);
  return `${lines.join('\n')}\n`;
}

/** `1 per repetition`, `0.5 per repetition`, `12 per repetition`. */
function formatPerRepetition(n: number): string {
  return `${n >= 10 ? Math.round(n) : Math.round(n * 100) / 100} per repetition`;
}
