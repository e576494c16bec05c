import type { HeapSnapshotModel } from './model';
import { BASE_SYSTEM_DISTANCE } from '../analyze/distances';
import { edgeNameText } from '../analyze/nodeNames';
import { snapshotPairWarnings } from './snapshotPair';
import { idStability } from './sameSession';
import { assignClasses, type ClassTable } from '../analyze/classes';
import type { ClassDiffRow, ClassSummaryRow, LeakGroup, LeakReport, SnapshotDiff } from '../types';

/**
 * Marks, for each node of `subject`, whether `other` holds the same id (merge walk over both id-sorted orders).
 * `byClass`: only in the same class and with a self size, as DevTools' comparison view matches objects (one whose
 * class changed, e.g. a plain object that gained a property, is deleted from one class and new in the other);
 * `classA`/`classB`: the classes to match by, when not the snapshots' own.
 */
export function presentIn(
  subject: HeapSnapshotModel,
  other: HeapSnapshotModel,
  byClass = false,
  classA: ClassTable = subject.analysis.classes,
  classB: ClassTable = other.analysis.classes,
): Uint8Array {
  const a = subject.analysis.raw.nodeId;
  const b = other.analysis.raw.nodeId;
  const keyToB = new Map(classB.keys.map((k, i) => [k, i]));
  const sameClass = Int32Array.from(classA.keys, (k) => keyToB.get(k) ?? -1);
  const selfB = other.analysis.raw.nodeSelfSize;
  const orderA = subject.idOrder();
  const orderB = other.idOrder();
  const present = new Uint8Array(a.length);
  let j = 0;
  for (let i = 0; i < orderA.length; i++) {
    const n = orderA[i];
    const id = a[n];
    while (j < orderB.length && b[orderB[j]] < id) j++;
    // Ids are unique within a snapshot, so at most one candidate.
    if (j < orderB.length && b[orderB[j]] === id) {
      const m = orderB[j];
      if (!byClass || (selfB[m] && sameClass[classA.classOf[n]] === classB.classOf[m])) present[n] = 1;
    }
  }
  return present;
}

/**
 * The classes of `before` as DevTools' Comparison view sees them: its plain objects named by `after`'s shape
 * definitions, not its own (HeapSnapshotDiffDataGrid.populateChildren asks the base snapshot for
 * aggregatesForDiff(snapshot.interfaceDefinitions()), which applies the target's definitions to the base). Otherwise
 * an object that exists in both would change class whenever its shape became popular enough to get a name, or
 * stopped being so, and show as deleted from one class and new in another.
 */
function baseClasses(before: HeapSnapshotModel, after: HeapSnapshotModel): ClassTable {
  const own = before.analysis.classes;
  const shapes = after.analysis.classes.shapes;
  const same =
    own.shapes.length === shapes.length &&
    own.shapes.every(
      (d, i) =>
        d.name === shapes[i].name &&
        d.properties.length === shapes[i].properties.length &&
        d.properties.every((p, j) => p === shapes[i].properties[j]),
    );
  return same ? own : assignClasses(before.analysis.raw, undefined, undefined, shapes);
}

/** Per class of `table`: how many nodes with a self size it has, and their total self size. */
function countsByClass(model: HeapSnapshotModel, table: ClassTable): { count: Float64Array; size: Float64Array } {
  const { nodeCount, nodeSelfSize } = model.analysis.raw;
  const count = new Float64Array(table.names.length);
  const size = new Float64Array(table.names.length);
  for (let n = 0; n < nodeCount; n++) {
    const self = nodeSelfSize[n];
    if (!self) continue;
    count[table.classOf[n]]++;
    size[table.classOf[n]] += self;
  }
  return { count, size };
}

/**
 * Compares two snapshots per class: objects added (ids only in `after`) and removed (ids only in `before`), the
 * columns of DevTools' Comparison view (#New, #Deleted, #Delta, Alloc. size, Freed size, Size delta).
 */
