// E2E step for "source one click away" (issue 13): the Summary grouped by source file, with the TypeScript fixture's
// compiled file expanded to its classes and closures, and one-click source links on a class row and on a closure's
// row that open their lines in leakyCache.ts. Runs on the snapshot treeViewSteps.mjs opened (after it).
import assert from 'node:assert/strict';
import { runCommand, screenshot, webviewFrame } from './workbench.mjs';

/** Waits for the editor to show `file` with the cursor on `line`. */
async function editorAt(page, file, line) {
  await page.locator('.tab.active', { hasText: file }).waitFor({ timeout: 20_000 });
  await page
    .locator('.statusbar-item', { hasText: new RegExp(`Ln ${line}, Col \\d+`) })
    .first()
    .waitFor({ timeout: 10_000 });
}

export async function checkSummaryBySourceFile(page) {
  await page.keyboard.press('Escape');
  await page.locator('.tabs-container .tab', { hasText: 'sessions.heapsnapshot' }).first().click();
  const frame = await webviewFrame(page, 'Heap Snapshot', 30_000);
  await frame.locator('vscode-tab-header', { hasText: 'Summary' }).first().click();
  await frame.fill('#class-filter', '');

  // One click from a class row: SessionRecord's constructor line.
  await frame.waitForFunction(
    () => [...document.querySelectorAll('tr.class-row')].some((r) => r.textContent.startsWith('▸SessionRecord')),
    null,
    { timeout: 15_000 },
  );
  const classLinks = await frame.$$eval('tr.class-row', (rows) =>
    rows.map((r) => [r.querySelector('td.name').childNodes[1]?.textContent, !!r.querySelector('a.source-link')]),
  );
  const linked = new Map(classLinks);
  assert.equal(linked.get('SessionRecord'), true, 'a class with a constructor line has a link');
  assert.equal(linked.get('(string)'), false, 'strings have no source: no link');
  await frame.locator('tr.class-row', { hasText: 'SessionRecord' }).first().locator('a.source-link').click();
  await editorAt(page, 'leakyCache.ts', 13);

  // Group by source file: the program's compiled file first, (no source) last. The viewer gets the whole window.
  await page.locator('.tabs-container .tab', { hasText: 'sessions.heapsnapshot' }).first().click();
  await runCommand(page, 'View: Close Editors in Other Groups').catch(() => undefined);
  await runCommand(page, 'View: Close Primary Side Bar').catch(() => page.keyboard.press('Escape'));
  await frame.selectOption('#summary-group-by', 'file');
  await frame.waitForFunction(
    () =>
      /^\d+ files$/.test(document.getElementById('class-count')?.textContent ?? '') &&
      document.querySelectorAll('tr.file-row').length >= 3,
    null,
    { timeout: 30_000 },
  );
  assert.equal(await frame.locator('th[data-sort="name"]').innerText(), 'Source file / constructor');
  const files = await frame.$$eval('tr.file-row td.name', (cells) => cells.map((c) => c.textContent));
  assert.match(files[0], /^▸leakyCache\.js .*ts-source\/ ×\d+ · 3 classes$/, `first file: ${files[0]}`);
  assert.match(files.at(-1), /^▸\(no source\) ×\d+/, `last: ${files.at(-1)}`);
  const program = frame.locator('tr.file-row', { hasText: 'leakyCache.js' }).first();
  assert.match(await program.locator('td.retained').innerText(), /^\d+(\.\d+)? (kB|MB)$/);
  assert.equal(await program.locator('td.count').innerText(), '2,007');
  await program.locator('.twisty').click();
  const nested = frame.locator('tr.class-row[aria-level="2"]');
  await frame.waitForFunction(() => document.querySelectorAll('tr.class-row[aria-level="2"]').length === 3, null, {
    timeout: 15_000,
  });
  const names = await nested.evaluateAll((rows) =>
    rows.map((r) => r.querySelector('td.name').childNodes[1]?.textContent),
  );
  assert.deepEqual(names, ['SessionCache', 'SessionRecord', 'Function']);
  const closures = frame.locator('tr.class-row[aria-level="2"]', { hasText: 'Function' });
  assert.equal(await closures.locator('a.source-link').count(), 0, 'closures have one line each, not one per class');
  await closures.locator('.twisty').click();
  const add = frame.locator('tr.instance-row[aria-level="3"]', { hasText: 'Function "add"' });
  await add.waitFor({ timeout: 15_000 });
  assert.equal(await frame.locator('tr.instance-row[aria-level="3"]').count(), 6);
  await page.waitForTimeout(300);
  await screenshot(page, '18-summary-by-source-file');

  // One click from a closure's row: the add method's line in the TypeScript source.
  await add.locator('a.source-link').click();
  await editorAt(page, 'leakyCache.ts', 23);
  const line = await page.locator('.monaco-editor .view-line', { hasText: 'add(record: SessionRecord)' }).count();
  assert.ok(line >= 1, 'the add method is visible');
  await page.waitForTimeout(500);
  await screenshot(page, '19-source-from-summary-row');

  await frame.selectOption('#summary-group-by', 'class');
}
