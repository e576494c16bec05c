// memmon analyze --filter / --since / --duplicate-strings and memmon diff across sessions, through the CLI entry.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { memmonInProcess } from '../helpers/cliInProcess';
import { expected, fixtureBytes, tempSnapshot } from './fixtures';

const memmon = memmonInProcess;

const [baseline, target, final, shapes] = ['leak-baseline', 'leak-target', 'leak-final', 'shapes'].map((f) =>
  tempSnapshot(fixtureBytes(f), `${f}.heapsnapshot`),
);

describe('memmon analyze --filter', () => {
  it('retained-by-contexts: all classes of DevTools aggregatesWithFilter, with statistics and the filter name', async () => {
    const { code, stdout, stderr } = await memmon('analyze', final!, '--json', '--filter', 'retained-by-contexts');
    assert.equal(code, 0, stderr);
    const doc = JSON.parse(stdout);
    assert.deepEqual(Object.keys(doc), ['nodeCount', 'edgeCount', 'totalSize', 'statistics', 'filter', 'classes']);
    assert.equal(doc.filter, 'retained-by-contexts');
    const want = expected('leak-final').filters.objectsRetainedByContexts;
    assert.equal(doc.classes.length, want.length);
    const byKey = new Map(want.map((w) => [w.key, w]));
    for (const c of doc.classes) {
      const w = byKey.get(c.key);
      assert.ok(w, c.key);
      assert.deepEqual([c.count, c.selfSize, c.retainedSize, c.distance], [w.count, w.self, w.retained, w.distance]);
    }
  });

  it('duplicated-strings and --duplicate-strings', async () => {
    const { code, stdout } = await memmon(
      'analyze',
      shapes!,
      '--json',
      '--filter',
      'duplicated-strings',
      '--duplicate-strings',
    );
    assert.equal(code, 0);
    const doc = JSON.parse(stdout);
    assert.deepEqual(
      doc.classes.map((c: { name: string }) => c.name),
      expected('shapes').filters.duplicatedStrings.map((c) => c.name),
    );
    const want = expected('shapes').duplicateStrings;
    assert.equal(doc.duplicateStrings.length, want.length);
    assert.deepEqual(Object.keys(doc.duplicateStrings[0]), [
      'value',
      'count',
      'totalSelfSize',
      'totalRetainedSize',
      'wastedBytes',
    ]);
    doc.duplicateStrings.forEach((d: { value: string; totalRetainedSize: number }, i: number) => {
      assert.equal(d.value, want[i]!.value);
      assert.equal(d.totalRetainedSize, want[i]!.totalRetainedSize);
    });
    const text = await memmon('analyze', shapes!, '--duplicate-strings', '--top', '5');
    assert.match(text.stdout, /Copies/);
    assert.match(text.stdout, /Typed arrays/);
  });

  it('allocated-between --since BASE: the leaked Sessions, no warning within one session', async () => {
    const { code, stdout, stderr } = await memmon(
      'analyze',
      final!,
      '--json',
      '--filter',
      'allocated-between',
      '--since',
      baseline!,
    );
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
    const doc = JSON.parse(stdout);
    assert.equal(doc.warning, undefined);
    const session = doc.classes.find((c: { name: string }) => c.name === 'Session');
    assert.equal(session.count, 200);
    const all = JSON.parse((await memmon('analyze', final!, '--json', '--top', '0')).stdout);
    assert.ok(doc.classes.length < all.classes.length);
  });

  it('allocated-between across processes warns on stderr and in the JSON', async () => {
    const { code, stdout, stderr } = await memmon('analyze', final!, '--json', '--since', shapes!);
    assert.equal(code, 0);
    assert.match(stderr, /warning: .*not come from the same heap-profiler session/);
    assert.match(JSON.parse(stdout).warning, /same heap-profiler session/);
  });

  it('usage errors exit 2 with one line', async () => {
    for (const argv of [
      ['--filter', 'nope'],
      ['--filter', 'allocated-between'],
      ['--filter', 'retained-by-console', '--since', baseline!],
    ]) {
      const r = await memmon('analyze', final!, ...argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, /^memmon analyze: .+\n/);
    }
  });
});