export function diffSnapshots(before: HeapSnapshotModel, after: HeapSnapshotModel): SnapshotDiff {
  const classesBefore = baseClasses(before, after);
  const classesAfter = after.analysis.classes;
  const rows = new Map<string, ClassDiffRow>();
  const row = (name: string, key: string): ClassDiffRow => {
    let r = rows.get(key);
    if (!r) {
      r = {
        name,
        key,
        addedCount: 0,
        removedCount: 0,
        countDelta: 0,
        addedSize: 0,
        removedSize: 0,
        sizeDelta: 0,
        countBefore: 0,
        countAfter: 0,
        sizeBefore: 0,
        sizeAfter: 0,
      };
      rows.set(key, r);
    }
    return r;
  };
  const totalsBefore = countsByClass(before, classesBefore);
  classesBefore.keys.forEach((key, c) => {
    if (totalsBefore.count[c])
      Object.assign(row(classesBefore.names[c], key), {
        countBefore: totalsBefore.count[c],
        sizeBefore: totalsBefore.size[c],
      });
  });
  const totalsAfter = countsByClass(after, classesAfter);
  classesAfter.keys.forEach((key, c) => {
    if (totalsAfter.count[c])
      Object.assign(row(classesAfter.names[c], key), {
        countAfter: totalsAfter.count[c],
        sizeAfter: totalsAfter.size[c],
      });
  });
  let addedCount = 0,
    removedCount = 0,
    addedSize = 0,
    removedSize = 0;
  const tally = (model: HeapSnapshotModel, classes: ClassTable, present: Uint8Array, added: boolean) => {
    const { raw } = model.analysis;
    for (let n = 0; n < raw.nodeCount; n++) {
      const size = raw.nodeSelfSize[n];
      if (present[n] || !size) continue;
      const c = classes.classOf[n];
      const r = row(classes.names[c], classes.keys[c]);
      if (added) {
        r.addedCount++;
        r.addedSize += size;
        addedCount++;
        addedSize += size;
      } else {
        r.removedCount++;
        r.removedSize += size;
        removedCount++;
        removedSize += size;
      }
    }
  };
  const ids = idStability(before, after);
  if (ids.comparable) {
    tally(after, classesAfter, presentIn(after, before, true, classesAfter, classesBefore), true);
    tally(before, classesBefore, presentIn(before, after, true, classesBefore, classesAfter), false);
  } else {
    // Ids were reassigned (another profiler session): only class counts and sizes can be compared.
    for (const r of rows.values()) {
      r.addedCount = Math.max(0, r.countAfter - r.countBefore);
      r.removedCount = Math.max(0, r.countBefore - r.countAfter);
      r.addedSize = Math.max(0, r.sizeAfter - r.sizeBefore);
      r.removedSize = Math.max(0, r.sizeBefore - r.sizeAfter);
      addedCount += r.addedCount;
      removedCount += r.removedCount;
      addedSize += r.addedSize;
      removedSize += r.removedSize;
    }
  }
  const changed = [...rows.values()].filter((r) => {
    r.countDelta = r.addedCount - r.removedCount;
    r.sizeDelta = r.addedSize - r.removedSize;
    return r.addedCount || r.removedCount || r.countBefore !== r.countAfter;
  });
  changed.sort(
    (x, y) => Math.abs(y.sizeDelta) - Math.abs(x.sizeDelta) || y.addedSize - x.addedSize || (x.key < y.key ? -1 : 1),
  );
  const pairWarnings = snapshotPairWarnings(before, after);
  const idWarning = ids.comparable
    ? undefined
    : `the snapshots come from different heap-profiler sessions (only ${ids.matched} of ${ids.checked} one-of-a-kind objects kept their id): compared by class counts and sizes, not by object`;
  return {
    before: before.stats(),
    after: after.stats(),
    addedCount,
    removedCount,
    addedSize,
    removedSize,
    idsComparable: ids.comparable,
    ...(idWarning ? { warning: idWarning } : {}),
    classes: changed,
    // How the pair looks wrong, each saying how it can tell and what that means for this diff.
    warnings: idWarning ? [...pairWarnings, idWarning] : pairWarnings,
  };
}

const MAX_GROUPS = 200;
const PATH_STEPS = 12;

/**
 * memlab's leak semantics: objects of `final` whose ids were absent from `baseline` and present in `target`
 * (allocated during the target action and never released). Grouped by class and by retainer path, ranked by
 * retained size; objects dominated by other leaked objects count toward their dominator, not twice. `maxGroups`
 * caps the groups returned (a hunt that ranks them otherwise, e.g. per repetition, asks for more).
 */
