// E2E step for growth over many snapshots (issue 13): three snapshots of one process, taken by the built CLI in one
// inspector session (--snapshot-at), compared with Memory: Compare Heap Snapshots. The viewer of the latest shows
// the comparison with the one before and the objects that grew in every step; a row's @id shows its retainers.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { root, runBuiltCli } from './codeServer.mjs';
import { runCommand, screenshot } from './workbench.mjs';

/** Three snapshots of test/fixtures/programs/registry-grows.js, 1.5 s apart, in <workspace>/growth-snapshots. */
async function takeSeries(workspace) {
  const dir = path.join(workspace, 'growth-snapshots');
  mkdirSync(dir, { recursive: true });
  await runBuiltCli([
    'run',
    '--duration',
    '6',
    '--snapshot-at',
    '1,2.5,4',
    '--snapshot-dir',
    dir,
    '--',
    process.execPath,
    path.join(root, 'test', 'fixtures', 'programs', 'registry-grows.js'),
  ]);
  const files = readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot'));
  assert.equal(files.length, 3, `snapshots: ${files.join(', ')}`);
}

/** The viewer frame that shows a growth table (other snapshot viewers stay open behind it). */
async function growthFrame(page, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      try {
        if ((await frame.title()) === 'Heap Snapshot' && (await frame.$('#growth-view .growth-summary'))) return frame;
      } catch {
        // frame detached or not ready
      }
    }
    await page.waitForTimeout(250);
  }
  // What the viewers showed instead (a CI run once timed out here and passed on the rerun): a screenshot and their text.
  await screenshot(page, '08b-growth-timeout').catch(() => undefined);
  const seen = [];
  for (const frame of page.frames()) {
    try {
      if ((await frame.title()) !== 'Heap Snapshot') continue;
      seen.push((await frame.locator('body').innerText()).replace(/\s+/g, ' ').slice(0, 400));
    } catch {
      // frame detached
    }
  }
  throw new Error(`no snapshot viewer showed a growth table within ${timeoutMs} ms; viewers: ${JSON.stringify(seen)}`);
}

export async function checkSnapshotGrowth(page, workspace) {
  await takeSeries(workspace);
  await runCommand(page, 'Memory E2E: Compare Snapshot Series');
  const frame = await growthFrame(page, 90_000);
  // The comparison with the snapshot before it: Leaky objects were added.
  await frame.waitForSelector('#diff-table tr.diff-row', { timeout: 30_000 });
  assert.ok(
    (await frame.locator('#diff-table tr.diff-row', { hasText: 'Leaky' }).count()) >= 1,
    'the comparison lists Leaky',
  );
  const rows = await frame.$$eval('#growth-table tr.growth-row', (trs) =>
    trs.map((r) => [...r.children].map((c) => c.textContent)),
  );
  const registry = rows.find((r) => /registry/.test(r[0]) && r[1] === 'Array');
  assert.ok(registry, `growth rows: ${JSON.stringify(rows.slice(0, 5))}`);
  const sizes = registry[2].split(' → ').map((s) => Number(s.replace(/[^\d]/g, '')));
  assert.equal(sizes.length, 3);
  assert.ok(sizes[0] < sizes[1] && sizes[1] < sizes[2], `entries per snapshot: ${registry[2]}`);
  assert.equal(await frame.locator('#growth-view .diff-warning').count(), 0, 'one session: no warning');
  await frame.locator('#growth-view tr.growth-row', { hasText: 'registry' }).first().scrollIntoViewIfNeeded();
  await screenshot(page, '08b-snapshot-growth');
  // Its @id shows the array's retainers in the Summary.
  await frame.locator('#growth-view tr.growth-row', { hasText: 'registry' }).first().locator('a.growth-id').click();
  await frame.waitForSelector('#retainer-path li', { timeout: 15_000 });
  assert.ok((await frame.locator('#retainer-path li').count()) >= 1);
}