describe('memmon diff across sessions', () => {
  it('within one session: object-level deltas (Session +200), idsComparable', async () => {
    const doc = JSON.parse((await memmon('diff', baseline!, target!, '--json')).stdout);
    assert.equal(doc.idsComparable, true);
    const s = doc.classes.find((r: { name: string }) => r.name === 'Session');
    assert.deepEqual([s.addedCount, s.removedCount, s.countDelta], [200, 0, 200]);
  });

  it('different processes: warns and compares class counts (new − deleted = after − before in every class)', async () => {
    const { code, stdout, stderr } = await memmon('diff', shapes!, final!, '--json');
    assert.equal(code, 0);
    assert.match(stderr, /different heap-profiler sessions/);
    const doc = JSON.parse(stdout);
    assert.equal(doc.idsComparable, false);
    for (const r of doc.classes) assert.equal(r.addedCount - r.removedCount, r.countAfter - r.countBefore, r.key);
  });
});

describe('memmon analyze --group-by file', () => {
  type FileRow = {
    file: string;
    count: number;
    selfSize: number;
    retainedSize: number;
    classes: { name: string; count: number; selfSize: number; retainedSize: number }[];
  };
  const sums = (rows: { count: number; selfSize: number }[]) =>
    rows.reduce((a, r) => [a[0]! + r.count, a[1]! + r.selfSize], [0, 0]);

  it('adds byFile: every object in one file, largest retained first, (no source) last, classes inside', async () => {
    const { code, stdout, stderr } = await memmon('analyze', final!, '--json', '--group-by', 'file');
    assert.equal(code, 0, stderr);
    const doc = JSON.parse(stdout) as {
      classes: { name: string; count: number; selfSize: number }[];
      byFile: FileRow[];
    };
    assert.deepEqual(Object.keys(doc.byFile[0]!), ['file', 'count', 'selfSize', 'retainedSize', 'classes']);
    assert.deepEqual(Object.keys(doc.byFile[0]!.classes[0]!), ['name', 'count', 'selfSize', 'retainedSize']);
    // --json with --group-by lists every class and file: the two groupings cover the same objects.
    assert.deepEqual(sums(doc.byFile), sums(doc.classes));
    for (const f of doc.byFile) {
      assert.deepEqual(sums(f.classes), [f.count, f.selfSize], f.file);
      assert.ok(
        f.classes.every((c) => c.retainedSize <= f.retainedSize),
        f.file,
      );
    }
    assert.equal(doc.byFile.at(-1)!.file, '(no source)');
    const named = doc.byFile.slice(0, -1).map((f) => f.retainedSize);
    assert.deepEqual(
      named,
      [...named].sort((a, b) => b - a),
    );
    const app = doc.byFile.find((f) => f.file.endsWith('leak-app.cjs'));
    assert.ok(app, doc.byFile.map((f) => f.file).join(', '));
    const session = app.classes.find((c) => c.name === 'Session')!;
    assert.equal(session.count, 200);
    assert.equal(session.count, doc.classes.find((c) => c.name === 'Session')!.count);
  });

  it('follows --filter, prints a table without --json, and rejects an unknown grouping', async () => {
    const { stdout } = await memmon(
      'analyze',
      final!,
      '--json',
      '--filter',
      'retained-by-contexts',
      '--group-by',
      'file',
    );
    const doc = JSON.parse(stdout) as { classes: { count: number; selfSize: number }[]; byFile: FileRow[] };
    assert.deepEqual(sums(doc.byFile), sums(doc.classes));
    const text = await memmon('analyze', final!, '--group-by', 'file', '--top', '3');
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^Source file +Count +Self size +Retained$/m);
    assert.match(text.stdout, /… \d+ more files \(--top 0 shows all\)/);
    const bad = await memmon('analyze', final!, '--group-by', 'folder');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown --group-by "folder"; expected class or file/);
  });
});
