// Issue 10 item 13: the Leak Report's `openSource` message opened any path the webview sent. Only files named in the
// current report are opened now; anything else gets a warning and no editor.
import { fake } from '../extension/withFakeVscode';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as vscode from 'vscode';
import { ViewTypes } from '../../src/extension/commands/commands';
import { LeakController } from '../../src/extension/leaks/leakController';
import { LeakReportPanelHost } from '../../src/extension/leaks/leakReportPanel';
import { testContext } from '../extension/testContext';

let ctx: ReturnType<typeof testContext>;
let host: LeakReportPanelHost;
const opened: unknown[] = [];

before(() => {
  ctx = testContext();
  const controller = ctx.store.add(new LeakController(ctx.registry, ctx.config.current.leakDetection, ctx.log));
  host = ctx.store.add(new LeakReportPanelHost(ctx.extensionUri, controller));
  (vscode.window as unknown as { showTextDocument: (uri: unknown) => Promise<undefined> }).showTextDocument = (uri) => {
    opened.push(uri);
    return Promise.resolve(undefined);
  };
});
after(() => ctx.store.dispose());

test('leak report openSource of /etc/passwd (not named in the report) opens nothing and warns', async () => {
  host.show();
  const webview = fake.panels.find((p) => p.viewType === ViewTypes.leakReport)!;
  webview.receive({ type: 'ready' });
  for (const file of ['/etc/passwd', 'file:///etc/shadow', '/home/user/.ssh/id_rsa'])
    webview.receive({ type: 'openSource', file, line: 1, column: 1 });
  const deadline = Date.now() + 10_000;
  while (fake.messages.filter((m) => m.level === 'warning').length < 3 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(opened, []);
  const warnings = fake.messages.filter((m) => m.level === 'warning').map((m) => m.text);
  assert.equal(warnings.length, 3);
  assert.match(warnings[0]!, /did not open "\/etc\/passwd": it is not a file named in the current leak report/);
});
