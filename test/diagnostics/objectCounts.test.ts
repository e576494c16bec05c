import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { InspectorConnection } from '../../src/core/inspector/connection';
import { ObjectCounter } from '../../src/core/objects/objectCounter';
import { jsonLines, runCli } from '../helpers/cli';
import { Debuggee, FIXTURES, startDebuggee } from '../helpers/debuggee';
import path from 'node:path';

let debuggee: Debuggee;
let conn: InspectorConnection;
const globalKeys = async () =>
  (await conn.send('Runtime.evaluate', { expression: 'Object.keys(globalThis).sort().join()', returnByValue: true }))
    .result.value as string;

before(async () => {
  debuggee = await startDebuggee('watched-classes.js', ['25', '7']);
  conn = await InspectorConnection.connect(debuggee.wsUrl);
  while (!debuggee.stdout().includes('ready')) await new Promise((r) => setTimeout(r, 20));
});
after(async () => {
  await conn?.close();
  await debuggee?.kill();
});

test('counts equal the instances the fixture created, whether the class is private, exported or global; then drop to 0 once released', async () => {
  const keysBefore = await globalKeys();
  const counter = new ObjectCounter(conn, ['Session', 'Connection', 'Widget', 'AdminSession', 'NoSuchClass'], {
    pid: debuggee.pid,
  });
  const first = await counter.count();
  // 24 Session + 1 AdminSession (a subclass is a Session too); AdminSession.prototype itself is not counted.
  assert.deepEqual(first.counts, { Session: 25, Connection: 7, Widget: 2, AdminSession: 1 });
  assert.equal(first.pid, debuggee.pid);
  assert.match(first.unresolved?.NoSuchClass ?? '', /no class named NoSuchClass/);
  const where = Object.fromEntries(counter.resolutions.map((r) => [r.name, r.foundIn[0]]));
  assert.equal(where.Session, 'heap');
  assert.equal(where.Widget, 'global');
  assert.match(where.Connection!, /watched-classes\.js$/);

  // A second count must not see anything the first one kept alive: every array handle was released.
  assert.equal(
    (await conn.send('Runtime.evaluate', { expression: 'releaseSessions()', returnByValue: true })).result.value,
    true,
  );
  const second = await counter.count();
  assert.deepEqual(second.counts, { Session: 0, Connection: 0, Widget: 2, AdminSession: 0 });
  await counter.dispose();
  assert.equal(await globalKeys(), keysBefore, 'no globals added');
  await assert.rejects(counter.count(), /disposed/);
});

test('a class name that is not an identifier is refused before anything runs in the debuggee', () => {
  assert.throws(() => new ObjectCounter(conn, ['x; process.exit()']), /invalid class name/);
});

test("memmon run --watch-class prints objects lines with the contract shape, counts the fixture's instances and says which names are unknown", async () => {
  const r = await runCli(
    [
      'run',
      '--json',
      '--watch-class',
      'Session',
      '--watch-class',
      'Connection',
      '--watch-class',
      'Ghost',
      '--objects-interval',
      '1',
      '--duration',
      '7',
      '--',
      process.execPath,
      path.join(FIXTURES, 'watched-classes.js'),
      '12',
      '3',
    ],
    { timeoutMs: 30_000 },
  );
  assert.equal(r.code, 0, r.stderr);
  const lines = jsonLines(r.stdout);
  const objects = lines.filter((l) => l.type === 'objects');
  assert.ok(objects.length >= 2, `${objects.length} objects lines`);
  const pid = lines.find((l) => l.type === 'sample').pid;
  for (const o of objects) {
    assert.equal(typeof o.t, 'number');
    assert.equal(o.pid, pid);
    assert.deepEqual(o.counts, { Session: 12, Connection: 3 });
  }
  assert.match(r.stderr, /--watch-class Ghost .*no class named Ghost/);
  assert.deepEqual(lines.at(-1).objects[0].counts, { Session: 12, Connection: 3 });
});

test('--watch-class with a bad name is a usage error (exit 2)', async () => {
  const r = await runCli(['run', '--watch-class', '1abc', '--', process.execPath, '-e', '0'], { timeoutMs: 10_000 });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--watch-class expects a class name/);
});
