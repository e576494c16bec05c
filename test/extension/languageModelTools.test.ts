import { fake, FakeWebviewPanel, noCancellation, Uri } from './withFakeVscode';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { ViewTypes } from '../../src/extension/commands/commands';
import type { FeatureContext } from '../../src/extension/feature';
import { LeakController } from '../../src/extension/leaks/leakController';
import { registerLanguageModelTools, ToolNames } from '../../src/extension/lmTools/languageModelTools';
import { bounded, leakReportText, MAX_TOOL_TEXT } from '../../src/extension/lmTools/toolText';
import { SessionMonitor } from '../../src/extension/monitoring/sessionMonitor';
import { registerSnapshotViewer } from '../../src/extension/viewer/snapshotEditorProvider';
import type { LeakReportView } from '../../src/shared/leakProtocol';
import { FIXTURE_CLASS, Inspectee, startInspectee } from '../heap-capture/inspectee';
import { testContext } from './testContext';

/** The text of a tool's answer (one LanguageModelTextPart). */
async function call(name: string, input: object = {}): Promise<string> {
  const tool = fake.tools.items.get(name);
  assert.ok(tool, `tool ${name} registered`);
  const result = (await tool.invoke({ input, toolInvocationToken: undefined }, noCancellation)) as {
    content: { value: string }[];
  };
  assert.equal(result.content.length, 1);
  return result.content[0].value;
}

async function prepare(name: string, input: object = {}) {
  return (await fake.tools.items.get(name)!.prepareInvocation!({ input }, noCancellation)) as {
    invocationMessage: string;
    confirmationMessages?: { title: string; message: { value: string } };
  };
}

/** Waits for `check` to hold (samples arrive once a second). */
async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('language-model tools: the contribution in package.json', () => {
  const contributed = (
    fake.manifest as unknown as {
      contributes: {
        languageModelTools: Array<Record<string, unknown> & { name: string; inputSchema: { type: string } }>;
      };
    }
  ).contributes.languageModelTools;

  it('contributes exactly the tools the extension registers, each fully described', () => {
    assert.deepEqual(contributed.map((t) => t.name).sort(), Object.values(ToolNames).sort());
    for (const t of contributed) {
      for (const key of ['displayName', 'modelDescription', 'userDescription'])
        assert.ok(typeof t[key] === 'string' && (t[key] as string).length > 10, `${t.name}.${key}`);
      assert.match(String(t.toolReferenceName), /^[A-Za-z]+$/, `${t.name}.toolReferenceName`);
      assert.equal(t.canBeReferencedInPrompt, true, t.name);
      assert.equal(t.inputSchema.type, 'object', t.name);
      assert.match(t.name, /^memoryMonitor_[A-Za-z]+$/);
    }
    assert.equal(
      new Set(contributed.map((t) => t.toolReferenceName)).size,
      contributed.length,
      'reference names unique',
    );
  });
});

