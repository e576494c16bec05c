import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { diffSnapshots, findLeaks, HeapSnapshotModel } from '../../core/heap';
import type { ClassSummaryRow, RetainerPathStep } from '../../core/heap';
import { formatBytes } from '../../core/format';
import { progressFor, ToolExtra } from './progress';
import { outputFields, pagingInput } from './schemas';
import { ToolContext } from './toolContext';
import { COMMON_UNITS, ToolError } from './toolOutput';

const HEAP_UNITS = {
  ...COMMON_UNITS,
  fileBytes: 'bytes',
  addedSize: 'bytes',
  removedSize: 'bytes',
  sizeDelta: 'bytes',
  sizeBefore: 'bytes',
  sizeAfter: 'bytes',
  leakedRetainedSize: 'bytes',
  distance: 'edges from the GC roots',
};
/** Retainer-path groups of a three-snapshot leak report shown besides the paged classes. */
const LEAK_GROUPS_SHOWN = 10;

const classFilterInput = z
  .string()
  .optional()
  .describe('Only classes whose name contains this text (case-insensitive)');

/** Registers the heap snapshot tools: analyze, diff (2 or 3 files), find retainers. */
export function registerHeapTools(server: McpServer, ctx: ToolContext): void {
  const load = (files: string[], command: string, extra: ToolExtra): Promise<HeapSnapshotModel[]> => {
    const progress = progressFor(extra);
    return Promise.all(
      files.map((f, i) =>
        ctx.snapshots.load(f, command, extra.signal, (phase, fraction) =>
          // One step per file; phases within a file share it.
          progress(
            Math.round((i + fraction) * 1000) / 1000,
            files.length,
            `${f}: ${phase} ${Math.round(fraction * 100)} %`,
          ),
        ),
      ),
    );
  };

  server.registerTool(
    'analyze_heap_snapshot',
    {
      title: 'Analyze a heap snapshot',
      description:
        "Parses a .heapsnapshot file (any size; kept loaded for follow-up calls) and returns its statistics and its classes by retained size, as DevTools' Summary view — `memmon analyze --json`. Filter classes by name; page with nextCursor.",
      inputSchema: {
        file: z.string().describe('Path of the .heapsnapshot file'),
        classFilter: classFilterInput,
        ...pagingInput,
      },
      outputSchema: outputFields({ nodeCount: z.number(), totalSize: z.number(), classes: z.array(z.unknown()) }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args, extra) => {
      if (args.cursor) return ctx.pager.next(args.cursor, args.maxBytes);
      const [model] = await load([args.file], 'analyze', extra);
      const stats = model.stats();
      const classes = filterClasses(model.classes(), args.classFilter);
      return ctx.pager.first(
        {
          summary: `${stats.nodeCount} nodes, ${stats.edgeCount} edges, ${formatBytes(stats.totalSize)} in ${stats.classCount} classes${args.classFilter ? `; ${classes.length} match "${args.classFilter}"` : ''}; largest retained: ${
            classes
              .slice(0, 3)
              .map((c) => `${c.name} ${formatBytes(c.retainedSize)}`)
              .join(', ') || 'none'
          }`,
          data: { file: args.file, ...stats, classFilter: args.classFilter ?? null },
          listKey: 'classes',
          items: classes,
          units: HEAP_UNITS,
        },
        args.maxBytes,
      );
    },
  );

  server.registerTool(
    'diff_heap_snapshots',
    {
      title: 'Compare heap snapshots',
      description:
        "Two files (before, after): per class, objects added and removed with counts and sizes, largest growth first. Three files (baseline, target, final): objects allocated after the baseline that exist in the target and are still alive in the final snapshot (memlab's leak semantics) by class, plus their top retainer paths — `memmon diff --json`.",
      inputSchema: {
        files: z.array(z.string()).min(2).max(3).describe('2 or 3 .heapsnapshot paths, oldest first'),
        classFilter: classFilterInput,
        ...pagingInput,
      },
      outputSchema: outputFields({ mode: z.enum(['diff', 'leaks']), classes: z.array(z.unknown()) }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args, extra) => {
      if (args.cursor) return ctx.pager.next(args.cursor, args.maxBytes);
      const models = await load(args.files, 'diff', extra);
      if (models.length === 2) {
        const diff = diffSnapshots(models[0], models[1]);
        const classes = filterClasses(diff.classes, args.classFilter);
        const growing = classes.filter((c) => c.sizeDelta > 0 || c.countDelta > 0).slice(0, 3);
        const { classes: _all, ...totals } = diff;
        return ctx.pager.first(
          {
            summary: `${diff.addedCount} objects added (${formatBytes(diff.addedSize)}), ${diff.removedCount} removed (${formatBytes(diff.removedSize)}); most growth: ${growing.map((c) => `${c.name} +${c.countDelta} (${formatBytes(c.sizeDelta)})`).join(', ') || 'none'}`,
            data: { mode: 'diff', files: args.files, ...totals },
            listKey: 'classes',
            items: classes,
            units: HEAP_UNITS,
          },
          args.maxBytes,
        );
      }
      const leaks = findLeaks(models[0], models[1], models[2]);
      const classes = filterClasses(leaks.byClass, args.classFilter);
      return ctx.pager.first(
        {
          summary: `${leaks.leakedCount} objects leaked (retaining ${formatBytes(leaks.leakedRetainedSize)}): ${
            classes
              .slice(0, 3)
              .map((c) => `${c.name} ×${c.count} ${formatBytes(c.retainedSize)}`)
              .join(', ') || 'none'
          }`,
          data: {
            mode: 'leaks',
            files: args.files,
            leakedCount: leaks.leakedCount,
            leakedRetainedSize: leaks.leakedRetainedSize,
            groups: leaks.groups.slice(0, LEAK_GROUPS_SHOWN).map((g) => ({ ...g, sampleIds: g.sampleIds.slice(0, 5) })),
          },
          listKey: 'classes',
          items: classes,
          units: HEAP_UNITS,
        },
        args.maxBytes,
      );
    },
  );

  server.registerTool(
    'find_retainers',
    {
      title: 'Find what keeps objects alive',
      description:
        'Retainer paths from the GC roots to an object of a heap snapshot: give a node id ("@123" or 123) or a class name (then its instances with the largest retained size). Each path lists the edges and objects that keep the target alive; weak edges are never used.',
      inputSchema: {
        file: z.string().describe('Path of the .heapsnapshot file'),
        className: z.string().optional().describe('A class name as analyze_heap_snapshot lists it'),
        id: z
          .union([z.number().int().nonnegative(), z.string().regex(/^@?\d+$/)])
          .optional()
          .describe('A node id, e.g. "@12345"'),
        instances: z
          .number()
          .int()
          .min(1)
          .max(20)
          .default(3)
          .describe('With className: how many of the largest instances'),
        maxPaths: z.number().int().min(1).max(20).default(3).describe('Paths per object'),
        maxDepth: z.number().int().min(1).max(1000).default(100).describe('Longest path, in edges'),
        ...pagingInput,
      },
      outputSchema: outputFields({ paths: z.array(z.unknown()) }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args, extra) => {
      if (args.cursor) return ctx.pager.next(args.cursor, args.maxBytes);
      if ((args.className === undefined) === (args.id === undefined))
        throw new ToolError('memmon: give className or id (one of them)');
      const [model] = await load([args.file], 'analyze', extra);
      let ids: number[];
      if (args.id !== undefined) {
        const id = typeof args.id === 'number' ? args.id : Number(args.id.replace(/^@/, ''));
        if (!model.nodeDetails(id)) throw new ToolError(`memmon: no object @${id} in ${args.file}`);
        ids = [id];
      } else {
        const c = model.classes().find((x) => x.name === args.className);
        if (!c)
          throw new ToolError(
            `memmon: no class named "${args.className}" in ${args.file}${suggest(model.classes(), args.className!)}`,
          );
        ids = model.classInstances(c.key, { limit: args.instances }).items.map((n) => n.id);
      }
      const paths = ids.flatMap((id) =>
        model
          .retainerPaths(id, { maxPaths: args.maxPaths, maxDepth: args.maxDepth })
          .map((p) => ({ targetId: id, text: pathText(p), steps: p })),
      );
      const first = paths[0];
      return ctx.pager.first(
        {
          summary: first
            ? `${paths.length} retainer paths for ${ids.length} object(s); shortest: ${first.text}`
            : `no retainer path: the object is not reachable from the GC roots`,
          data: { file: args.file, targets: ids.map((id) => model.nodeDetails(id)) },
          listKey: 'paths',
          items: paths,
          units: HEAP_UNITS,
        },
        args.maxBytes,
      );
    },
  );
}

function filterClasses<T extends { name: string }>(rows: T[], filter: string | undefined): T[] {
  if (!filter) return rows;
  const f = filter.toLowerCase();
  return rows.filter((r) => r.name.toLowerCase().includes(f));
}

/** "(root) → Window.foo → Array[3] → Session @123", the way DevTools reads a path. */
function pathText(path: RetainerPathStep[]): string {
  return path.map((s) => `${s.edge ? `${s.edge.name}: ` : ''}${s.node.className} @${s.node.id}`).join(' → ');
}

function suggest(classes: ClassSummaryRow[], name: string): string {
  const n = name.toLowerCase();
  const close = classes.filter((c) => c.name.toLowerCase().includes(n)).slice(0, 3);
  return close.length ? `; did you mean ${close.map((c) => `"${c.name}"`).join(', ')}?` : '';
}
