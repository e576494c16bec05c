// Issue 12 in the editor: "keeps" flags at retaining lines, distinct from the allocation flags and cleared with them;
// the Leak Report's retainers, their links and the on-demand probe. Fast: fake vscode, stub controller.
import { fake, Uri } from './withFakeVscode';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { estimateSnapshotPauseMs } from '../../src/core/leak/retainerProbe';
import type { LeakRetainer } from '../../src/core/leak/types';
import { ViewTypes } from '../../src/extension/commands/commands';
import type { LeakController } from '../../src/extension/leaks/leakController';
import { LEAK_DIAGNOSTIC_CODE, LeakFlags, RETAINER_DIAGNOSTIC_CODE } from '../../src/extension/leaks/leakFlags';
import { LeakReportPanelHost, namedFiles } from '../../src/extension/leaks/leakReportPanel';
import {
  flaggedRetainers,
  MAX_RETAINER_FLAGS,
  sameRetainerFlags,
  toRetainerViews,
} from '../../src/extension/leaks/leakSuspects';
import {
  hoverMarkdown,
  reportMarkdown,
  retainerDiagnosticMessage,
  retainerHoverMarkdown,
  retainerInlineText,
  statusTooltipMarkdown,
} from '../../src/extension/leaks/leakText';
import {
  isFromLeakReportMessage,
  type LeakReportView,
  type LeakRetainerProbeView,
  type LeakRetainerView,
  type LeakSuspectView,
} from '../../src/shared/leakProtocol';
import { entryGrowthText, pauseText } from '../../src/shared/retainerText';
import { offersProbe, probeButtonText } from '../../webview/src/leakReport/retainerOffer';
import { extensionRoot } from './testContext';

const FILE = '/app/leaky-server.js';
const HOSTILE = '<img src=x onerror=alert(1)>';

const retainer = (over: Partial<LeakRetainer> = {}): LeakRetainer => ({
  path: 'cache (Map) in module leaky-server.js',
  kind: 'map',
  file: FILE,
  line: 30,
  count: 880,
  countGrowthPerSec: 2,
  retainedBytes: 3.4e6,
  ...over,
});
const suspect: LeakSuspectView = {
  key: `${FILE}:8`,
  rank: 1,
  file: FILE,
  line: 8,
  column: 5,
  function: 'LeakyOrderRecord',
  className: 'LeakyOrderRecord',
  liveBytes: 12e6,
  growthBytesPerSec: 50_000,
  confidence: 0.99,
  metric: 'heap',
  since: 0,
  lineSource: 'allocation',
  stack: [{ function: 'LeakyOrderRecord', file: FILE, line: 8, column: 5, note: 'allocating line' }],
};
const report = (over: Partial<LeakReportView> = {}): LeakReportView => ({
  sessionId: 's1',
  sessionName: 'Launch server',
  pid: 4242,
  ended: false,
  enabled: true,
  sensitivity: 'normal',
  suspected: true,
  verdicts: [
    {
      metric: 'heap',
      rateBytesPerSec: 50_000,
      confidence: 0.99,
      since: 0,
      t: 1,
      baselineBytes: 3e7,
      points: [],
      state: 'suspected',
      forecast: null,
      forecastText: '',
    },
  ],
  cleared: [],
  suspects: [suspect],
  hunt: null,
  retainers: toRetainerViews([retainer()]),
  retainerProbe: { state: 'done', heapBytes: 30e6, limitBytes: 256 * 1024 * 1024, estimatedPauseMs: 200, error: null },
  profilerNote: null,
  overheadPercent: 0.2,
  updatedAt: 1,
  ...over,
});

/** The parts of LeakController that the flags and the panel use. */
class StubController {
  readonly emitter = new vscode.EventEmitter<string>();
  readonly onDidChange = this.emitter.event;
  settings = { enabled: true, sensitivity: 'normal', keepFlagsAfterSession: false, retainerSnapshotLimitMb: 256 };
  current: LeakReportView | null = report();
  report(): LeakReportView | null {
    return this.current;
  }
  list() {
    return this.current ? [{ id: 's1', name: 'Launch server', suspected: this.current.suspected, ended: false }] : [];
  }
  set(r: LeakReportView | null): void {
    this.current = r;
    this.emitter.fire('s1');
  }
}
const asController = (c: StubController) => c as unknown as LeakController;

