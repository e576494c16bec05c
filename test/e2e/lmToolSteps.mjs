// E2E step for the language-model tools (issue 14): a test-only extension (test/e2e/lmToolsExtension) calls
// vscode.lm.invokeTool for each Memory Monitor tool while the leaky fixture is debugged, outside a chat. VS Code then
// asks for the confirmation of the two actions in a modal dialog: the test confirms the first two and cancels the last.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { runCommand, screenshot } from './workbench.mjs';

const NAMES = [
  'memoryMonitor_sessionStatus',
  'memoryMonitor_leakReport',
  'memoryMonitor_snapshotSummary',
  'memoryMonitor_takeSnapshot',
  'memoryMonitor_diagnosticGc',
];

function readReport(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // Not written yet, or being written.
    return null;
  }
}

/** Runs the caller's command, answers the confirmation dialogs, and returns the written report. */
export async function invokeLanguageModelTools(page, workspace) {
  const file = path.join(workspace, 'lm-tools.json');
  rmSync(file, { force: true });
  await runCommand(page, 'Memory E2E: Invoke Language Model Tools');
  const dialogs = [];
  const deadline = Date.now() + 120_000;
  let report = null;
  while (Date.now() < deadline) {
    report = existsSync(file) ? readReport(file) : null;
    if (report?.done) break;
    const dialog = page.locator('.monaco-dialog-box').first();
    if (await dialog.isVisible().catch(() => false)) {
      const text = (await dialog.innerText()).trim();
      dialogs.push(text);
      if (dialogs.length === 1) await screenshot(page, '09-lm-tool-confirmation');
      // Confirm the diagnostic GC and the snapshot; cancel the last diagnostic GC.
      const buttons = dialog.locator('.dialog-buttons .monaco-button');
      await buttons
        .filter({ hasText: dialogs.length <= 2 ? /^Yes$/ : /^Cancel$/ })
        .first()
        .click();
      await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    }
    await page.waitForTimeout(200);
  }
  assert.ok(report?.done, `the tool caller finished; report so far: ${JSON.stringify(report)?.slice(0, 2000)}`);
  return { report, dialogs };
}

/** Checks every answer against what the earlier steps established (a leaking session, a snapshot, a hunt). */
export function checkToolAnswers({ report, dialogs }) {
  const summary = JSON.stringify(report, null, 1).slice(0, 6000);
  assert.deepEqual(report.tools.map((t) => t.name).sort(), [...NAMES].sort(), summary);
  for (const t of report.tools) assert.ok(t.description.length > 40, `${t.name} has a model description`);
  const [status, leak, gc, snap, top, filtered, cancelled] = report.calls;
  for (const c of [status, leak, gc, snap, top, filtered])
    assert.equal(c.error, undefined, `${c.name}: ${JSON.stringify(c.error)}`);

  assert.match(status.text, /^1 monitored session \(1 live\):/, status.text);
  assert.match(status.text, /Session "[^"]+" \(id [^,]+, pid \d+\) — live/, status.text);
  assert.match(
    status.text,
    /Heap used \d+(\.\d+)? (kB|MB), Heap total \d+(\.\d+)? (kB|MB), RSS \d+(\.\d+)? MB/,
    status.text,
  );
  assert.match(status.text, /Heap trend over the last minute: (rising|falling|steady)/, status.text);
  // Normal by the heap; RSS may pass the warning line (800 MB): V8's snapshot writer keeps hundreds of MB in the
  // debuggee's allocator after the earlier steps' snapshots (measured 162 → 1,343 MB for an 87 MB heap).
  assert.match(status.text, /Alert level: (normal|warning|critical) \(warning above/, status.text);
  assert.match(
    status.text,
    // The status names the leading verdict; on a loaded machine RSS may be flagged before the heap (the report below
    // must still have the heap's).
    /Leak suspected: yes, (JS heap|native memory \(RSS\)) grows \+\d+(\.\d+)? (kB|MB)\/min after forced GCs/,
    status.text,
  );

  assert.match(leak.text, /^Leak report for "[^"]+"/, leak.text);
  // Suspected when raised, confirmed once growth went on: either may stand by now; the forecast comes with it.
  assert.match(leak.text, /Verdict: LEAK (SUSPECTED|CONFIRMED \([^)]*\)) in JS heap: \+\d/, leak.text);
  assert.match(leak.text, /Forecast: At this rate memory (reaches|is already above) \d+ MB/, leak.text);
  assert.match(leak.text, /leaky-server\.js:\d+:\d+ in /, leak.text);
  assert.match(leak.text, /Last Hunt Leak .*: \d+ leaked objects retaining \d/, leak.text);
  assert.match(leak.text, /× (LeakyOrderRecord|RequestContextHolder) retaining .*, retained by: \S/, leak.text);

  assert.match(
    gc.text,
    /^Diagnostic GC in "[^"]+": (freed|heap grew by) .* Test cycle collected: collector verified\./,
    gc.text,
  );
  assert.match(snap.text, /^Heap snapshot of "[^"]+" saved: \/.*memmon-.*\.heapsnapshot \(\d+(\.\d+)? MB/, snap.text);
  const snapshotFile = /saved: (\S+\.heapsnapshot)/.exec(snap.text)[1];
  assert.ok(existsSync(snapshotFile), snapshotFile);

  // A viewer from step 4 is open: the summary is of that snapshot; the statistics and the top classes are listed.
  assert.match(
    top.text,
    /^Heap snapshot \/\S+\.heapsnapshot \((open in the viewer|latest in the snapshot folder)\)/,
    top.text,
  );
  assert.match(top.text, /\nTotal +\d+(\.\d+)? MB +100\.0%/, top.text);
  assert.match(top.text, /Top 8 classes by retained size/, top.text);
  assert.match(filtered.text, /\nLeakyOrderRecord +\d{3,} +\d/, filtered.text);

  // Outside a chat, VS Code 1.100 asks in a modal dialog: title, then the message as plain text.
  assert.equal(dialogs.length, 3, JSON.stringify(dialogs));
  assert.match(dialogs[0], /Run a diagnostic GC\?/);
  assert.match(
    dialogs[0],
    /force a full garbage collection in `?leaky-server\.js \[\d+\] « Leaky server`?; the program pauses/,
  );
  assert.match(dialogs[1], /Take a heap snapshot\?/);
  assert.match(dialogs[1], /heap used \d+(\.\d+)? (kB|MB)/);
  assert.equal(cancelled.text, undefined, 'the cancelled GC did not run');
  assert.equal(cancelled.error?.name, 'Canceled', JSON.stringify(cancelled.error));
}
