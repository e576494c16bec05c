import { diffSnapshots, findLeaks } from '../../core/heap';
import { formatDiffTable, formatLeakReport } from '../../core/heap/query/heapReport';
import { formatBytes } from '../../core/format';
import { CliCommand, nonNegativeInt, parseOptions, UsageError, writeJsonLine } from '../command';
import { loadForCli } from './analyze';

export const command: CliCommand = {
  name: 'diff',
  summary: 'compare heap snapshots: objects added/removed per class, or leaks across three snapshots',
  usage: `Usage: memmon diff A B [C] [--json] [--top N]

Two snapshots: per class, objects added (ids only in B) and removed (ids only in A), counts, sizes and deltas.
Three snapshots (baseline A, target B, final C): objects allocated after A that exist in B and are still alive
in C (memlab's leak semantics), grouped by class and by retainer path, ranked by retained size.

Options:
  --top N    rows/groups to print (default 20; 0 = all; --json prints all unless --top is given)
  --json     print one JSON document: {"mode":"diff",…} or {"mode":"leaks",…}`,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { json: { type: 'boolean' }, top: { type: 'string' } });
    if (positionals.length < 2 || positionals.length > 3)
      throw new UsageError(`expected 2 or 3 snapshot files, got ${positionals.length}`);
    const top = nonNegativeInt(values.top, 'top', values.json ? 0 : 20);
    const models = [];
    for (const file of positionals) models.push(await loadForCli(file, io));
    if (models.length === 2) {
      const diff = diffSnapshots(models[0], models[1]);
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
    const leaks = findLeaks(models[0], models[1], models[2]);
    if (values.json) {
      writeJsonLine(io.stdout, {
        mode: 'leaks',
        ...leaks,
        byClass: top ? leaks.byClass.slice(0, top) : leaks.byClass,
        groups: top ? leaks.groups.slice(0, top) : leaks.groups,
      });
    } else io.stdout.write(formatLeakReport(leaks, top));
    return 0;
  },
};
