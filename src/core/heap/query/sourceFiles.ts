import type { HeapAnalysis } from '../analyze/analysis';
import { CLOSURE_CLASS_KEY } from '../analyze/classes';
import type { Page } from '../types';
import { sortedPage, type ClassSortKey } from './classQuery';
import { byRetainedSize, groupTotals } from './filteredSummary';
import { classHasSource, type ScriptNames } from './sourceLocations';

/** The group of objects that have no script location (built-ins, strings, arrays, plain objects, code…). */
export const NO_SOURCE = '(no source)';

/** One class (or the closures, "Function") allocated from one script file. */
export interface SourceFileClass {
  name: string;
  /** The Summary class key (the instances of a located class all come from one file). */
  key: string;
  count: number;
  selfSize: number;
  retainedSize: number;
  distance: number;
  /** The class has a constructor location (closures do not: each has its own). */
  hasSource: boolean;
}

/** The objects whose constructor or function a script file defines. */
export interface SourceFileGroup {
  /** The script's name (a path or URL, untrusted), `(script N)` when the snapshot does not name it, or NO_SOURCE. */
  file: string;
  count: number;
  selfSize: number;
  /** Sum of the retained sizes of the file's objects that no other object of the same file dominates. */
  retainedSize: number;
  distance: number;
  /** By retained size, largest first. */
  classes: SourceFileClass[];
}

/** A file row of the grouped Summary: its totals, its index in the summary's groups and how many classes it has. */
export interface SourceFileRow extends Omit<SourceFileGroup, 'classes'> {
  index: number;
  classCount: number;
  /** False for NO_SOURCE and for scripts the snapshot does not name. */
  named: boolean;
}

/** The Summary grouped by source file, with each node's group for listing a group's instances. */
export interface SourceFileSummary {
  /** Files by retained size, largest first; NO_SOURCE last. */
  groups: SourceFileGroup[];
  /** Per node ordinal: its index in `groups`, -1 when the node is filtered out or has self size 0. */
  fileOf: Int32Array;
  mask: Uint8Array | null;
}

/**
 * The Summary grouped by the script that defines each object's constructor or function (the snapshot's `locations`):
 * per file its counts, self and retained sizes (retained: objects nested under another object of the same file in
 * the dominator tree are not counted twice), and its classes. Restricted to the nodes `mask` marks (null: all).
 * Two passes over the nodes and two walks of the dominator tree.
 */
export function summarizeBySourceFile(
  analysis: HeapAnalysis,
  scripts: ScriptNames,
  mask: Uint8Array | null = null,
): SourceFileSummary {
  const { raw, classes } = analysis;
  const { nodeLocation, locationScript, nodeSelfSize } = raw;
  const { classOf, names, keys } = classes;
  const classCount = names.length;
  // Files by name (several script ids can share one): file 0 is NO_SOURCE.
  const fileNames = [NO_SOURCE];
  const fileByName = new Map<string, number>();
  const fileByScript = new Map<number, number>();
  const fileOf = new Int32Array(raw.nodeCount);
  const pairOf = new Int32Array(raw.nodeCount).fill(-1);
  const pairByKey = new Map<number, number>();
  const pairFile: number[] = [];
  const pairClass: number[] = [];
  for (let n = 0; n < raw.nodeCount; n++) {
    if ((mask && !mask[n]) || !nodeSelfSize[n]) {
      fileOf[n] = -1;
      continue;
    }
    const loc = nodeLocation ? nodeLocation[n] : -1;
    let f = 0;
    if (loc >= 0) {
      const script = locationScript[loc];
      let known = fileByScript.get(script);
      if (known === undefined) {
        const name = scripts.nameOf(script) ?? `(script ${script})`;
        known = fileByName.get(name);
        if (known === undefined) fileByName.set(name, (known = fileNames.push(name) - 1));
        fileByScript.set(script, known);
      }
      f = known;
    }
    fileOf[n] = f;
    const key = f * classCount + classOf[n];
    let pair = pairByKey.get(key);
    if (pair === undefined) {
      pairByKey.set(key, (pair = pairFile.length));
      pairFile.push(f);
      pairClass.push(classOf[n]);
    }
    pairOf[n] = pair;
  }
  const files = groupTotals(analysis, fileOf, fileNames.length, null);
  const pairs = groupTotals(analysis, pairOf, pairFile.length, null);
  const groups: SourceFileGroup[] = fileNames.map((file, f) => ({
    file,
    count: files.count[f],
    selfSize: files.selfSize[f],
    retainedSize: files.retainedSize[f],
    distance: files.distance[f],
    classes: [],
  }));
  pairFile.forEach((f, p) => {
    const c = pairClass[p];
    groups[f].classes.push({
      name: names[c],
      key: keys[c],
      count: pairs.count[p],
      selfSize: pairs.selfSize[p],
      retainedSize: pairs.retainedSize[p],
      distance: pairs.distance[p],
      hasSource: keys[c] !== CLOSURE_CLASS_KEY && classHasSource(keys[c]),
    });
  });
  for (const g of groups) g.classes.sort(byRetainedSize);
  // Sorted files; NO_SOURCE (file 0) last: it holds the global object and so retains nearly everything.
  const order = groups
    .map((_, f) => f)
    .filter((f) => groups[f].count > 0)
    .sort((a, b) => (a === 0 ? 1 : b === 0 ? -1 : byFile(groups[a], groups[b])));
  const position = new Int32Array(groups.length).fill(-1);
  order.forEach((f, i) => (position[f] = i));
  for (let n = 0; n < fileOf.length; n++) if (fileOf[n] >= 0) fileOf[n] = position[fileOf[n]];
  return { groups: order.map((f) => groups[f]), fileOf, mask };
}

