// E2E step for the snapshot viewer's views DevTools lacks (issue 13): the dominator tree as an icicle with zoom, the
// retainer tree with an ignored retainer, and "Go to source" opening the TypeScript line of a class through its
// source map. The snapshot is taken of a real program compiled from TypeScript (test/fixtures/programs/ts-source).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { root } from './codeServer.mjs';
import { pickQuickItem, runCommand, screenshot, webviewFrame } from './workbench.mjs';

const PROGRAM = path.join(root, 'test', 'fixtures', 'programs', 'ts-source');

/** Writes sessions.heapsnapshot of the TypeScript fixture into the workspace and opens it in the viewer. */
async function openTypeScriptSnapshot(page, workspace) {
  const dir = path.join(workspace, 'ts-source');
  mkdirSync(dir, { recursive: true });
  for (const f of ['leakyCache.ts', 'leakyCache.js', 'leakyCache.js.map'])
    copyFileSync(path.join(PROGRAM, f), path.join(dir, f));
  execFileSync(process.execPath, [path.join(dir, 'leakyCache.js'), path.join(dir, 'sessions.heapsnapshot')]);
  await runCommand(page, 'View: Close All Editors');
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill('sessions.heapsnapshot');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'sessions.heapsnapshot' }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: 'sessions.heapsnapshot' }).waitFor({ timeout: 20_000 });
  // VS Code's own heap snapshot viewer is a default editor for the file too: choose ours explicitly.
  await runCommand(page, 'View: Reopen Editor With…').catch(() => runCommand(page, 'View: Reopen Editor With...'));
  await pickQuickItem(page, 'Heap Snapshot Viewer (Memory Monitor)');
  const frame = await webviewFrame(page, 'Heap Snapshot', 60_000);
  await frame.waitForFunction(() => document.querySelector('h1')?.textContent === 'sessions.heapsnapshot', null, {
    timeout: 60_000,
  });
  await frame.waitForSelector('tr.class-row', { timeout: 60_000 });
  return frame;
}

/** The icicle, zoomed into SessionCache; the retainer tree of a SessionRecord with one retainer ignored; its source. */
export async function checkTreeViews(page, workspace) {
  const frame = await openTypeScriptSnapshot(page, workspace);

  // Dominator tree: labelled, coloured cells; a click zooms in and the breadcrumbs grow.
  await frame.locator('vscode-tab-header', { hasText: 'Dominator tree' }).click();
  await frame.waitForFunction(() => document.querySelectorAll('#icicle .icicle-cell').length >= 10, null, {
    timeout: 30_000,
  });
  const categories = await frame.$$eval('#icicle .icicle-cell', (cells) => [
    ...new Set(cells.map((c) => [...c.classList].find((k) => k.startsWith('cat-')))),
  ]);
  assert.ok(categories.length >= 3, `colours by category: ${categories.join(', ')}`);
  const cache = frame.locator('#icicle .icicle-cell[title^="SessionCache"]').first();
  await cache.waitFor({ timeout: 30_000 });
  await cache.click();
  await frame.waitForFunction(
    () => [...document.querySelectorAll('#dom-crumbs a')].some((a) => a.textContent.startsWith('SessionCache')),
    null,
    { timeout: 15_000 },
  );
  await frame.waitForFunction(() => document.querySelectorAll('#icicle .icicle-cell').length >= 3, null, {
    timeout: 15_000,
  });
  const top = await frame.locator('#icicle .icicle-cell.focus').innerText();
  assert.match(top, /^SessionCache \d+(\.\d+)? (kB|MB)$/, `zoomed-in cell: ${top}`);
  assert.ok((await frame.locator('#dom-children tr.dom-row').count()) >= 1, 'children table of SessionCache');
  await page.waitForTimeout(400);
  await screenshot(page, '15-dominator-icicle');

  // Retainer tree of one SessionRecord: expand a retainer's retainers, then ignore the nearest retainer.
  await frame.locator('vscode-tab-header', { hasText: 'Summary' }).click();
  await frame.fill('#class-filter', 'SessionRecord');
  // Wait until the filtered list has replaced the full one (a reload after the click would drop the expansion).
  await frame.waitForFunction(
    () => {
      const rows = [...document.querySelectorAll('tr.class-row')];
      return rows.length > 0 && rows.every((r) => r.textContent.includes('SessionRecord'));
    },
    null,
    { timeout: 15_000 },
  );
  const classRow = frame.locator('tr.class-row', { hasText: 'SessionRecord' }).first();
  await frame.waitForTimeout(400);
  await classRow.locator('.twisty').click();
  const instance = frame.locator('tr.instance-row').first();
  await instance.waitFor({ timeout: 15_000 });
  await instance.click();
  const firstRetainer = frame.locator('#retainer-tree tr.retainer-row').first();
  await firstRetainer.waitFor({ timeout: 15_000 });
  await firstRetainer.locator('.twisty').click();
  await frame.locator('#retainer-tree tr.retainer-row[aria-level="2"]').first().waitFor({ timeout: 15_000 });
  const ignoredId = await firstRetainer.getAttribute('data-id');
  await firstRetainer.locator('a.ignore-toggle').click();
  const ignoredRow = frame.locator(`#retainer-tree tr.retainer-row.ignored[data-id="${ignoredId}"]`);
  await ignoredRow.waitFor({ timeout: 20_000 });
  assert.equal(await ignoredRow.locator('a.ignore-toggle').innerText(), 'restore');
  assert.match(
    await frame.locator('.ignored-bar').first().innerText(),
    new RegExp(`Ignoring 1 retainer \\(@${ignoredId}\\)`),
  );
  // The ignored retainer sorts last: its distance is now "unreachable".
  assert.equal(await ignoredRow.locator('td.distance').innerText(), '—');
  // The ignored retainer still expands to its own retainers (the Map that holds the array).
  await ignoredRow.locator('.twisty').click();
  await frame.locator('#retainer-tree tr.retainer-row[aria-level="2"]').first().waitFor({ timeout: 15_000 });
  await frame.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForTimeout(300);
  await screenshot(page, '16-retainer-tree-ignored');

  // Go to source: the class's constructor line in leakyCache.ts (through leakyCache.js.map).
  await frame.locator('#details vscode-button.go-to-source').click();
  await page.locator('.tab.active', { hasText: 'leakyCache.ts' }).waitFor({ timeout: 20_000 });
  await page
    .locator('.statusbar-item', { hasText: /Ln 13, Col \d+/ })
    .first()
    .waitFor({ timeout: 10_000 });
  const line = await page.locator('.monaco-editor .view-line', { hasText: 'constructor(' }).count();
  assert.ok(line >= 1, 'the constructor line is visible');
  await page.waitForTimeout(500);
  await screenshot(page, '17-source-from-snapshot');

  // Restore the retainer for whoever looks next.
  await frame
    .locator('#restore-all')
    .click()
    .catch(() => undefined);
}