export function findLeaks(
  baseline: HeapSnapshotModel,
  target: HeapSnapshotModel,
  final: HeapSnapshotModel,
  maxGroups = MAX_GROUPS,
): LeakReport {
  const inBaseline = presentIn(final, baseline);
  const inTarget = presentIn(final, target);
  const { raw, tree, distance, classes, parentEdge } = final.analysis;
  const t = raw.layout.nodeType;
  const excluded = new Set([t.hidden, t.synthetic, t.code, raw.layout.nodeTypes.indexOf('object shape')]);
  const leaked = new Uint8Array(raw.nodeCount);
  for (let n = 0; n < raw.nodeCount; n++) {
    const d = distance[n];
    if (
      !inBaseline[n] &&
      inTarget[n] &&
      raw.nodeSelfSize[n] &&
      !excluded.has(raw.nodeType[n]) &&
      d >= 0 &&
      d < BASE_SYSTEM_DISTANCE
    )
      leaked[n] = 1;
  }
  // Leak roots: leaked nodes without a leaked dominator-tree ancestor (pre-order walk with a depth counter).
  const byClass = new Map<number, ClassSummaryRow>();
  const groups = new Map<string, LeakGroup>();
  let leakedCount = 0;
  let leakedRetainedSize = 0;
  const { firstDominated, dominated, retainedSize } = tree;
  const stack = new Uint32Array(raw.nodeCount);
  const cursor = new Uint32Array(raw.nodeCount);
  let inside = 0;
  stack[0] = raw.rootOrdinal;
  cursor[0] = firstDominated[raw.rootOrdinal]!;
  let top = 1;
  while (top) {
    const node = stack[top - 1];
    const next = cursor[top - 1];
    if (next >= firstDominated[node + 1]) {
      if (leaked[node]) inside--;
      top--;
      continue;
    }
    cursor[top - 1] = next + 1;
    const child = dominated[next];
    if (leaked[child]) {
      leakedCount++;
      const c = classes.classOf[child];
      let row = byClass.get(c);
      if (!row)
        byClass.set(
          c,
          (row = {
            name: classes.names[c],
            key: classes.keys[c],
            count: 0,
            selfSize: 0,
            retainedSize: 0,
            distance: distance[child],
          }),
        );
      row.count++;
      row.selfSize += raw.nodeSelfSize[child];
      row.distance = Math.min(row.distance, distance[child]);
      if (inside === 0) {
        row.retainedSize += retainedSize[child];
        leakedRetainedSize += retainedSize[child];
        const path = retainerPathSignature(final, child, parentEdge);
        const key = `${classes.keys[c]}\u0000${path.join('\u0001')}`;
        let g = groups.get(key);
        if (!g)
          groups.set(
            key,
            (g = {
              name: classes.names[c],
              key: classes.keys[c],
              count: 0,
              retainedSize: 0,
              selfSize: 0,
              retainerPath: path,
              sampleIds: [],
            }),
          );
        g.count++;
        g.retainedSize += retainedSize[child];
        g.selfSize += raw.nodeSelfSize[child];
        if (g.sampleIds.length < 5) g.sampleIds.push(raw.nodeId[child]);
      }
      inside++;
    }
    stack[top] = child;
    cursor[top] = firstDominated[child]!;
    top++;
  }
  return {
    leakedCount,
    leakedRetainedSize,
    byClass: [...byClass.values()].sort((a, b) => b.retainedSize - a.retainedSize || b.selfSize - a.selfSize),
    groups: [...groups.values()]
      .sort((a, b) => b.retainedSize - a.retainedSize || b.count - a.count)
      .slice(0, maxGroups),
  };
}

/** "Class.edge" (or "Class[]" for elements) steps from the GC roots to the node's retainer, via the BFS shortest path (the last PATH_STEPS). */
export function retainerPathSignature(model: HeapSnapshotModel, node: number, parentEdge: Uint32Array): string[] {
  const { raw, classes } = model.analysis;
  const steps: string[] = [];
  let n = node;
  const seen = new Set<number>();
  while (steps.length < PATH_STEPS && parentEdge[n] !== 0xffffffff && !seen.has(n)) {
    seen.add(n);
    const e = parentEdge[n];
    const source = model.sourceOfEdge(e);
    if (source === raw.rootOrdinal) break;
    // Element indices differ between otherwise identical paths: normalise them, as memlab does.
    const name = edgeNameText(raw, e);
    const edge = /^\d+$/.test(name) ? '[]' : `.${name}`;
    steps.push(`${classes.names[classes.classOf[source]]}${edge}`);
    n = source;
  }
  return steps.reverse();
}
