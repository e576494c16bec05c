import { diffSnapshots, findLeaks, type HeapSnapshotModel } from '../../core/heap';
import { formatDiffTable, formatGrowing, formatLeakReport } from '../../core/heap/query/heapReport';
import { findGrowing, seriesWarnings } from '../../core/heap/query/growth';
import { formatBytes } from '../../core/format';
import { CliCommand, nonNegativeInt, parseOptions, UsageError, writeJsonLine } from '../command';
import { loadForCli } from './analyze';

export const command: CliCommand = {
  name: 'diff',
  summary: 'compare heap snapshots: objects added/removed per class, or leaks across three snapshots',
  usage: `Usage: memmon diff A B [C …] [--json] [--top N]

Two snapshots: per class, objects added (ids only in B) and removed (ids only in A), counts, sizes and deltas.
Three snapshots (baseline A, target B, final C): objects allocated after A that exist in B and are still alive
in C (memlab's leak semantics), grouped by class and by retainer path, ranked by retained size.
Three or more snapshots of one process: also the arrays, maps, sets and objects that grew in every step
("growing", ranked by retained-size growth); with more than three, the leaks use the first, second and last.

Options:
  --top N    rows/groups to print (default 20; 0 = all; --json prints all unless --top is given)
  --json     print one JSON document: {"mode":"diff",…,"warnings":[…]} or {"mode":"leaks",…,
              "growing":[{"id","path","kind","sizes":[…],"retainedSizes":[…]}]}

Warns (stderr, and "warnings" in --json) when the snapshots look like they come from different processes or
heap-profiler sessions (the same object id names objects of different classes, or one-of-a-kind objects changed
their id) or are given in the wrong order (a later one's newest object id is older than an earlier one's).`,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { json: { type: 'boolean' }, top: { type: 'string' } });
    if (positionals.length < 2) throw new UsageError(`expected 2 or more snapshot files, got ${positionals.length}`);
    const top = nonNegativeInt(values.top, 'top', values.json ? 0 : 20);
    const models: HeapSnapshotModel[] = [];
    for (const file of positionals) models.push(await loadForCli(file, io));
    const warn = (w: string) => io.stderr.write(`memmon diff: warning: ${w}\n`);
    if (models.length === 2) {
      const diff = diffSnapshots(models[0], models[1]);
      diff.warnings.forEach(warn);
      const classes = top ? diff.classes.slice(0, top) : diff.classes;
      if (values.json) writeJsonLine(io.stdout, { mode: 'diff', ...diff, classes });
      else {
        io.stdout.write(
          `${diff.addedCount} objects added (${formatBytes(diff.addedSize)}), ${diff.removedCount} removed (${formatBytes(diff.removedSize)})\n\n`,
        );
        io.stdout.write(formatDiffTable(classes));
      }
      return 0;
    }
    const warnings = seriesWarnings(models, positionals, 'leaks are found by object id, so this result is meaningless');
    warnings.forEach(warn);
    const leaks = findLeaks(models[0], models[1], models[models.length - 1]);
    const growing = findGrowing(models);
    if (values.json) {
      writeJsonLine(io.stdout, {
        mode: 'leaks',
        ...leaks,
        byClass: top ? leaks.byClass.slice(0, top) : leaks.byClass,
        groups: top ? leaks.groups.slice(0, top) : leaks.groups,
        growing: top ? growing.slice(0, top) : growing,
        warnings,
      });
    } else {
      io.stdout.write(formatLeakReport(leaks, top));
      io.stdout.write(`\n${formatGrowing(top ? growing.slice(0, top) : growing)}`);
    }
    return 0;
  },
};