describe('retainer views and which lines get a "keeps" flag', () => {
  it('ranks as the core does, keys by path and line, keeps only real class names', () => {
    const views = toRetainerViews([
      retainer({ keeps: { className: 'LeakyOrderRecord', file: null, line: null } }),
      retainer({
        path: 'seen (Array)',
        kind: 'array',
        line: 12,
        keeps: { className: '{sku}', file: null, line: null },
      }),
    ]);
    assert.deepEqual(
      views.map((v) => [v.rank, v.key, v.keepsClass]),
      [
        [1, `cache (Map) in module leaky-server.js@${FILE}:30`, 'LeakyOrderRecord'],
        [2, `seen (Array)@${FILE}:12`, null],
      ],
    );
  });

  it('flags absolute files with a line, one flag per line, at most MAX_RETAINER_FLAGS', () => {
    const views = toRetainerViews([
      retainer(),
      retainer({ path: 'other (Map)' }), // same line: the first, more responsible, holder wins
      retainer({ file: null, line: null }),
      retainer({ file: 'node:internal/timers', line: 3 }),
      retainer({ line: 40 }),
      retainer({ line: 41 }),
      retainer({ line: 42 }),
    ]);
    const flagged = flaggedRetainers(views, (f) => f.startsWith('/'));
    assert.deepEqual(
      flagged.map((r) => r.line),
      [30, 40, 41],
    );
    assert.equal(flagged.length, MAX_RETAINER_FLAGS);
  });

  it('does not redraw for small growth changes, does for a new holder', () => {
    const a = toRetainerViews([retainer()]);
    assert.equal(sameRetainerFlags(a, toRetainerViews([retainer({ countGrowthPerSec: 2.3 })])), true);
    assert.equal(sameRetainerFlags(a, toRetainerViews([retainer({ countGrowthPerSec: 4 })])), false);
    assert.equal(sameRetainerFlags(a, toRetainerViews([retainer({ line: 31 })])), false);
    assert.equal(sameRetainerFlags(a, []), false);
  });
});

