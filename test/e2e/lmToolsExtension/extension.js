// Test-only: what an agent would do, without a language model. Calls every Memory Monitor tool through
// vscode.lm.invokeTool outside a chat (toolInvocationToken undefined) and writes each answer, or the error, to
// <workspace>/lm-tools.json after every call, so the e2e test can follow along and answer confirmation dialogs.
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');

/** The calls, in order: reads first, then the two actions (confirmed), a summary of the new snapshot, one refusal. */
const CALLS = [
  ['memoryMonitor_sessionStatus', {}],
  ['memoryMonitor_leakReport', {}],
  ['memoryMonitor_diagnosticGc', { testCycle: true }],
  ['memoryMonitor_takeSnapshot', {}],
  ['memoryMonitor_snapshotSummary', { top: 8 }],
  ['memoryMonitor_snapshotSummary', { filter: 'LeakyOrder', top: 3 }],
  // The test cancels this one's confirmation dialog.
  ['memoryMonitor_diagnosticGc', { testCycle: false }],
];

function activate(context) {
  // Memory: Compare Heap Snapshots with three or more snapshots, as a user picks them in the open dialog (which
  // code-server's simple file dialog cannot multi-select): <workspace>/growth-snapshots/*.heapsnapshot by name.
  context.subscriptions.push(
    vscode.commands.registerCommand('memoryMonitorE2e.compareSnapshotSeries', async () => {
      const dir = path.join(vscode.workspace.workspaceFolders[0].uri.fsPath, 'growth-snapshots');
      const files = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.heapsnapshot'))
        .sort()
        .map((f) => vscode.Uri.file(path.join(dir, f)));
      await vscode.commands.executeCommand('memoryMonitor.compareHeapSnapshots', ...files);
    }),
  );
  context.subscriptions.push(
    vscode.commands.registerCommand('memoryMonitorE2e.invokeTools', async () => {
      const out = path.join(vscode.workspace.workspaceFolders[0].uri.fsPath, 'lm-tools.json');
      const report = {
        tools: vscode.lm.tools
          .filter((t) => t.name.startsWith('memoryMonitor_'))
          .map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema, tags: t.tags })),
        calls: [],
        done: false,
      };
      const save = () => fs.writeFileSync(out, JSON.stringify(report, null, 2));
      save();
      for (const [name, input] of CALLS) {
        const call = { name, input };
        report.calls.push(call);
        const t0 = Date.now();
        try {
          const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
          call.text = result.content
            .map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : JSON.stringify(part)))
            .join('');
        } catch (err) {
          call.error = { name: err?.name, message: String(err?.message ?? err) };
        }
        call.ms = Date.now() - t0;
        save();
      }
      report.done = true;
      save();
    }),
  );
}

module.exports = { activate };
