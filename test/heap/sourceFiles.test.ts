// The Summary grouped by source file and the source links of Summary rows, on a committed real snapshot
// (leak-app.cjs: 200 Session objects kept in a Map), checked against independent walks of the snapshot.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadHeapSnapshot, type HeapSnapshotModel } from '../../src/core/heap';
import { FilteredSummaries } from '../../src/core/heap/query/summaryFilters';
import { classHasSource, classKeyLocation } from '../../src/core/heap/query/sourceLocations';
import {
  NO_SOURCE,
  sourceFileClassPage,
  sourceFilePage,
  summarizeBySourceFile,
  type SourceFileSummary,
} from '../../src/core/heap/query/sourceFiles';
import { fixtureBytes, tempSnapshot } from './fixtures';

describe('Summary by source file (leak-final fixture)', () => {
  let model: HeapSnapshotModel;
  let summary: SourceFileSummary;
  /** Per node ordinal: its script name as nodeDetails and ScriptNames give it, NO_SOURCE without a location. */
  const fileOfNode: string[] = [];

  before(async () => {
    model = await loadHeapSnapshot(tempSnapshot(fixtureBytes('leak-final'), 'leak-final.heapsnapshot'));
    summary = summarizeBySourceFile(model.analysis, model.scripts);
    const { raw } = model.analysis;
    for (let n = 0; n < raw.nodeCount; n++) {
      const loc = model.nodeDetails(raw.nodeId[n])!.location;
      fileOfNode.push(loc ? (model.scripts.nameOf(loc.scriptId) ?? `(script ${loc.scriptId})`) : NO_SOURCE);
    }
  });

  it('puts every counted object in exactly one file: counts and self sizes add up to the class Summary', () => {
    const classes = model.classes();
    const sum = (rows: { count: number; selfSize: number }[]) =>
      rows.reduce((a, r) => [a[0]! + r.count, a[1]! + r.selfSize], [0, 0]);
    assert.deepEqual(sum(summary.groups), sum(classes));
    for (const g of summary.groups) assert.deepEqual(sum(g.classes), [g.count, g.selfSize], g.file);
    assert.ok(summary.groups.length >= 5, `files: ${summary.groups.length}`);
  });

  it("groups each object under the script of its constructor or function (the snapshot's own locations)", () => {
    const { raw } = model.analysis;
    const counts = new Map<string, number>();
    for (let n = 0; n < raw.nodeCount; n++)
      if (raw.nodeSelfSize[n]) counts.set(fileOfNode[n]!, (counts.get(fileOfNode[n]!) ?? 0) + 1);
    assert.deepEqual(new Map(summary.groups.map((g) => [g.file, g.count])), counts);
    for (let n = 0; n < raw.nodeCount; n += 97)
      if (raw.nodeSelfSize[n]) assert.equal(summary.groups[summary.fileOf[n]!]!.file, fileOfNode[n]);
  });

  it("lists the program's file with its classes: 200 Sessions, as many as the class Summary has", () => {
    const app = summary.groups.find((g) => g.file.endsWith('leak-app.cjs'));
    assert.ok(app, `files: ${summary.groups.map((g) => g.file).join(', ')}`);
    const session = app.classes.find((c) => c.name === 'Session')!;
    const inSummary = model.classes().find((c) => c.name === 'Session')!;
    assert.equal(session.count, 200);
    assert.deepEqual(
      [session.count, session.selfSize, session.retainedSize, session.key],
      [inSummary.count, inSummary.selfSize, inSummary.retainedSize, inSummary.key],
    );
    assert.equal(session.hasSource, true);
    const closures = app.classes.find((c) => c.name === 'Function');
    assert.ok(closures && closures.count >= 1 && !closures.hasSource, 'the closures of the file, without one line');
  });

  it('sums retained sizes without counting an object under another of the same file twice (brute force)', () => {
    const { raw, tree } = model.analysis;
    const want = new Map<string, number>();
    for (let n = 0; n < raw.nodeCount; n++) {
      if (!raw.nodeSelfSize[n]) continue;
      let nested = false;
      for (let d = tree.dominator[n]!; d !== raw.rootOrdinal && !nested; d = tree.dominator[d]!)
        nested = raw.nodeSelfSize[d]! > 0 && fileOfNode[d] === fileOfNode[n];
      if (!nested) want.set(fileOfNode[n]!, (want.get(fileOfNode[n]!) ?? 0) + tree.retainedSize[n]!);
    }
    for (const g of summary.groups) assert.equal(g.retainedSize, want.get(g.file), g.file);
  });

  it('orders files by retained size, largest first, with (no source) last', () => {
    const files = summary.groups;
    assert.equal(files.at(-1)!.file, NO_SOURCE);
    for (let i = 1; i < files.length - 1; i++)
      assert.ok(files[i - 1]!.retainedSize >= files[i]!.retainedSize, `${files[i - 1]!.file} before ${files[i]!.file}`);
    const page = sourceFilePage(summary, '', 'count', true, 0, 3);
    assert.equal(page.total, files.length);
    assert.deepEqual(
      page.items.map((r) => r.count),
      files
        .slice(0, -1)
        .map((f) => f.count)
        .sort((a, b) => b - a)
        .slice(0, 3),
    );
    for (const sort of ['retainedSize', 'name'] as const)
      for (const descending of [true, false])
        assert.equal(sourceFilePage(summary, '', sort, descending, 0, 1000).items.at(-1)!.file, NO_SOURCE);
  });

  it('filters files by their name or their classes, and a file page by class name', () => {
    const page = sourceFilePage(summary, 'session', 'retainedSize', true, 0, 100);
    assert.deepEqual(
      page.items.map((f) => f.file),
      summary.groups.filter((g) => g.classes.some((c) => /session/i.test(c.name))).map((g) => g.file),
    );
    const app = page.items.find((f) => f.file.endsWith('leak-app.cjs'))!;
    assert.equal(app.named, true);
    const classes = sourceFileClassPage(summary, app.index, 'session', 'retainedSize', true, 0, 100);
    assert.deepEqual(
      classes.items.map((c) => c.name),
      ['Session'],
    );
    const all = sourceFileClassPage(summary, app.index, 'leak-app', 'retainedSize', true, 0, 100);
    assert.equal(all.total, summary.groups[app.index]!.classes.length, 'a file name match lists all its classes');
    assert.equal(sourceFilePage(summary, '(no source)', 'name', false, 0, 5).items[0]!.named, false);
  });

  it("lists a file's instances of a class, and follows a Summary filter", () => {
    const filters = new FilteredSummaries(model);
    const app = summary.groups.findIndex((g) => g.file.endsWith('leak-app.cjs'));
    const session = summary.groups[app]!.classes.find((c) => c.name === 'Session')!;
    const page = filters.sourceFileInstances(undefined, app, session.key, { limit: 500 });
    assert.equal(page.total, 200);
    assert.ok(page.items.every((n) => n.className === 'Session' && n.hasSource));
    const closures = filters.sourceFileInstances(undefined, app, ',Function', { limit: 500 }).items;
    assert.ok(closures.length >= 1);
    for (const c of closures) assert.ok(fileOfNode[model.ordinalOf(c.id)]!.endsWith('leak-app.cjs'));

    const view = 'retained-by-contexts' as const;
    const byFile = filters.sourceFiles(view);
    const rows = filters.classes(view);
    assert.equal(
      byFile.groups.reduce((a, g) => a + g.count, 0),
      rows.reduce((a, r) => a + r.count, 0),
    );
    assert.ok(byFile.groups.length < summary.groups.length, 'a filter leaves fewer files');
  });

  it('marks Summary rows that have a script location, and reads the constructor location from a class key', () => {
    const session = model.classes().find((c) => c.name === 'Session')!;
    assert.equal(session.hasSource, true);
    assert.equal(model.classes().find((c) => c.name === '(string)')!.hasSource, false);
    const loc = classKeyLocation(session.key)!;
    const instance = model.classInstances(session.key, { limit: 1 }).items[0]!;
    assert.equal(instance.hasSource, true);
    const { location } = model.nodeDetails(instance.id)!;
    assert.deepEqual(loc, location, 'the class key carries its instances’ constructor location');
    assert.equal(model.scripts.classLocation(session.key)!.scriptName, fileOfNode[model.ordinalOf(instance.id)]);
    assert.equal(classKeyLocation(',Session'), null);
    assert.equal(classHasSource('object,(system)'), false);
    // A name that starts with digits does not make a location: the key of a class without one starts with a comma.
    assert.equal(classHasSource(',1,2,3,Evil'), false);
  });
});