describe('language-model tools on a real debuggee', () => {
  let ctx: FeatureContext;
  let target: Inspectee;
  let monitor: SessionMonitor;
  let leaks: LeakController;
  // Markdown and a control character in the name: the confirmation must show them as text.
  const name = 'shop*[x](y)\u0007';

  before(async () => {
    // 1 MB threshold: the debuggee's RSS is far above it, so the alert level is critical.
    fake.settings.set('memoryMonitor.thresholdMb', 1);
    ctx = testContext();
    leaks = ctx.store.add(
      new LeakController(ctx.registry, { ...ctx.config.current.leakDetection, enabled: false }, ctx.log),
    );
    const viewer = registerSnapshotViewer(ctx);
    registerLanguageModelTools(ctx, { leaks, snapshots: viewer.snapshots });
    target = await startInspectee(2000);
  });
  after(() => {
    ctx?.store.dispose();
    target?.kill();
    fake.settings.delete('memoryMonitor.thresholdMb');
  });

  it('with nothing monitored: the status says so, the actions fail with a one-line reason', async () => {
    assert.match(await call(ToolNames.sessionStatus), /^No debug session is being monitored\./);
    assert.match(await call(ToolNames.leakReport), /^No leak report/);
    await assert.rejects(call(ToolNames.diagnosticGc), /No debug session is being monitored/);
    await assert.rejects(call(ToolNames.snapshotSummary), /No heap snapshot is open and none was taken yet/);
    const prepared = await prepare(ToolNames.takeSnapshot);
    assert.equal(prepared.confirmationMessages, undefined, 'nothing to confirm without a session');
  });

  it('session status: figures with units, trend, alert level against the thresholds, leak state', async () => {
    monitor = await SessionMonitor.start(
      { id: 'session-1', name, local: true },
      target.wsUrl,
      ctx.config.current,
      null,
      ctx.log,
    );
    ctx.registry.add(monitor, true);
    await until(() => monitor.samples.length >= 2, 'two samples');
    const text = await call(ToolNames.sessionStatus);
    assert.match(text, /^1 monitored session \(1 live\):/);
    assert.ok(
      text.includes(`Session "shop*[x](y)\\u0007" (id session-1, pid ${target.child.pid}) — live, shown in the editor`),
      text,
    );
    assert.match(text, /Heap used \d+(\.\d+)? (kB|MB), Heap total \d+(\.\d+)? (kB|MB), RSS \d+(\.\d+)? MB/);
    assert.match(text, /Heap trend over the last minute: (rising|falling|steady) \([+-]\d+(\.\d+)? (B|kB|MB)\/min\)/);
    assert.match(
      text,
      /Alert level: critical \(warning above 800 kB, critical above 1\.0 MB, emergency above 2\.00 GB/,
    );
    assert.match(text, /Leak suspected: no/);
    assert.doesNotMatch(text, /Last diagnostic GC/);
  });

  it('diagnostic GC: asks for confirmation with the name as text, then reports freed bytes and the verified cycle', async () => {
    const prepared = await prepare(ToolNames.diagnosticGc);
    assert.equal(prepared.confirmationMessages?.title, 'Run a diagnostic GC?');
    assert.ok(
      prepared.confirmationMessages.message.value.includes('in `shop*[x](y)\\u0007`;'),
      prepared.confirmationMessages.message.value,
    );
    assert.match(prepared.confirmationMessages.message.value, /unreachable reference cycle/);
    const text = await call(ToolNames.diagnosticGc);
    assert.match(
      text,
      /^Diagnostic GC in "shop\*\[x\]\(y\)\\u0007": (freed \d+(\.\d+)? (B|kB|MB)|heap grew by .*) \(heap .* → .*\) in \d+ ms\. Test cycle collected: collector verified\./,
    );
    assert.match(text, /Before: heap used \d+(\.\d+)? (kB|MB); after: \d+(\.\d+)? (kB|MB)\./);
    assert.ok(monitor.lastGc, 'the GC went through the monitor (marker, history)');
    assert.match(await call(ToolNames.sessionStatus), /Last diagnostic GC \d+ s ago: freed/);
    const noCycle = await prepare(ToolNames.diagnosticGc, { testCycle: false });
    assert.doesNotMatch(noCycle.confirmationMessages!.message.value, /reference cycle/);
  });

  it('take snapshot: confirmation, then an owner-only file in the snapshot folder with a timeline marker', async () => {
    const prepared = await prepare(ToolNames.takeSnapshot, { sessionId: 'session-1' });
    assert.equal(prepared.confirmationMessages?.title, 'Take a heap snapshot?');
    assert.match(prepared.confirmationMessages.message.value, /heap used \d+(\.\d+)? (kB|MB)/);
    const text = await call(ToolNames.takeSnapshot, { sessionId: 'session-1' });
    const files = readdirSync(ctx.folders.snapshots());
    assert.equal(files.length, 1);
    const file = path.join(ctx.folders.snapshots(), files[0]);
    assert.ok(text.startsWith(`Heap snapshot of "shop*[x](y)\\u0007" saved: ${file} (`), text);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.ok(monitor.markers.some((m) => m.kind === 'snapshot'));
    await assert.rejects(call(ToolNames.takeSnapshot, { sessionId: 'nope' }), /No monitored session "nope"/);
  });

  it('snapshot summary: the latest snapshot taken, then the one open in the viewer; statistics and top classes', async () => {
    const latest = await call(ToolNames.snapshotSummary, { filter: 'memmoncapture', top: 3 });
    assert.match(latest, /\(latest in the snapshot folder\), \d+(\.\d+)? (kB|MB) on disk/);
    assert.match(latest, /\d[\d,]* objects, \d[\d,]* references, \d[\d,]* classes, total self size \d/);
    assert.match(latest, /Statistics \(where the bytes go\):\nTotal +\d+(\.\d+)? (kB|MB) +100\.0%/);
    assert.match(latest, /Strings +\d/);
    assert.match(latest, /Top 1 classes by retained size matching "memmoncapture"/);
    assert.match(latest, new RegExp(`\\n${FIXTURE_CLASS} +2000 +\\d+(\\.\\d+)? kB`), latest);

    // Opened in the viewer, the snapshot is summarised from the viewer's analysis (no second parse).
    const snapshotFile = path.join(ctx.folders.snapshots(), readdirSync(ctx.folders.snapshots())[0]);
    const provider = fake.editorProviders.items.get(ViewTypes.heapSnapshot)!;
    const document = provider.openCustomDocument(Uri.file(snapshotFile)) as vscode.CustomDocument;
    const panel = new FakeWebviewPanel(ViewTypes.heapSnapshot, 'snapshot');
    await provider.resolveCustomEditor(document, panel);
    try {
      const open = await call(ToolNames.snapshotSummary, { top: 5 });
      assert.ok(open.startsWith(`Heap snapshot ${snapshotFile} (open in the viewer)`), open.slice(0, 200));
      assert.equal((open.match(/^Top 5 classes by retained size \(/m) ?? []).length, 1);
      const table = open.slice(open.indexOf('Class '));
      assert.equal(table.trim().split('\n').length, 6, 'header and five rows');
    } finally {
      panel.dispose();
      document.dispose();
    }
    await assert.rejects(call(ToolNames.snapshotSummary, { file: '/etc/passwd' }), /Only \.heapsnapshot files/);
  });

  it('leak report: the controller’s report of the session, with the hunt’s retainers', async () => {
    const quiet = await call(ToolNames.leakReport);
    assert.match(quiet, /^Leak report for "shop\*\[x\]\(y\)\\u0007" \(id session-1, pid \d+\)/);
    assert.match(quiet, /Leak detection: off/);
    assert.match(quiet, /Verdict: no leak suspected/);
    leaks.setHunt('session-1', {
      t: Date.UTC(2026, 0, 1),
      leakedCount: 1200,
      leakedRetainedSize: 3_400_000,
      classes: [{ name: FIXTURE_CLASS, count: 1200, selfSize: 57_600, retainedSize: 3_400_000 }],
      groups: [
        {
          name: FIXTURE_CLASS,
          count: 1200,
          retainedSize: 3_400_000,
          retainerPath: ['(GC roots)', 'global', 'keep', '[12]'],
        },
      ],
    });
    const hunted = await call(ToolNames.leakReport, { sessionId: 'session-1' });
    assert.match(
      hunted,
      /Last Hunt Leak \(2026-01-01T00:00:00\.000Z, three snapshots\): 1200 leaked objects retaining 3\.4 MB\./,
    );
    assert.ok(
      hunted.includes(`- 1200 × ${FIXTURE_CLASS} retaining 3.4 MB, retained by: (GC roots) → global → keep → [12]`),
      hunted,
    );
  });

  it('after the session ended the actions refuse and the status says ended', async () => {
    await monitor.stop();
    assert.match(await call(ToolNames.sessionStatus), /— ended/);
    await assert.rejects(call(ToolNames.diagnosticGc, { sessionId: 'session-1' }), /has ended/);
  });
});

describe('language-model tool text', () => {
  const report: LeakReportView = {
    sessionId: 's',
    sessionName: 'api',
    pid: 42,
    ended: false,
    enabled: true,
    sensitivity: 'normal',
    suspected: true,
    verdicts: [
      {
        metric: 'heap',
        rateBytesPerSec: 50_000,
        confidence: 0.995,
        since: 0,
        t: 1,
        baselineBytes: 12e6,
        points: [],
        state: 'suspected',
        forecast: null,
        forecastText: '',
      },
    ],
    cleared: [],
    suspects: Array.from({ length: 14 }, (_, i) => ({
      key: `f:${i}`,
      rank: i + 1,
      file: '/app/orders.js',
      line: 10 + i,
      column: 5,
      function: 'remember',
      className: i === 0 ? 'Order' : null,
      liveBytes: 2e6,
      growthBytesPerSec: 40_000,
      confidence: 0.99,
      metric: 'heap' as const,
      since: 0,
      lineSource: 'allocation' as const,
      stack: [{ function: 'remember', file: '/app/orders.js', line: 10, column: 5, note: 'allocation' }],
    })) as LeakReportView['suspects'],
    hunt: null,
    retainers: [
      {
        key: 'k',
        rank: 1,
        path: 'registry (Array) in module orders.js',
        kind: 'array',
        file: '/app/orders.js',
        line: 17,
        count: 5000,
        countGrowthPerSec: 12.5,
        retainedBytes: 3_400_000,
        keepsClass: 'Order\u202e',
        keepsConstructor: null,
      },
    ],
    retainerProbe: { state: 'done', heapBytes: 20e6, limitBytes: 256e6, estimatedPauseMs: 300, error: null },
    profilerNote: null,
    overheadPercent: 0.42,
    updatedAt: 0,
  };

  it('a leak verdict with rate, confidence and baseline; at most ten sites; the hunt suggested', () => {
    const text = leakReportText(report);
    assert.match(
      text,
      /Verdict: LEAK SUSPECTED in JS heap: \+3\.0 MB\/min since 1970-01-01T00:00:00\.000Z, confidence 100 %, post-GC baseline 12\.0 MB/,
    );
    assert.match(text, /Allocation sites whose live memory grows \(top 10 of 14\):/);
    assert.match(
      text,
      /^1\. \/app\/orders\.js:10:5 in remember \(class Order\): \+2\.4 MB\/min, 2\.0 MB live \(sampled\), confidence 99 %$/m,
    );
    assert.match(text, /^10\. /m);
    assert.doesNotMatch(text, /^11\. /m);
    assert.match(text, /cost 0\.42 % of one core/);
    assert.match(text, /No Hunt Leak yet/);
  });

  it('names what keeps the leak, with the line to fix, and escapes heap names', () => {
    const text = leakReportText(report);
    assert.match(
      text,
      /^1\. registry \(Array\) in module orders\.js \(array\) at \/app\/orders\.js:17: 5000 entries, \+12\.5 entries\/s, retains 3\.4 MB, keeps Order/m,
    );
    assert.doesNotMatch(text, /\u202e/);
    const over = leakReportText({
      ...report,
      retainers: [],
      retainerProbe: {
        state: 'over-limit',
        heapBytes: 600e6,
        limitBytes: 256e6,
        estimatedPauseMs: 75_000,
        error: null,
      },
    });
    assert.match(
      over,
      /not searched automatically: the heap \(600 MB\) is above the snapshot limit of 256 MB; a snapshot would pause the program for about 75 s/,
    );
  });

  it('answers are bounded', () => {
    const long = Array.from({ length: 5000 }, (_, i) => `line ${i}`).join('\n');
    const cut = bounded(long);
    assert.ok(cut.length <= MAX_TOOL_TEXT, `${cut.length}`);
    assert.match(cut, /… \(cut at 16000 characters; ask for fewer rows\)$/);
    assert.equal(bounded('short'), 'short');
  });
});
