// End-to-end: the packaged extension in a real VS Code (code-server 4.100.3) driven through Chromium.
// Steps follow issue 4: F5 → status bar → Monitor panel → diagnostic GC → heap snapshot viewer → stop.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runBuiltCli, startCodeServer } from './codeServer.mjs';
import {
  checkDiagnosticGcWithTestCycle,
  memoryStatusItem,
  openWorkbench,
  paintedPixels,
  pickQuickItem,
  runCommand,
  runCommandAndPick,
  startDebugging,
  screenshot,
  webviewFrame,
} from './workbench.mjs';
import { checkLeakFlagsCleared, checkLeakFlagged } from './leakSteps.mjs';
import { checkToolAnswers, invokeLanguageModelTools } from './lmToolSteps.mjs';
import { checkWalkthrough } from './walkthroughStep.mjs';
import { checkSnapshotViews } from './snapshotViewsSteps.mjs';
import { checkTreeViews } from './treeViewSteps.mjs';
import { checkSummaryBySourceFile } from './sourceFileSteps.mjs';
import { checkSnapshotGrowth } from './growthStep.mjs';

let server;
let browser;
let page;

/** Reads the status bar item's text (codicons render as spans, so take the accessible label and text). */
async function statusText() {
  return (await memoryStatusItem(page).first().innerText()).trim();
}

/** Types a class filter and waits until the table shows only matching classes (typing may render twice). */
async function filterClasses(frame, text) {
  await frame.fill('#class-filter', text);
  try {
    await frame.waitForFunction(
      (t) => {
        const rows = [...document.querySelectorAll('tr.class-row')];
        return rows.length > 0 && rows.every((r) => r.textContent.toLowerCase().includes(t.toLowerCase()));
      },
      text,
      { timeout: 15_000 },
    );
  } catch (err) {
    // Say what the viewer showed instead.
    const shown = await frame.evaluate(() => ({
      filter: document.querySelector('#class-filter')?.value,
      count: document.querySelector('#class-count')?.textContent,
      rows: [...document.querySelectorAll('tr.class-row')].slice(0, 5).map((r) => r.textContent),
      error: document.querySelector('.error, #error')?.textContent,
    }));
    await screenshot(page, `filter-failed-${text}`);
    throw new Error(`filtering classes by ${text}: ${err.message}; the viewer shows ${JSON.stringify(shown)}`);
  }
  await frame.waitForTimeout(300);
}

/** Clicks a tree row's twisty until `child` shows (the table may re-render once while the filter settles). */
async function expand(row, child) {
  for (let attempt = 0; attempt < 3; attempt++) {
    await row.locator('.twisty').first().click();
    if (
      await child.waitFor({ timeout: 5000 }).then(
        () => true,
        () => false,
      )
    )
      return;
  }
  await child.waitFor({ timeout: 1000 });
}

