// The Node.js retention filters (issue 13, "What DevTools does not have") through `memmon analyze --json --filter`, on
// a snapshot written by a real Node.js program: retention-app.cjs keeps one payload class alive by each mechanism
// (an EventEmitter listener, an interval, require.cache, a pending promise's reaction, an AsyncLocalStorage store).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { memmonInProcess } from '../helpers/cliInProcess';
import { FIXTURES } from './fixtures';

const PAYLOADS = ['AlsPayload', 'ListenerPayload', 'ModulePayload', 'PromisePayload', 'TimerPayload'];
/** Each payload's `data`: an array of 64 objects `{ i }` (at least two pointers each). */
const BLOB_OBJECTS = 64;
const MIN_BLOB_BYTES = BLOB_OBJECTS * 16;

interface ClassRow {
  name: string;
  count: number;
  selfSize: number;
  retainedSize: number;
}

/** The fixture writes its own snapshot (v8.writeHeapSnapshot) once every mechanism holds its payload, then exits. */
const retentionSnapshot = (() => {
  let file: string | undefined;
  return () => {
    if (!file) {
      const dir = mkdtempSync(path.join(tmpdir(), 'memmon-retention-'));
      execFileSync(process.execPath, [path.join(FIXTURES, 'retention-app.cjs'), dir], { timeout: 60_000 });
      file = path.join(dir, 'retention.heapsnapshot');
    }
    return file;
  };
})();

async function analyze(...args: string[]): Promise<{ filter?: string; classes: ClassRow[] }> {
  const { code, stdout, stderr } = await memmonInProcess('analyze', retentionSnapshot(), '--json', ...args);
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout);
}

const payloadsIn = (classes: ClassRow[]) => classes.filter((c) => PAYLOADS.includes(c.name)).map((c) => c.name);

/** One instance of the payload class, and its row's retained size includes the payload's data. */
function assertPayloadRow(classes: ClassRow[], name: string): void {
  const row = classes.find((c) => c.name === name)!;
  assert.equal(row.count, 1, name);
  assert.ok(row.retainedSize >= row.selfSize + MIN_BLOB_BYTES, `${name}: ${JSON.stringify(row)}`);
}

describe('Node.js retention filters on a real program (retention-app.cjs)', () => {
  it('without a filter every payload is alive, once, retaining its data', async () => {
    // The control for the absences below: a payload missing from a filter is missing because of the filter.
    const { classes } = await analyze('--top', '0');
    assert.deepEqual(payloadsIn(classes).sort(), PAYLOADS);
    for (const name of PAYLOADS) assertPayloadRow(classes, name);
  });

  // Each filter's payloads: its own, plus the ones that depend on its mechanism in the fixture as well.
  const expected: [filter: string, payloads: string[], why: string][] = [
    ['retained-by-module-cache', ['ModulePayload'], 'only module.exports of a require.cache entry holds it'],
    ['retained-by-timers', ['AlsPayload', 'TimerPayload'], 'the store is carried only by a Timeout'],
    [
      'retained-by-event-listeners',
      ['ListenerPayload', 'PromisePayload'],
      "a process listener is the promise's resolve",
    ],
    ['retained-by-promises', ['PromisePayload'], "only the pending promise's reaction holds it"],
    ['retained-by-async-local-storage', ['AlsPayload'], "only the Timeout's store slot holds it"],
  ];
  // The cross-catches are right, not leaks of the filters:
  // - retained-by-timers also returns AlsPayload: an AsyncLocalStorage store is kept by the async resources created
  //   inside als.run(), here only the unref'd setTimeout's Timeout (resource[kResourceStore] in Node ≤ 22, its
  //   AsyncContextFrame in newer versions). Cut the edges into Timeout objects and the store becomes unreachable.
  // - retained-by-event-listeners also returns PromisePayload: the pending promise is reachable only through its
  //   `resolve` function, which is a listener of process' 'fixture-never' event. Cut process._events and the promise,
  //   its reaction and the payload the reaction's callback closes over become unreachable.
  for (const [filter, payloads, why] of expected) {
    it(`${filter}: ${payloads.join(' and ')}, no other payload (${why})`, async () => {
      const doc = await analyze('--filter', filter);
      assert.equal(doc.filter, filter);
      assert.deepEqual(payloadsIn(doc.classes).sort(), payloads);
      for (const name of payloads) assertPayloadRow(doc.classes, name);
    });
  }
});