function byFile(x: SourceFileGroup, y: SourceFileGroup): number {
  return y.retainedSize - x.retainedSize || y.selfSize - x.selfSize || (x.file < y.file ? -1 : 1);
}

/** Node ordinals of one class of one file of `summary`, by retained size descending. */
export function sourceFileInstances(
  analysis: HeapAnalysis,
  summary: SourceFileSummary,
  fileIndex: number,
  classKey: string,
): Uint32Array {
  const { classes, tree } = analysis;
  const c = classes.keys.indexOf(classKey);
  const members: number[] = [];
  if (c >= 0)
    for (let n = 0; n < summary.fileOf.length; n++)
      if (summary.fileOf[n] === fileIndex && classes.classOf[n] === c) members.push(n);
  const retained = tree.retainedSize;
  return Uint32Array.from(members).sort((a, b) => retained[b] - retained[a] || a - b);
}

/** Whether a group matches the Summary's search text: by file name, or by one of its classes' names. */
function matches(g: SourceFileGroup, needle: string): boolean {
  return !needle || g.file.toLowerCase().includes(needle) || g.classes.some((c) => matchesClass(c, needle));
}
const matchesClass = (c: SourceFileClass, needle: string) => c.name.toLowerCase().includes(needle);

/** One page of the files whose name or classes contain `filter` (case-insensitive), sorted by a column. */
export function sourceFilePage(
  summary: SourceFileSummary,
  filter: string,
  sort: ClassSortKey,
  descending: boolean,
  offset: number,
  limit: number,
): Page<SourceFileRow> {
  const needle = filter.trim().toLowerCase();
  const rows = summary.groups.map((g, index) => ({ g, index })).filter(({ g }) => matches(g, needle));
  return sortedPage(
    rows.map(({ g, index }) => ({ ...g, index })),
    (r) => r.file,
    (r) => r.file,
    sort,
    descending,
    offset,
    limit,
    ({ classes, file, ...totals }) => ({
      ...totals,
      file,
      classCount: classes.length,
      named: file !== NO_SOURCE && !/^\(script \d+\)$/.test(file),
    }),
    (r) => r.file === NO_SOURCE,
  );
}

/** One page of a file's classes: all when the file's name contains `filter`, else those whose name does. */
export function sourceFileClassPage(
  summary: SourceFileSummary,
  fileIndex: number,
  filter: string,
  sort: ClassSortKey,
  descending: boolean,
  offset: number,
  limit: number,
): Page<SourceFileClass> {
  const g = summary.groups[fileIndex];
  if (!g) throw new RangeError(`no source file ${fileIndex} in this summary`);
  const needle = filter.trim().toLowerCase();
  const all = !needle || g.file.toLowerCase().includes(needle);
  const rows = all ? g.classes : g.classes.filter((c) => matchesClass(c, needle));
  return sortedPage(
    rows,
    (c) => c.name,
    (c) => c.key,
    sort,
    descending,
    offset,
    limit,
    (c) => ({ ...c }),
  );
}
