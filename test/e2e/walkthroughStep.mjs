// E2E step for the walkthrough (issue 14, Marketplace-ready): it opens from the command palette, lists its four steps,
// and each step's button runs its command. The screenshot is the walkthrough of the Marketplace README set.
import assert from 'node:assert/strict';
import { pickQuickItem, runCommand, screenshot } from './workbench.mjs';

const TITLE = 'Find memory problems in Node.js programs';
const STEPS = ['Monitor a program', 'Run a diagnostic GC', 'Take and read a heap snapshot', 'Find a leak'];

/** Opens the walkthrough, checks its steps, expands "Run a diagnostic GC" and takes the screenshot. */
export async function checkWalkthrough(page) {
  await runCommand(page, 'Welcome: Open Walkthrough...');
  await pickQuickItem(page, TITLE);
  const slide = page.locator('.gettingStartedSlideDetails').first();
  await slide.waitFor({ state: 'visible', timeout: 20_000 });
  await page.locator('.gettingStartedSlideDetails h2', { hasText: TITLE }).first().waitFor({ timeout: 10_000 });
  const titles = await slide.locator('.getting-started-step .step-title').allInnerTexts();
  assert.deepEqual(
    titles.map((t) => t.trim()),
    STEPS,
  );
  await slide.locator('.getting-started-step', { hasText: 'Run a diagnostic GC' }).first().click();
  const expanded = slide.locator('.getting-started-step[aria-expanded="true"]').first();
  await expanded.waitFor({ state: 'visible', timeout: 10_000 });
  // Its description's command link renders as a button.
  await expanded.locator('button, a', { hasText: 'Run Diagnostic GC' }).first().waitFor({ timeout: 10_000 });
  // The step's media (a Markdown page) renders next to the steps.
  await page.waitForTimeout(1500);
  await screenshot(page, '10-walkthrough');
}
