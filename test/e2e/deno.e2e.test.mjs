// End-to-end for issue 15's Deno row: a VS Code launch configuration that runs `deno run --inspect-wait` (js-debug's
// documented Deno setup: type node, runtimeExecutable deno, attachSimplePort) is monitored like a Node.js program —
// status bar, Monitor panel, diagnostic GC with a verified test cycle, a heap snapshot in the viewer, and the leak.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, root, startCodeServer } from './codeServer.mjs';
import {
  checkDiagnosticGcWithTestCycle,
  closeSuite,
  memoryStatusItem,
  openWorkbench,
  runCommand,
  screenshot,
  startDebugging,
  webviewFrame,
} from './workbench.mjs';

const PROGRAM = 'leak.js';
const DENO = path.join(root, 'node_modules', '.bin', 'deno');

let server;
let browser;
let page;

describe('Memory Monitor on a Deno program (js-debug launch configuration)', { timeout: 300_000 }, () => {
  before(async () => {
    assert.ok(existsSync(DENO), `no deno binary at ${DENO} (npm ci installs it)`);
    server = await startCodeServer({ name: 'deno' });
    copyFileSync(path.join(root, 'test', 'fixtures', 'runtimes', PROGRAM), path.join(server.workspace, PROGRAM));
    const port = await freePort();
    writeFileSync(
      path.join(server.workspace, '.vscode', 'launch.json'),
      JSON.stringify({
        version: '0.2.0',
        configurations: [
          {
            type: 'node',
            request: 'launch',
            name: 'Deno leak',
            program: `\${workspaceFolder}/${PROGRAM}`,
            cwd: '${workspaceFolder}',
            runtimeExecutable: DENO,
            runtimeArgs: ['run', `--inspect-wait=127.0.0.1:${port}`, '--allow-all'],
            attachSimplePort: port,
            console: 'internalConsole',
          },
        ],
      }),
    );
    browser = await openWorkbench(server.url);
    page = browser.page;
  });

  after(async () => {
    await closeSuite({ page, browser, server }, 'd99-deno-final');
  });

  it('d1. the status bar shows the Deno program’s heap and RSS', async () => {
    await startDebugging(page);
    const item = memoryStatusItem(page).first();
    await item.waitFor({ state: 'visible', timeout: 45_000 });
    await page.waitForFunction(
      () =>
        /^\d+(\.\d+)? [MG]B · RSS \d+(\.\d+)? [MG]B/.test(
          (document.querySelector('.statusbar-item[aria-label*="Memory of"]')?.textContent ?? '').trim(),
        ),
      null,
      { timeout: 30_000 },
    );
    await screenshot(page, 'd01-deno-status');
  });

  it('d2. the Monitor panel charts it, and a diagnostic GC with a test cycle is verified', async () => {
    await runCommand(page, 'Memory: Show Monitor');
    const frame = await webviewFrame(page, 'Memory Monitor');
    await frame.waitForFunction(() => Number(document.getElementById('app')?.dataset.sampleCount) >= 3, null, {
      timeout: 20_000,
    });
    await checkDiagnosticGcWithTestCycle(page, 'd02-deno-gc');
  });

  it('d3. a heap snapshot of the Deno program opens in the viewer', async () => {
    const frame = await webviewFrame(page, 'Memory Monitor');
    await frame.locator('#snapshot').click();
    const viewer = await webviewFrame(page, 'Heap Snapshot', 60_000);
    await viewer.waitForSelector('tr.class-row', { timeout: 60_000 });
    // leak.js keeps an array of 25,000 `{ i }` objects every second: the snapshot holds well over 50,000 objects
    // (Deno's V8 names such objects by their shape, so the count is read from the viewer's header, not a class row).
    const header = await viewer.locator('#stats').innerText();
    const objects = Number((/([\d,]+) objects/.exec(header)?.[1] ?? '0').replace(/,/g, ''));
    assert.ok(objects > 50_000, `objects in the Deno program's snapshot: ${header}`);
    await screenshot(page, 'd03-deno-snapshot');
  });

  it('d4. the leak is flagged in the status bar', async () => {
    await page.waitForFunction(
      () => /Leak\?/.test(document.querySelector('.statusbar-item[aria-label*="Memory of"]')?.textContent ?? ''),
      null,
      { timeout: 120_000 },
    );
    assert.match((await memoryStatusItem(page).first().getAttribute('aria-label')) ?? '', /alert level leak/);
    await screenshot(page, 'd04-deno-leak');
  });
});
