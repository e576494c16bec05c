// The snapshot viewer's DevTools-parity requests (Statistics, the Summary's filter drop-down, duplicated strings,
// global variables, detached elements), part of ViewerMethods. Strings in results come from the debuggee's heap:
// render as text only.
// The row types repeat the engine's (structurally checked where the extension passes them on): the webview build
// cannot import engine modules that need Node.js.
import type { ClassSummaryRow, NodeSummary, Page } from '../core/heap/types';

/** The Summary's filter drop-down (`all` = no filter); the names are `memmon analyze --filter`'s. */
export const SUMMARY_VIEWS = [
  'all',
  'allocated-before',
  'allocated-between',
  'duplicated-strings',
  'retained-by-console',
  'retained-by-contexts',
  'retained-by-detached-dom',
  'retained-by-event-handlers',
  'retained-by-event-listeners',
  'retained-by-timers',
  'retained-by-module-cache',
  'retained-by-promises',
  'retained-by-async-local-storage',
] as const;
export type SummaryView = (typeof SUMMARY_VIEWS)[number];

/** DevTools' Statistics (getStatistics()): bytes. */
export interface StatisticsView {
  total: number;
  v8heap: { total: number; code: number; strings: number; jsArrays: number; system: number };
  native: { total: number; typedArrays: number };
}

/** One string value stored more than once (value: its first 100 characters, untrusted). */
export interface DuplicateStringView {
  value: string;
  count: number;
  totalSelfSize: number;
  totalRetainedSize: number;
  wastedBytes: number;
}

/** A global variable the program added: its name (untrusted) and value. */
export interface GlobalVariableView {
  name: string;
  id: number;
  retainedSize: number;
  selfSize: number;
  className: string;
}

/** Detached DOM nodes kept by one piece of JavaScript (retainer, path, examples: untrusted heap strings). */
export interface DetachedElementsView {
  retainer: string;
  retainerId: number;
  retainerCount: number;
  path: string[];
  nodes: number;
  roots: number;
  retainedSize: number;
  examples: string[];
  exampleId: number;
}

/** The other snapshot the id-range filters compare with, and whether its ids can be compared with this one's. */
export interface OtherSnapshotView {
  fileName: string;
  /** False when the two snapshots come from different heap-profiler sessions or processes. */
  sameSession: boolean;
  /** One-of-a-kind objects checked, and how many kept their id. */
  checked: number;
  matched: number;
}

/** A script file of the Summary grouped by source file (`file` is untrusted heap text; `index` addresses it). */
export interface SourceFileView {
  file: string;
  index: number;
  count: number;
  selfSize: number;
  retainedSize: number;
  distance: number;
  classCount: number;
  /** False for "(no source)" and scripts the snapshot does not name. */
  named: boolean;
}

/** A class allocated from one file (closures: "Function"); hasSource when the class has one constructor line. */
export interface SourceFileClassView extends ClassSummaryRow {
  hasSource: boolean;
}

/** How the Summary groups its top-level rows. */
export type SummaryGrouping = 'class' | 'file';

interface PageParams {
  offset: number;
  limit: number;
}

type SortParams = { sort: 'name' | 'distance' | 'count' | 'selfSize' | 'retainedSize'; descending: boolean };

/** Method → params and result, merged into ViewerMethods. */
export interface SummaryViewerMethods {
  statistics: { params: Record<string, never>; result: StatisticsView };
  /** The Summary restricted by `view`; `filter` is the class-name search box. */
  filteredClasses: {
    params: PageParams & {
      view: SummaryView;
      filter: string;
      sort: 'name' | 'distance' | 'count' | 'selfSize' | 'retainedSize';
      descending: boolean;
    };
    result: Page<ClassSummaryRow>;
  };
  filteredInstances: { params: PageParams & { view: SummaryView; classKey: string }; result: Page<NodeSummary> };
  /** Asks the user for another snapshot of the same process (for the id-range filters); null when cancelled. */
  pickOtherSnapshot: { params: Record<string, never>; result: OtherSnapshotView | null };
  /** The Summary (restricted by `view`) grouped by the script file that defines each object's constructor/function. */
  sourceFiles: {
    params: PageParams & SortParams & { view: SummaryView; filter: string };
    result: Page<SourceFileView>;
  };
  /** The classes of one file (its `index`); only those matching `filter` unless the file's name does. */
  sourceFileClasses: {
    params: PageParams & SortParams & { view: SummaryView; fileIndex: number; filter: string };
    result: Page<SourceFileClassView>;
  };
  /** Instances of one class of one file, largest retained size first. */
  sourceFileInstances: {
    params: PageParams & { view: SummaryView; fileIndex: number; classKey: string };
    result: Page<NodeSummary>;
  };
  duplicateStrings: { params: PageParams; result: Page<DuplicateStringView> };
  globals: { params: PageParams; result: Page<GlobalVariableView> };
  /** hasDom is false for snapshots without a DOM (Node.js): no groups then. */
  detachedElements: { params: PageParams; result: Page<DetachedElementsView> & { hasDom: boolean } };
}
export type SummaryViewerMethod = keyof SummaryViewerMethods;

const isInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isPage = (p: Record<string, unknown>) => isInt(p.offset) && isInt(p.limit) && p.limit <= 1000;
const isView = (v: unknown): v is SummaryView => (SUMMARY_VIEWS as readonly unknown[]).includes(v);
const isSort = (p: Record<string, unknown>) =>
  ['name', 'distance', 'count', 'selfSize', 'retainedSize'].includes(p.sort as string) &&
  typeof p.descending === 'boolean';
const isSearch = (v: unknown) => typeof v === 'string' && v.length <= 500;

/** Params checks of SummaryViewerMethods (webviews are not trusted blindly). */
export const SUMMARY_VIEW_PARAMS: { [M in SummaryViewerMethod]: (p: Record<string, unknown>) => boolean } = {
  statistics: () => true,
  filteredClasses: (p) => isView(p.view) && isSearch(p.filter) && isSort(p) && isPage(p),
  filteredInstances: (p) => isView(p.view) && typeof p.classKey === 'string' && isPage(p),
  pickOtherSnapshot: () => true,
  sourceFiles: (p) => isView(p.view) && isSearch(p.filter) && isSort(p) && isPage(p),
  sourceFileClasses: (p) => isView(p.view) && isInt(p.fileIndex) && isSearch(p.filter) && isSort(p) && isPage(p),
  sourceFileInstances: (p) => isView(p.view) && isInt(p.fileIndex) && typeof p.classKey === 'string' && isPage(p),
  duplicateStrings: isPage,
  globals: isPage,
  detachedElements: isPage,
};

/** Whether `method` is one of SummaryViewerMethods. */
export function isSummaryViewerMethod(method: string): method is SummaryViewerMethod {
  return Object.hasOwn(SUMMARY_VIEW_PARAMS, method);
}
