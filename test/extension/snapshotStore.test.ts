import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  ensureSnapshotDir,
  pruneSnapshots,
  restrictToOwner,
  snapshotPath,
} from '../../src/extension/snapshots/snapshotStore';

describe('snapshot store', () => {
  it('names snapshots safely inside the folder', () => {
    const p = snapshotPath('/tmp/snaps', '../x y', 0);
    assert.equal(p, path.join('/tmp/snaps', 'memmon-x-y-1970-01-01T00-00-00-000Z.heapsnapshot'));
  });

  it('keeps the newest N of its own snapshots and never touches other files', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'snaps-'));
    await ensureSnapshotDir(dir);
    for (let i = 0; i < 5; i++) {
      const f = path.join(dir, `memmon-app-${i}.heapsnapshot`);
      writeFileSync(f, '{}');
      utimesSync(f, i + 1, i + 1);
    }
    writeFileSync(path.join(dir, 'user.heapsnapshot'), '{}');
    writeFileSync(path.join(dir, 'notes.txt'), 'x');
    const deleted = await pruneSnapshots(dir, 2);
    assert.equal(deleted.length, 3);
    assert.deepEqual(readdirSync(dir).sort(), [
      'memmon-app-3.heapsnapshot',
      'memmon-app-4.heapsnapshot',
      'notes.txt',
      'user.heapsnapshot',
    ]);
  });

  it('makes snapshots readable by the owner only', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'snaps-'));
    const f = path.join(dir, 'memmon-a.heapsnapshot');
    writeFileSync(f, '{}', { mode: 0o644 });
    await restrictToOwner(f);
    assert.equal(statSync(f).mode & 0o777, 0o600);
  });
});
