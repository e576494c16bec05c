import { loadHeapSnapshot, HeapSnapshotError, HeapSnapshotModel } from '../../core/heap';
import { formatClassTable, terminalProgress } from '../../core/heap/query/heapReport';
import { formatBytes } from '../../core/format';
import { CliCommand, CliIO, nonNegativeInt, parseOptions, RuntimeError, UsageError, writeJsonLine } from '../command';

export const command: CliCommand = {
  name: 'analyze',
  summary: "analyze a .heapsnapshot file: classes by retained size, as in DevTools' Summary view",
  usage: `Usage: memmon analyze FILE [--json] [--top N]

Parses a heap snapshot (any size, streamed) and computes dominators, retained sizes and distances with Chrome
DevTools' semantics; prints the classes with the largest retained size.

Options:
  --top N    how many classes to print (default 20; 0 = all)
  --json     print one JSON document:
             {"nodeCount","edgeCount","totalSize","classes":[{"name","key","count","selfSize","retainedSize","distance"}]}`,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { json: { type: 'boolean' }, top: { type: 'string' } });
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length ? `expected one snapshot file, got ${positionals.length}` : 'missing the snapshot FILE',
      );
    const top = nonNegativeInt(values.top, 'top', 20);
    const model = await loadForCli(positionals[0], io);
    const stats = model.stats();
    const all = model.classes();
    const classes = top === 0 ? all : all.slice(0, top);
    if (values.json) {
      writeJsonLine(io.stdout, {
        nodeCount: stats.nodeCount,
        edgeCount: stats.edgeCount,
        totalSize: stats.totalSize,
        classes: classes.map((c) => ({
          name: c.name,
          count: c.count,
          selfSize: c.selfSize,
          retainedSize: c.retainedSize,
          distance: c.distance,
          key: c.key,
        })),
      });
    } else {
      io.stdout.write(
        `${stats.nodeCount} nodes, ${stats.edgeCount} edges, ${formatBytes(stats.totalSize)} in ${all.length} classes\n\n`,
      );
      io.stdout.write(formatClassTable(classes));
      if (classes.length < all.length)
        io.stdout.write(`… ${all.length - classes.length} more classes (--top 0 shows all)\n`);
    }
    return 0;
  },
};

/** Loads a snapshot with a terminal progress line; bad input becomes a one-line RuntimeError (exit 1). */
export async function loadForCli(file: string, io: CliIO): Promise<HeapSnapshotModel> {
  const progress = terminalProgress(io.stderr, io.isTTY, file);
  try {
    return await loadHeapSnapshot(file, { onProgress: progress.update, signal: io.signal });
  } catch (err) {
    if (err instanceof HeapSnapshotError) throw new RuntimeError(`${file}: ${err.message}`);
    if ((err as Error).name === 'AbortError') throw new RuntimeError('cancelled');
    if (err instanceof RangeError || (err as Error).message?.includes('Array buffer allocation failed')) {
      throw new RuntimeError(`${file}: not enough memory to analyze this snapshot (${(err as Error).message})`);
    }
    throw err;
  } finally {
    progress.clear();
  }
}
