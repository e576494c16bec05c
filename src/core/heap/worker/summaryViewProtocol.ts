/**
 * Worker methods behind the viewer's DevTools-parity views: the Summary restricted by a filter (with its
 * instances), duplicated strings, global variables, detached DOM elements and whether two snapshots come from one heap-profiler session.
 * `otherHandle` names the second snapshot the id-range filters (`allocated-before`/`-between`) need.
 */
import type { ClassSortKey } from '../query/classQuery';
import type { DetachedElementsGroup } from '../query/detachedElements';
import type { DuplicateStringGroup } from '../query/duplicateStrings';
import type { GlobalVariable } from '../query/globals';
import type { IdStability } from '../query/sameSession';
import type { SourceFileClass, SourceFileRow } from '../query/sourceFiles';
import type { SummaryFilter } from '../query/summaryFilters';
import type { ClassSummaryRow, NodeSummary, Page, PageRequest } from '../types';

export interface SummaryViewMethods {
  /** The Summary restricted by `view` (DevTools' aggregatesWithFilter), optionally name-filtered and sorted. */
  filteredClasses: {
    params: PageRequest & {
      handle: number;
      view: SummaryFilter;
      otherHandle?: number;
      filter?: string;
      sort?: ClassSortKey;
      descending?: boolean;
    };
    result: Page<ClassSummaryRow>;
  };
  /** Instances of one class that pass `view`, by retained size descending. */
  filteredInstances: {
    params: PageRequest & { handle: number; view: SummaryFilter; otherHandle?: number; classKey: string };
    result: Page<NodeSummary>;
  };
  /** DevTools' duplicated strings, by total retained size descending. */
  duplicateStrings: { params: PageRequest & { handle: number }; result: Page<DuplicateStringGroup> };
  /** Global variables the program added, by retained size descending. */
  globalVariables: { params: PageRequest & { handle: number }; result: Page<GlobalVariable> };
  /** Detached DOM nodes grouped by retaining JavaScript, by retained size descending; hasDom false without a DOM. */
  detachedElements: {
    params: PageRequest & { handle: number };
    result: Page<DetachedElementsGroup> & { hasDom: boolean };
  };
  /**
   * The Summary grouped by the script file that defines each object's constructor or function (undefined `view`:
   * all objects), files whose name or classes contain `filter`, sorted by a column; `index` addresses a file below.
   */
  sourceFiles: {
    params: PageRequest & {
      handle: number;
      view?: SummaryFilter;
      otherHandle?: number;
      filter?: string;
      sort?: ClassSortKey;
      descending?: boolean;
    };
    result: Page<SourceFileRow>;
  };
  /** The classes of one file (its `index` in sourceFiles), those whose name contains `filter` unless the file's does. */
  sourceFileClasses: {
    params: PageRequest & {
      handle: number;
      view?: SummaryFilter;
      otherHandle?: number;
      fileIndex: number;
      filter?: string;
      sort?: ClassSortKey;
      descending?: boolean;
    };
    result: Page<SourceFileClass>;
  };
  /** Instances of one class of one file, by retained size descending. */
  sourceFileInstances: {
    params: PageRequest & {
      handle: number;
      view?: SummaryFilter;
      otherHandle?: number;
      fileIndex: number;
      classKey: string;
    };
    result: Page<NodeSummary>;
  };
  /** Whether `otherHandle`'s snapshot comes from the same heap-profiler session as `handle`'s (ids comparable). */
  sameSession: { params: { handle: number; otherHandle: number }; result: IdStability };
}