describe('"keeps" flag text', () => {
  const [view] = toRetainerViews([retainer()]);

  it('says what is kept where, distinct from "Suspected leak"', () => {
    assert.equal(
      retainerDiagnosticMessage(view),
      'Keeps leaked objects: cache (Map) in module leaky-server.js, +120 entries/min, 880 entries, 3.4 MB retained',
    );
    assert.equal(
      retainerInlineText(view),
      '⚠ keeps leaked objects: cache (Map) in module leaky-server.js +120 entries/min',
    );
    const [named] = toRetainerViews([
      retainer({ countGrowthPerSec: 2000, keeps: { className: 'Order', file: null, line: null } }),
    ]);
    assert.match(retainerDiagnosticMessage(named), /^Keeps leaked Order objects: .*\+2,000 entries\/s/);
  });

  it('names the constructor of the kept class when the core located it (objects made by `new C()`)', () => {
    const links = { showReport: '', huntLeak: '' };
    const [made] = toRetainerViews([retainer({ keeps: { className: 'Connection', file: '/app/conn.js', line: 4 } })]);
    assert.deepEqual(made.keepsConstructor, { file: '/app/conn.js', line: 4 });
    assert.match(
      retainerHoverMarkdown(made, report(), links),
      /- Connection objects are made by its constructor at conn\\\.js:4/,
    );
    const [shape] = toRetainerViews([retainer({ keeps: { className: '{sku}', file: '/app/conn.js', line: 4 } })]);
    assert.equal(shape.keepsConstructor, null);
    assert.doesNotMatch(retainerHoverMarkdown(shape, report(), links), /constructor/);
  });

  it('figures: growth per second or minute, the pause of two snapshots', () => {
    assert.equal(entryGrowthText(null), null);
    assert.equal(entryGrowthText(0.5), '+30 entries/min');
    assert.equal(entryGrowthText(12.4), '+12 entries/s');
    assert.equal(pauseText({ estimatedPauseMs: null }), null);
    assert.equal(pauseText({ estimatedPauseMs: 150 }), '~0.3 s');
    assert.equal(pauseText({ estimatedPauseMs: 6_000 }), '~12 s');
    assert.equal(pauseText({ estimatedPauseMs: 90_000 }), '~3 min');
  });

  it('estimates a snapshot pause from the heap size, scaled by the pauses measured in the run', () => {
    assert.equal(estimateSnapshotPauseMs(100e6), 12_000);
    assert.equal(estimateSnapshotPauseMs(400e6, [{ heapBytes: 5e6, pauseMs: 250 }]), 20_000);
  });

  it('escapes heap-derived paths in the hover, the status tooltip and the Markdown report', () => {
    const [hostile] = toRetainerViews([retainer({ path: `${HOSTILE} [x](command:evil)` })]);
    const links = { showReport: '[Show Leak Report](command:memoryMonitor.showLeakReport)', huntLeak: '' };
    const md = retainerHoverMarkdown(hostile, report(), links);
    assert.ok(!md.includes('<img'), md);
    assert.ok(!md.includes('](command:evil)'), md);
    assert.ok(md.includes('Allocated at: leaky\\-server\\.js:8'), md);
    const allocHover = hoverMarkdown(suspect, report({ retainers: [hostile] }), { ...links, takeSnapshot: '' });
    assert.ok(allocHover.includes('Kept by: &lt;img') && allocHover.includes('leaky\\-server\\.js:30'), allocHover);
    assert.ok(!allocHover.includes('](command:evil)'), allocHover);
    const tip = statusTooltipMarkdown(report({ retainers: [hostile] }), '');
    assert.ok(tip.includes('(leaky\\-server\\.js:30)'), tip);
    assert.ok(!tip.includes('<img') && !tip.includes('](command:evil)'), tip);
    const exported = reportMarkdown(report({ retainers: [hostile] }));
    assert.match(exported, /## What keeps them/);
    assert.ok(!exported.includes('<img') && !exported.includes('](command:evil)'), exported);
  });
});

describe('inline flags: "allocates here" and "kept here"', () => {
  const decorations = new Map<unknown, vscode.DecorationOptions[]>();
  const editor = {
    document: {
      uri: Uri.file(FILE),
      lineCount: 40,
      lineAt: (i: number) => ({ range: { line: i, end: { character: 30 } }, firstNonWhitespaceCharacterIndex: 2 }),
    },
    setDecorations: (type: unknown, options: vscode.DecorationOptions[]) => void decorations.set(type, options),
  };
  let controller: StubController;
  let flags: LeakFlags;
  const problems = () => [...(fake.diagnostics.get('memory-monitor')?.get(FILE) ?? [])];
  before(() => {
    (vscode.window as unknown as { visibleTextEditors: unknown[] }).visibleTextEditors = [editor];
    controller = new StubController();
    flags = new LeakFlags(asController(controller));
  });
  after(() => {
    flags.dispose();
    (vscode.window as unknown as { visibleTextEditors: unknown[] }).visibleTextEditors = [];
  });
  beforeEach(() => decorations.clear());

  it('puts a Warning on the allocating line and a distinct one on the retaining line', () => {
    controller.set(report());
    const items = problems();
    assert.deepEqual(
      items.map((d) => [d.code, (d.range as unknown as { args: number[] }).args[0] + 1, d.message.split(':')[0]]),
      [
        [LEAK_DIAGNOSTIC_CODE, 8, 'Suspected leak'],
        [RETAINER_DIAGNOSTIC_CODE, 30, 'Keeps leaked objects'],
      ],
    );
    assert.ok(items.every((d) => d.source === 'Memory Monitor' && d.severity === vscode.DiagnosticSeverity.Warning));
    // Two decoration types: the allocation flag and the "keeps" flag, each on its own line.
    const sets = [...decorations.values()];
    assert.equal(sets.length, 2);
    const texts = sets.map((o) =>
      o.map((d) => [(d.range as unknown as { line: number }).line + 1, d.renderOptions?.after?.contentText]),
    );
    assert.deepEqual(texts, [
      [[8, '⚠ leak? +3.0 MB/min LeakyOrderRecord']],
      [[30, '⚠ keeps leaked objects: cache (Map) in module leaky-server.js +120 entries/min']],
    ]);
    const hover = sets[1][0].hoverMessage as vscode.MarkdownString;
    assert.match(hover.value, /keeps leaked objects/);
    assert.deepEqual(hover.isTrusted, {
      enabledCommands: ['memoryMonitor.showLeakReport', 'memoryMonitor.huntLeak'],
    });
  });

  it('flags only the allocating line while retainers are unknown, and adds the keeps flag when they arrive', () => {
    controller.set(report({ retainers: [] }));
    assert.deepEqual(
      problems().map((d) => d.code),
      [LEAK_DIAGNOSTIC_CODE],
    );
    controller.set(report());
    assert.deepEqual(
      problems().map((d) => d.code),
      [LEAK_DIAGNOSTIC_CODE, RETAINER_DIAGNOSTIC_CODE],
    );
  });

  it('clears the keeps flags with the allocation flags (verdict withdrawn, session ended)', () => {
    controller.set(report({ suspected: false }));
    assert.deepEqual(problems(), []);
    assert.deepEqual(
      [...decorations.values()].map((o) => o.length),
      [0, 0],
    );
    controller.set(report());
    assert.equal(problems().length, 2);
    controller.set(report({ ended: true }));
    assert.deepEqual(problems(), []);
  });

  it('offers the quick fixes on a keeps flag too', () => {
    controller.set(report());
    const keeps = problems().filter((d) => d.code === RETAINER_DIAGNOSTIC_CODE);
    const actions = flags.provideCodeActions(
      {} as vscode.TextDocument,
      {} as vscode.Range,
      {
        diagnostics: keeps,
      } as unknown as vscode.CodeActionContext,
    );
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Show Leak Report', 'Hunt Leak (confirm with three heap snapshots)'],
    );
  });
});