describe('Memory Monitor in VS Code', { timeout: 420_000 }, () => {
  before(async () => {
    server = await startCodeServer();
    browser = await openWorkbench(server.url);
    page = browser.page;
  });

  after(async () => {
    if (page) await screenshot(page, '99-final').catch(() => undefined);
    await browser?.context.close().catch(() => undefined);
    await server?.stop();
  });

  it('1. F5 starts debugging and the status bar shows changing MB values', async () => {
    await startDebugging(page);
    const item = memoryStatusItem(page).first();
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForFunction(
      () =>
        /\d+(\.\d+)? [MG]B · RSS \d+(\.\d+)? [MG]B/.test(
          document.querySelector('.statusbar-item[aria-label*="Memory of"]')?.textContent ?? '',
        ),
      null,
      { timeout: 15_000 },
    );
    const first = await statusText();
    assert.match(first, /^\d+(\.\d+)? [MG]B · RSS \d+(\.\d+)? [MG]B [↗↘→]$/, `status text: ${first}`);
    const label = await item.getAttribute('aria-label');
    assert.match(label ?? '', /heap used \d+(\.\d+)? [MG]B, resident set size/);
    // The leaky fixture grows by about 0.4 MB/s: the figures change within a few seconds.
    await page.waitForFunction(
      (before) =>
        (document.querySelector('.statusbar-item[aria-label*="Memory of"]')?.textContent ?? '').trim() !== before,
      first,
      { timeout: 15_000 },
    );
    const later = await statusText();
    assert.notEqual(later, first);
    await screenshot(page, '01-status-bar');
  });

  it('2. clicking the status bar item opens the Monitor panel with a live chart', async () => {
    await memoryStatusItem(page).first().click();
    const frame = await webviewFrame(page, 'Memory Monitor');
    await frame.waitForSelector('#app[data-sample-count]', { timeout: 15_000 });
    const count = async () => Number(await frame.getAttribute('#app', 'data-sample-count'));
    const c1 = await count();
    assert.ok(c1 >= 1, `samples shown: ${c1}`);
    await frame.waitForFunction((n) => Number(document.getElementById('app').dataset.sampleCount) > n + 1, c1, {
      timeout: 15_000,
    });
    const c2 = await count();
    assert.ok(c2 > c1, `sample count grows: ${c1} → ${c2}`);
    // The canvas is drawn: a good share of its pixels are not transparent.
    const painted = await paintedPixels(frame, 'timeline');
    assert.ok(painted.w > 200 && painted.h > 100, `canvas size ${painted.w}×${painted.h}`);
    assert.ok(painted.n > 1000, `painted pixels: ${painted.n}`);
    const heapText = await frame.textContent('#heap-used');
    assert.match(heapText ?? '', /\d+(\.\d+)? [MGk]B/);
    // One more sample drawn before the screenshot, so the chart shows the latest figures.
    await frame.waitForFunction((n) => Number(document.getElementById('app').dataset.sampleCount) > n, c2, {
      timeout: 15_000,
    });
    await screenshot(page, '02-monitor-panel');
  });

  it('3. Memory: Run Diagnostic GC with test cycle reports freed bytes and a verified collector', async () => {
    await checkDiagnosticGcWithTestCycle(page, '03-diagnostic-gc');
  });

  it('3b. Detailed diagnostic GC shows the per-space table; watched classes are counted over time', async () => {
    await runCommandAndPick(page, 'Memory: Run Diagnostic GC', 'Detailed (per heap space)');
    const toast = page.locator('.notification-toast', { hasText: 'heap spaces' }).first();
    await toast.waitFor({ timeout: 30_000 });
    const frame = await webviewFrame(page, 'Memory Monitor');
    await frame.waitForSelector('#spaces-table tbody tr', { timeout: 15_000 });
    const spaces = await frame.$$eval('#spaces-table tbody tr th, #spaces-table tbody tr td:first-child', (cells) =>
      cells.map((c) => c.textContent),
    );
    assert.ok(spaces.includes('old_space') && spaces.includes('new_space'), `spaces: ${spaces.join(', ')}`);
    // The workspace watches LeakyOrderRecord (counted at each diagnostic GC and on demand): its count is shown, and
    // grows on the next count, as the fixture leaks.
    const counted = () =>
      frame.$$eval('#watched-body tr', (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
    await frame.waitForFunction(
      () => /^\d[\d,]*$/.test(document.querySelector('#watched-body tr td:nth-child(2)')?.textContent ?? ''),
      null,
      { timeout: 20_000 },
    );
    const first = (await counted()).find((r) => r[0] === 'LeakyOrderRecord');
    assert.ok(first && Number(first[1].replace(/,/g, '')) > 0, `watched row: ${first}`);
    await frame.locator('#count-objects').click();
    await frame.waitForFunction(
      (n) =>
        Number((document.querySelector('#watched-body tr td:nth-child(2)')?.textContent ?? '0').replace(/,/g, '')) > n,
      Number(first[1].replace(/,/g, '')),
      { timeout: 20_000 },
    );
    assert.ok((await frame.locator('#gc-body tr').count()) >= 2, 'GC effectiveness table lists both diagnostic GCs');
    await frame.locator('#gc-spaces').scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await screenshot(page, '07-detailed-gc-diagnostics');
    await frame.locator('#objects-chart').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await screenshot(page, '07b-watched-objects');
  });

  it('4. Memory: Take Heap Snapshot opens the viewer listing the fixture classes with retained sizes', async () => {
    await runCommand(page, 'Memory: Take Heap Snapshot');
    const frame = await webviewFrame(page, 'Heap Snapshot', 60_000);
    await frame.waitForSelector('tr.class-row', { timeout: 60_000 });
    await filterClasses(frame, 'LeakyOrderRecord');
    const row = frame.locator('tr.class-row', { hasText: 'LeakyOrderRecord' }).first();
    await row.waitFor({ timeout: 15_000 });
    const retained = await row.locator('td.retained').innerText();
    assert.match(retained, /\d+(\.\d+)? (kB|MB|GB)/, `retained size cell: ${retained}`);
    const count = Number((await row.locator('td.count').innerText()).replace(/[^\d]/g, ''));
    assert.ok(count > 10, `LeakyOrderRecord instances: ${count}`);
    // The tree expands class → instances → references; a property named like HTML shows as text, no <img> appears.
    await filterClasses(frame, 'hostileLabel');
    const shape = frame.locator('tr.class-row', { hasText: 'hostileLabel' }).first();
    await shape.waitFor({ timeout: 15_000 });
    const instance = frame.locator('tr.instance-row').first();
    await expand(shape, instance);
    const hostile = frame.locator('tr.edge-row', { hasText: '<img src=x onerror=alert(1)>' }).first();
    await expand(instance, hostile);
    assert.equal(await frame.locator('img').count(), 0);
    // Selecting an object shows its retainer path from the GC roots.
    await instance.click();
    await frame.waitForSelector('#retainer-path li', { timeout: 15_000 });
    assert.ok((await frame.locator('#retainer-path li').count()) >= 2);
    await screenshot(page, '04b-snapshot-tree-expanded');
    await frame.fill('#class-filter', '');
    await frame.waitForSelector('tr.class-row', { timeout: 15_000 });
    await filterClasses(frame, 'Leaky');
    await screenshot(page, '04-snapshot-viewer');
    // The dominator tree: an icicle of the largest dominators, which a click zooms into.
    await frame.locator('vscode-tab-header', { hasText: 'Dominator tree' }).click();
    await frame.waitForFunction(() => document.querySelectorAll('#icicle .icicle-cell').length >= 3, null, {
      timeout: 15_000,
    });
    await frame.locator('#icicle .icicle-cell:not(.focus):not([data-dominates="0"])').first().click();
    await frame.waitForFunction(() => document.querySelectorAll('#dom-crumbs a').length >= 2, null, {
      timeout: 15_000,
    });
    await screenshot(page, '04c-dominator-tree');
  });

  it('6. the leak is flagged on its allocating line, listed in the Leak Report and confirmed by Hunt Leak', async () => {
    await checkLeakFlagged(page);
  });

  it('9. the language-model tools answer vscode.lm.invokeTool about the leaking session; actions ask first', async () => {
    checkToolAnswers(await invokeLanguageModelTools(page, server.workspace));
  });

  // After the leak and tool steps, so that it does not change when they run (they read trends over time).
  it('9b. the snapshot viewer shows Statistics, a Summary filter, duplicated strings and global variables', async () => {
    await checkSnapshotViews(page);
  });

  it('5. stopping debugging removes the status bar item', async () => {
    await page
      .locator('.monaco-workbench')
      .click({ position: { x: 700, y: 400 } })
      .catch(() => undefined);
    await runCommand(page, 'Debug: Stop');
    await memoryStatusItem(page).first().waitFor({ state: 'detached', timeout: 20_000 });
    assert.equal(await memoryStatusItem(page).count(), 0);
    await screenshot(page, '05-stopped');
  });

  it('7. after the session ends the inline leak flags are cleared', async () => {
    await checkLeakFlagsCleared(page);
  });

  it('8. Memory: Compare Recordings… overlays two CLI recordings with the summary table', async () => {
    // Two short runs recorded by the built CLI: a flat baseline (A) and one that keeps allocating (B).
    const dirs = ['a', 'b'].map((n) => path.join(server.workspace, 'cli-recordings', n));
    const programs = [
      'setInterval(() => {}, 100)',
      'const keep = []; setInterval(() => keep.push(new Array(2e4).fill(keep.length)), 40)',
    ];
    await Promise.all(
      dirs.map((dir, i) => {
        mkdirSync(dir, { recursive: true });
        return runBuiltCli([
          'run',
          '--interval',
          '0.25',
          '--duration',
          '4',
          '--log-dir',
          dir,
          '--',
          process.execPath,
          '-e',
          programs[i],
        ]);
      }),
    );
    const [fileA, fileB] = dirs.map((d) => readdirSync(d).find((f) => f.endsWith('.jsonl')));
    assert.ok(fileA && fileB, 'both recordings written');
    await runCommand(page, 'Memory: Compare Recordings…');
    await pickQuickItem(page, fileA);
    // The second pick reuses the quick-input widget: wait until it shows the second step's title.
    await page.locator('.quick-input-widget', { hasText: '(2/2)' }).waitFor({ timeout: 10_000 });
    await pickQuickItem(page, fileB);
    const frame = await webviewFrame(page, 'Compare Recordings', 30_000);
    await frame.waitForSelector('#app[data-ready] #summary-table tbody tr', { timeout: 20_000 });
    const rows = await frame.$$eval('#summary-table tbody tr', (trs) =>
      trs.map((r) => [...r.children].map((c) => c.textContent)),
    );
    const peak = rows.find((r) => r[0] === 'Peak heap used');
    assert.ok(peak && /\d/.test(peak[1]) && /\d/.test(peak[2]), `peak row: ${peak}`);
    assert.ok(
      rows.some((r) => r[0] === 'Heap growth rate'),
      'growth rate row',
    );
    assert.ok(
      rows.some((r) => r[0] === 'GC freed (total)'),
      'GC freed row',
    );
    // B keeps about 16 MB more than A by its end: its peak heap alone is far beyond the 10 % tolerance.
    assert.match(
      await frame.textContent('#verdict'),
      /^⚠ B is worse than A beyond the 10 % tolerance \(.*peakHeap.*\)\.$/,
    );
    assert.match(peak[4], /^WORSE/, `peak row: ${peak}`);
    const painted = await paintedPixels(frame, 'overlay');
    assert.ok(painted.n > 1000, `overlay chart painted pixels: ${painted.n}`);
    // The Problems panel from the leak steps would cover the table.
    await runCommand(page, 'View: Hide Panel').catch(() => page.keyboard.press('Escape'));
    await page.waitForTimeout(300);
    await screenshot(page, '08-compare-recordings');
  });

  it('8b. Memory: Compare Heap Snapshots with three snapshots of one process shows what grew in every step', async () => {
    await checkSnapshotGrowth(page, server.workspace);
  });

  it('10. the walkthrough opens with its four steps, each with its command', async () => {
    await checkWalkthrough(page);
  });

  // Last: it opens another snapshot and closes all editors, which the steps above must not see.
  it('11. the dominator icicle zooms, a retainer is ignored, a click opens the TypeScript source line, and the Summary groups by source file with one-click source links', async () => {
    await checkTreeViews(page, server.workspace);
    await checkSummaryBySourceFile(page);
  });
});
