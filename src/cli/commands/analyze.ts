import {
  FilteredSummaries,
  loadHeapSnapshot,
  HeapSnapshotError,
  HeapSnapshotModel,
  LoadOptions,
  idStability,
  isNamedFilter,
  isNodeFilter,
  isSummaryFilter,
  NAMED_FILTERS,
  NODE_FILTERS,
} from '../../core/heap';
import type { ClassSummaryRow } from '../../core/heap';
import {
  formatClassTable,
  formatDetachedElements,
  formatDuplicateStrings,
  formatGlobals,
  formatSourceFiles,
  formatStatistics,
  terminalProgress,
} from '../../core/heap/query/heapReport';
import { formatBytes } from '../../core/format';
import { CliCommand, CliIO, nonNegativeInt, parseOptions, RuntimeError, UsageError, writeJsonLine } from '../command';

const FILTER_NAMES = ['allocated-between', ...Object.keys(NAMED_FILTERS), ...Object.keys(NODE_FILTERS)];

export const command: CliCommand = {
  name: 'analyze',
  summary: "analyze a .heapsnapshot file: classes by retained size, as in DevTools' Summary view",
  usage: `Usage: memmon analyze FILE [--json] [--top N] [--filter NAME [--since BASE]] [--duplicate-strings]
                     [--globals] [--detached-elements] [--group-by class|file]

Parses a heap snapshot (any size, streamed) and computes dominators, retained sizes and distances with Chrome
DevTools' semantics; prints the statistics and the classes with the largest retained size.

Options:
  --top N               how many classes / strings to print (default 20; with --json and --filter or
                        --duplicate-strings: all; 0 = all)
  --filter NAME         restrict the Summary like DevTools' filter drop-down:
                          allocated-between           objects allocated after BASE was taken (needs --since)
                          duplicated-strings          strings whose value is stored more than once
                          retained-by-console         objects only the DevTools console keeps alive
                          retained-by-contexts        objects only closure contexts keep alive
                          retained-by-detached-dom    objects only detached DOM / embedder nodes keep alive
                          retained-by-event-handlers  objects only DOM event handlers keep alive
                        Node.js (objects that become unreachable when these references are cut):
                          retained-by-event-listeners      EventEmitter / process listeners (_events)
                          retained-by-timers               setTimeout / setInterval / setImmediate
                          retained-by-module-cache         require.cache modules and ES module records
                          retained-by-promises             promises and their pending reactions
                          retained-by-async-local-storage  AsyncLocalStorage stores
                          (retained-by-contexts covers closures)
  --since BASE          the earlier snapshot of the same process, for allocated-between
  --duplicate-strings   list string values stored more than once, by total retained size
  --globals             list the global variables the program added (non-built-in properties of globalThis),
                        by retained size
  --detached-elements   list detached DOM nodes (browser pages) grouped by the JavaScript that retains them (the
                        first JS object or closure on their shortest path from the GC roots), largest retained first
  --group-by file       also group the Summary by the script file that defines each object's constructor or
                        function ("(no source)" for objects without a location, listed last); a file's
                        retained size does not count an object twice when another object of the same file
                        dominates it (default: class, the plain Summary)
  --json                print one JSON document:
                        {"nodeCount","edgeCount","totalSize",
                         "statistics":{"total","v8heap":{"total","code","strings","jsArrays","system"},
                                       "native":{"total","typedArrays"}},
                         "classes":[{"name","count","selfSize","retainedSize","distance","key"}]}
                        plus "filter" (and "warning" when BASE comes from another session) with --filter, and
                        "duplicateStrings":[{"value","count","totalSelfSize","totalRetainedSize","wastedBytes"}],
                        and with --globals "globals":[{"name","id","retainedSize","selfSize","className"}],
                        and with --detached-elements "detachedElements":[{"retainer","path","nodes","roots",
                        "retainedSize","examples"}] ([] for a snapshot without DOM),
                        and with --group-by file "byFile":[{"file","count","selfSize","retainedSize",
                                                 "classes":[{"name","count","selfSize","retainedSize"}]}]`,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, {
      json: { type: 'boolean' },
      top: { type: 'string' },
      filter: { type: 'string' },
      since: { type: 'string' },
      'duplicate-strings': { type: 'boolean' },
      globals: { type: 'boolean' },
      'detached-elements': { type: 'boolean' },
      'group-by': { type: 'string' },
    });
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length ? `expected one snapshot file, got ${positionals.length}` : 'missing the snapshot FILE',
      );
    const filter = values.filter ?? (values.since !== undefined ? 'allocated-between' : undefined);
    if (filter !== undefined && !FILTER_NAMES.includes(filter))
      throw new UsageError(`unknown --filter "${filter}"; expected one of ${FILTER_NAMES.join(', ')}`);
    if (filter === 'allocated-between' && values.since === undefined)
      throw new UsageError('--filter allocated-between needs --since BASE.heapsnapshot (the earlier snapshot)');
    if (values.since !== undefined && filter !== 'allocated-between')
      throw new UsageError('--since goes with --filter allocated-between');
    const groupBy = values['group-by'] ?? 'class';
    if (groupBy !== 'class' && groupBy !== 'file')
      throw new UsageError(`unknown --group-by "${groupBy}"; expected class or file`);
    const listsAll =
      values.json &&
      (filter !== undefined ||
        values['duplicate-strings'] ||
        values.globals ||
        values['detached-elements'] ||
        groupBy === 'file');
    const top = nonNegativeInt(values.top, 'top', listsAll ? 0 : 20);
    const base = values.since !== undefined ? await loadForCli(values.since, io) : null;
    // The statistics it prints are computed while the analysis waits for its helper thread.
    const model = await loadForCli(positionals[0], io, ['statistics']);
    const stats = model.stats();
    const statistics = model.statistics();
    let warning: string | undefined;
    let all: ClassSummaryRow[];
    if (base) {
      const ids = idStability(base, model);
      if (!ids.comparable)
        warning = `${values.since} and ${positionals[0]} do not come from the same heap-profiler session (only ${ids.matched} of ${ids.checked} one-of-a-kind objects kept their id): "allocated between" is meaningless across sessions; take both snapshots within one inspector session, or compare class counts with memmon diff`;
      all = model.allocatedSince(base);
    } else if (filter !== undefined && (isNamedFilter(filter) || isNodeFilter(filter)))
      all = model.filteredClasses(filter);
    else all = model.classes();
    const classes = top === 0 ? all : all.slice(0, top);
    const dups = values['duplicate-strings'] ? model.duplicateStrings() : undefined;
    const globals = values.globals ? model.globalVariables() : undefined;
    const detached = values['detached-elements'] ? model.detachedElements() : undefined;
    const detachedShown = detached && (top === 0 ? detached.groups : detached.groups.slice(0, top));
    const byFile =
      groupBy === 'file'
        ? new FilteredSummaries(model).sourceFiles(
            filter !== undefined && isSummaryFilter(filter) ? filter : undefined,
            base ?? undefined,
          ).groups
        : undefined;
    const filesShown = byFile && (top === 0 ? byFile : byFile.slice(0, top));
    if (warning) io.stderr.write(`memmon: warning: ${warning}\n`);
    if (values.json) {
      writeJsonLine(io.stdout, {
        nodeCount: stats.nodeCount,
        edgeCount: stats.edgeCount,
        totalSize: stats.totalSize,
        statistics,
        ...(filter !== undefined ? { filter } : {}),
        ...(warning ? { warning } : {}),
        classes: classes.map((c) => ({
          name: c.name,
          count: c.count,
          selfSize: c.selfSize,
          retainedSize: c.retainedSize,
          distance: c.distance,
          key: c.key,
        })),
        ...(dups ? { duplicateStrings: top === 0 ? dups : dups.slice(0, top) } : {}),
        ...(globals ? { globals: top === 0 ? globals : globals.slice(0, top) } : {}),
        ...(detachedShown
          ? {
              detachedElements: detachedShown.map((g) => ({
                retainer: g.retainer,
                path: g.path,
                nodes: g.nodes,
                roots: g.roots,
                retainedSize: g.retainedSize,
                examples: g.examples,
              })),
            }
          : {}),
        ...(filesShown
          ? {
              byFile: filesShown.map((f) => ({
                file: f.file,
                count: f.count,
                selfSize: f.selfSize,
                retainedSize: f.retainedSize,
                classes: f.classes.map(({ name, count, selfSize, retainedSize }) => ({
                  name,
                  count,
                  selfSize,
                  retainedSize,
                })),
              })),
            }
          : {}),
      });
    } else {
      io.stdout.write(
        `${stats.nodeCount} nodes, ${stats.edgeCount} edges, ${formatBytes(stats.totalSize)} in ${model.classes().length} classes\n\n`,
      );
      io.stdout.write(`${formatStatistics(statistics)}\n`);
      if (filter !== undefined) io.stdout.write(`Filter: ${filter} (${all.length} classes)\n`);
      io.stdout.write(formatClassTable(classes));
      if (classes.length < all.length)
        io.stdout.write(`… ${all.length - classes.length} more classes (--top 0 shows all)\n`);
      if (dups) {
        const shown = top === 0 ? dups : dups.slice(0, top);
        io.stdout.write(`\n${formatDuplicateStrings(shown)}`);
        if (shown.length < dups.length) io.stdout.write(`… ${dups.length - shown.length} more strings\n`);
      }
      if (globals) {
        const shown = top === 0 ? globals : globals.slice(0, top);
        io.stdout.write(`\n${formatGlobals(shown)}`);
        if (shown.length < globals.length) io.stdout.write(`… ${globals.length - shown.length} more globals\n`);
      }
      if (detached && detachedShown) {
        io.stdout.write(`\nDetached DOM nodes by retainer:\n${formatDetachedElements(detached, detachedShown)}`);
        if (detachedShown.length < detached.groups.length)
          io.stdout.write(`… ${detached.groups.length - detachedShown.length} more retainers\n`);
      }
      if (byFile && filesShown) {
        io.stdout.write(`\n${formatSourceFiles(filesShown)}`);
        if (filesShown.length < byFile.length)
          io.stdout.write(`… ${byFile.length - filesShown.length} more files (--top 0 shows all)\n`);
      }
    }
    return 0;
  },
};

/** Loads a snapshot with a terminal progress line; bad input becomes a one-line RuntimeError (exit 1). */
export async function loadForCli(
  file: string,
  io: CliIO,
  whileWaiting?: LoadOptions['whileWaiting'],
): Promise<HeapSnapshotModel> {
  const progress = terminalProgress(io.stderr, io.isTTY, file);
  try {
    return await loadSnapshotFile(file, { onProgress: progress.update, signal: io.signal, whileWaiting });
  } finally {
    progress.clear();
  }
}

/** Loads a snapshot for the CLI and the MCP server: bad input, cancellation and lack of memory become one-line RuntimeErrors. */
export async function loadSnapshotFile(file: string, options: LoadOptions): Promise<HeapSnapshotModel> {
  try {
    return await loadHeapSnapshot(file, options);
  } catch (err) {
    if (err instanceof HeapSnapshotError) throw new RuntimeError(`${file}: ${err.message}`);
    if ((err as Error).name === 'AbortError') throw new RuntimeError('cancelled');
    if (err instanceof RangeError || (err as Error).message?.includes('Array buffer allocation failed')) {
      throw new RuntimeError(`${file}: not enough memory to analyze this snapshot (${(err as Error).message})`);
    }
    throw err;
  }
}
