// End-to-end for issue 15's worker threads: js-debug gives each `worker_threads` Worker of a debugged Node.js program
// its own child session; Memory Monitor monitors it as its own session (own row and heap chart) and the process's
// status bar item shows the total heap of all threads, with the breakdown in its tooltip.
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { root, startCodeServer } from './codeServer.mjs';
import {
  closeSuite,
  memoryStatusItem,
  openWorkbench,
  runCommand,
  screenshot,
  startDebugging,
  webviewFrame,
} from './workbench.mjs';

const PROGRAM = 'worker-leak.js';

let server;
let browser;
let page;

/** The status bar item's visible text. */
async function statusText() {
  return (await memoryStatusItem(page).first().innerText()).trim();
}

describe('Memory Monitor on a program with a worker_threads Worker', { timeout: 300_000 }, () => {
  before(async () => {
    server = await startCodeServer({ name: 'workers' });
    copyFileSync(path.join(root, 'test', 'fixtures', 'workers', PROGRAM), path.join(server.workspace, PROGRAM));
    writeFileSync(
      path.join(server.workspace, '.vscode', 'launch.json'),
      JSON.stringify({
        version: '0.2.0',
        configurations: [
          {
            type: 'node',
            request: 'launch',
            name: 'Leaking worker',
            program: `\${workspaceFolder}/${PROGRAM}`,
            console: 'internalConsole',
          },
        ],
      }),
    );
    browser = await openWorkbench(server.url);
    page = browser.page;
  });

  after(async () => {
    await closeSuite({ page, browser, server }, 'w99-workers-final');
  });

  it('w1. the process shows as one status bar item with the total heap of its 2 threads and the breakdown', async () => {
    await startDebugging(page);
    const item = memoryStatusItem(page).first();
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    try {
      await page.waitForFunction(
        () =>
          /\(2 threads\)/.test(document.querySelector('.statusbar-item[aria-label*="Memory of"]')?.textContent ?? ''),
        null,
        { timeout: 30_000 },
      );
    } catch (err) {
      await screenshot(page, 'w01-no-threads');
      throw new Error(`${err.message}; status text: ${await statusText()}`);
    }
    const text = await statusText();
    assert.match(text, /^\d+(\.\d+)? [MG]B · RSS \d+(\.\d+)? [MG]B [↗↘→] \(2 threads\)$/, `status text: ${text}`);
    await item.hover();
    const hover = page.locator('.monaco-hover', { hasText: 'Total heap' }).first();
    await hover.waitFor({ state: 'visible', timeout: 15_000 });
    const tip = await hover.innerText();
    assert.match(tip, /main thread\s+\d+(\.\d+)? [kMG]B/, tip);
    assert.match(tip, /Worker \d+ · .+\s+\d+(\.\d+)? [kMG]B/, tip);
    await screenshot(page, 'w01-workers-status-tooltip');
    await page.mouse.move(700, 400);
  });

  it('w2. the Worker is its own session in the Monitor panel, with its own heap chart that grows', async () => {
    await runCommand(page, 'Memory: Show Monitor');
    const frame = await webviewFrame(page, 'Memory Monitor');
    await frame.waitForSelector('#app[data-sample-count]', { timeout: 15_000 });
    const options = await frame.$$eval('#session vscode-option', (os) =>
      os.map((o) => ({ value: o.getAttribute('value'), text: o.textContent })),
    );
    const worker = options.find((o) => /— Worker \d+/.test(o.text ?? ''));
    assert.ok(worker, `sessions: ${options.map((o) => o.text).join(' | ')}`);
    assert.ok(options.length >= 2, 'the main thread has its own row too');
    await frame.evaluate((id) => {
      const select = document.getElementById('session');
      select.value = id;
      select.dispatchEvent(new Event('change'));
    }, worker.value);
    await frame.waitForFunction(
      (id) =>
        document.getElementById('session').value === id &&
        Number(document.getElementById('app').dataset.sampleCount) >= 3,
      worker.value,
      { timeout: 20_000 },
    );
    // The Worker keeps ~1 MB more every second: its heap figure rises within a few seconds.
    const mb = (s) => {
      const m = /^([\d.]+) (kB|MB|GB)$/.exec((s ?? '').trim());
      return m ? Number(m[1]) * { kB: 1e-3, MB: 1, GB: 1e3 }[m[2]] : NaN;
    };
    const first = mb(await frame.textContent('#heap-used'));
    await frame.waitForFunction(
      ([before]) => {
        const m = /^([\d.]+) (kB|MB|GB)$/.exec((document.getElementById('heap-used')?.textContent ?? '').trim());
        return m && Number(m[1]) * { kB: 1e-3, MB: 1, GB: 1e3 }[m[2]] > before + 1;
      },
      [first],
      { timeout: 30_000 },
    );
    await screenshot(page, 'w02-worker-monitor');
  });

  it('w3. the panel’s diagnostic GC and snapshot run in the Worker', async () => {
    const frame = await webviewFrame(page, 'Memory Monitor');
    await frame.locator('#gc').click();
    const toast = page.locator('.notification-toast', { hasText: 'Diagnostic GC in' }).first();
    await toast.waitFor({ timeout: 30_000 });
    const text = await toast.innerText();
    assert.match(text, /Diagnostic GC in "\[worker \d+\]"/, text);
    assert.match(text, /(freed \d+(\.\d+)? (B|kB|MB|GB)|heap grew by)/, text);
    await frame.locator('#snapshot').click();
    const viewer = await webviewFrame(page, 'Heap Snapshot', 60_000);
    await viewer.waitForSelector('tr.class-row', { timeout: 60_000 });
    // The Worker keeps its batches of `{ i, at }` objects: tens of thousands of them, which the main thread has not.
    await viewer.fill('#class-filter', 'Object');
    const row = viewer
      .locator('tr.class-row')
      .filter({ has: viewer.locator('td.name', { hasText: /^▸?\s*Object ×/ }) })
      .first();
    await row.waitFor({ timeout: 15_000 });
    const count = Number((await row.locator('td.count').innerText()).replace(/[^\d]/g, ''));
    assert.ok(count > 10_000, `Object instances in the Worker's snapshot: ${count}`);
    await screenshot(page, 'w03-worker-snapshot');
  });

  it('w4. the Worker’s leak shows on the process’s status bar item, naming the Worker and its line', async () => {
    // The main thread only churns garbage; the Worker keeps ~1 MB/s. Detection needs ~25 s of post-GC growth.
    await page.waitForFunction(
      () => /Leak\?/.test(document.querySelector('.statusbar-item[aria-label*="Memory of"]')?.textContent ?? ''),
      null,
      { timeout: 120_000 },
    );
    const item = memoryStatusItem(page).first();
    assert.match(await statusText(), /\(2 threads\)\s+Leak\?$/);
    assert.match((await item.getAttribute('aria-label')) ?? '', /alert level leak/);
    await item.hover();
    const hover = page.locator('.monaco-hover', { hasText: 'Leak suspected' }).first();
    await hover.waitFor({ state: 'visible', timeout: 15_000 });
    const tip = await hover.innerText();
    assert.match(tip, /In Worker \d+ \(\[worker \d+\]\):/, tip);
    assert.match(tip, new RegExp(`top suspect ${PROGRAM.replace('.', '\\.')}:17`), tip);
    await screenshot(page, 'w04-worker-leak-status');
    await page.mouse.move(700, 400);
  });
});
