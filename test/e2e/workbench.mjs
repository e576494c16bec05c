// Drives the VS Code workbench in Chromium through playwright-core: commands, notifications, webviews, screenshots.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { e2eDir } from './codeServer.mjs';

export const screenshotDir = path.join(e2eDir, 'screenshots');

/** Headless, no sandbox, nothing phoning home: the workbench's Chromium and the pages the e2e debugs. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Opens the workbench at `url` in a fresh Chromium profile and waits until it is ready. */
export async function openWorkbench(url) {
  const profile = path.join(e2eDir, 'chromium-profile');
  rmSync(profile, { recursive: true, force: true });
  mkdirSync(screenshotDir, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The status bar and the explorer's first row are there once the workbench restored and the folder is open.
  await page.locator('.statusbar').waitFor({ timeout: 30_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 30_000 });
  return { context, page, consoleErrors };
}

/** Runs a command from the palette: F1, its title, Enter. */
export async function runCommand(page, title) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  // Click the row whose label is exactly the title: Enter would take the first row, which may be a recently used neighbour.
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) })
    .first();
  await row.waitFor({ timeout: 10_000 });
  await row.click();
}

/**
 * Runs a command and picks an item of the quick pick it opens. Tried twice: on a loaded machine a webview that
 * finishes loading can take the focus, and the quick pick closes before the item is typed (seen in a CI rehearsal).
 */
export async function runCommandAndPick(page, title, label) {
  try {
    await runCommand(page, title);
    await pickQuickItem(page, label);
  } catch {
    await runCommand(page, title);
    await pickQuickItem(page, label);
  }
}

/** Picks an item in an open quick pick by its label. */
export async function pickQuickItem(page, label) {
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(label, { timeout: 10_000 });
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/** The Memory Monitor status bar item (found by its accessible label). */
export function memoryStatusItem(page) {
  return page.locator('.statusbar-item[aria-label*="Memory of"]');
}

/** The inner frame of the visible webview whose page title is `title`. */
export async function webviewFrame(page, title, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      try {
        if (frame.url().includes('fake.html') || frame.url().includes('index.html')) {
          if ((await frame.title()) === title) return frame;
        }
      } catch {
        // frame detached
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview titled "${title}" within ${timeoutMs} ms`);
}

/** How many pixels of the canvas `id` in `frame` are not transparent (`n`), and its size. */
export function paintedPixels(frame, id) {
  return frame.evaluate((canvasId) => {
    const canvas = document.getElementById(canvasId);
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return { n, w: canvas.width, h: canvas.height };
  }, id);
}

/** Saves a screenshot of the whole window as PNG under .e2e/screenshots. */
export async function screenshot(page, name) {
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Presses F5 in the workbench and waits for the debug toolbar. On a fresh profile the first F5 can arrive before
 * the launch configurations are loaded (it then only opens the Run and Debug view): it is pressed again once.
 */
export async function startDebugging(page) {
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
  await page.keyboard.press('F5');
  const toolbar = page.locator('.debug-toolbar');
  const started = await toolbar.waitFor({ state: 'visible', timeout: 6000 }).then(
    () => true,
    () => false,
  );
  if (started) return;
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
  await page.keyboard.press('F5');
  await toolbar.waitFor({ state: 'visible', timeout: 20_000 });
}

/** Ends a suite: a last screenshot, the debug session stopped, the browser and code-server closed. */
export async function closeSuite({ page, browser, server }, finalScreenshot) {
  if (page) await screenshot(page, finalScreenshot).catch(() => undefined);
  await page
    ?.locator('.monaco-workbench')
    .click({ position: { x: 700, y: 400 } })
    .catch(() => undefined);
  if (page) await runCommand(page, 'Debug: Stop').catch(() => undefined);
  await page?.waitForTimeout(1000);
  await browser?.context.close().catch(() => undefined);
  await server?.stop();
}

/** Runs "Memory: Run Diagnostic GC" with a test cycle and checks its notification: freed bytes, collector verified. */
export async function checkDiagnosticGcWithTestCycle(page, screenshotName) {
  await runCommandAndPick(page, 'Memory: Run Diagnostic GC', 'Diagnostic GC with test cycle');
  const toast = page.locator('.notification-toast', { hasText: 'Diagnostic GC' }).first();
  await toast.waitFor({ timeout: 30_000 });
  const text = await toast.innerText();
  assert.match(text, /(freed \d+(\.\d+)? (B|kB|MB|GB)|heap grew by)/, text);
  assert.match(text, /collector verified/, text);
  await screenshot(page, screenshotName);
}