describe('Leak Report panel: retainers, their links and the on-demand probe', () => {
  let controller: StubController;
  let host: LeakReportPanelHost;
  const extensionUri = Uri.file(extensionRoot) as unknown as vscode.Uri;
  before(() => {
    controller = new StubController();
    host = new LeakReportPanelHost(extensionUri, asController(controller));
  });
  after(() => host.dispose());

  it('sends the retainers and the probe state with the report', () => {
    host.show('s1');
    const webview = fake.panels.filter((p) => p.viewType === ViewTypes.leakReport).pop()!;
    webview.receive({ type: 'ready' });
    const sent = webview.posted.at(-1) as { type: string; report: LeakReportView };
    assert.equal(sent.type, 'report');
    assert.deepEqual(
      sent.report.retainers.map((r: LeakRetainerView) => [r.path, r.file, r.line]),
      [['cache (Map) in module leaky-server.js', FILE, 30]],
    );
    assert.equal(sent.report.retainerProbe?.state, 'done');
  });

  it('opens a retainer file named in the report, and nothing else', async () => {
    assert.ok(namedFiles(report()).has(FILE));
    assert.ok(namedFiles(report({ suspects: [] })).has(FILE), 'a retainer file alone is allowed');
    const webview = fake.panels.filter((p) => p.viewType === ViewTypes.leakReport).pop()!;
    controller.current = report({ suspects: [] });
    webview.receive({ type: 'openSource', file: FILE, line: 30, column: 1 });
    webview.receive({ type: 'openSource', file: '/etc/passwd', line: 1, column: 1 });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(fake.opened.at(-1), { file: FILE, line: 30 });
    assert.ok(fake.opened.every((o) => o.file !== '/etc/passwd'));
    assert.match(fake.messages.at(-1)?.text ?? '', /did not open "\/etc\/passwd"/);
  });

  it('runs Find What Keeps the Leak for its session, already confirmed by the button that states the pause', async () => {
    assert.equal(isFromLeakReportMessage({ type: 'findRetainers' }), true);
    const webview = fake.panels.filter((p) => p.viewType === ViewTypes.leakReport).pop()!;
    webview.receive({ type: 'findRetainers' });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(fake.executed.at(-1), { id: 'memoryMonitor.findLeakRetainers', args: ['s1', true] });
  });
});

describe('Leak Report: the offer to find what keeps the leak', () => {
  const probe = (over: Partial<LeakRetainerProbeView>): LeakRetainerProbeView => ({
    state: 'over-limit',
    heapBytes: 400e6,
    limitBytes: 256 * 1024 * 1024,
    estimatedPauseMs: 48_000,
    error: null,
    ...over,
  });

  it('is offered when no automatic snapshot will come: over the limit, failed, found nothing, or turned off', () => {
    assert.equal(offersProbe(probe({}), []), true);
    assert.equal(offersProbe(probe({ state: 'failed', error: 'x' }), []), true);
    assert.equal(offersProbe(probe({ state: 'done' }), []), true);
    assert.equal(offersProbe(probe({ state: 'done' }), toRetainerViews([retainer()])), false);
    assert.equal(offersProbe(probe({ state: 'running' }), []), false);
    assert.equal(offersProbe(probe({ state: 'idle' }), []), false);
    assert.equal(offersProbe(probe({ state: 'idle', limitBytes: 0 }), []), true);
    assert.equal(offersProbe(null, []), false);
  });

  it('states the expected pause of the two snapshots', () => {
    assert.equal(probeButtonText(probe({})), 'Find what keeps it (pauses the program ~96 s)');
    assert.equal(probeButtonText(probe({ estimatedPauseMs: null })), 'Find what keeps it (pauses the program)');
  });
});
