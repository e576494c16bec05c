import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  commandLink,
  diagnosticMessage,
  hoverMarkdown,
  inlineText,
  notificationText,
  reportMarkdown,
  statusTooltipMarkdown,
  suspectMarkdown,
} from '../../src/extension/leaks/leakText';
import { isFromLeakReportMessage, type LeakReportView, type LeakSuspectView } from '../../src/shared/leakProtocol';

const HOSTILE = '<img src=x onerror=alert(1)>';
const suspect = (over: Partial<LeakSuspectView> = {}): LeakSuspectView => ({
  key: '/app/orders.js:12',
  rank: 1,
  file: '/app/orders.js',
  line: 12,
  column: 5,
  function: 'Order',
  className: 'Order',
  liveBytes: 12e6,
  growthBytesPerSec: 3.2e6 / 60,
  confidence: 0.987,
  metric: 'heap',
  since: Date.UTC(2026, 0, 1, 12, 0, 0),
  lineSource: 'allocation',
  stack: [{ function: 'Order', file: '/app/orders.js', line: 12, column: 5, note: 'allocating line' }],
  ...over,
});
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
      rateBytesPerSec: 60_000,
      confidence: 0.99,
      since: Date.UTC(2026, 0, 1, 12, 0, 0),
      t: Date.UTC(2026, 0, 1, 12, 1, 0),
      baselineBytes: 30e6,
      points: [],
      state: 'suspected',
      forecast: null,
      forecastText: '',
    },
  ],
  cleared: [],
  suspects: [suspect()],
  hunt: null,
  retainers: [],
  retainerProbe: null,
  profilerNote: null,
  overheadPercent: 0.3,
  updatedAt: Date.UTC(2026, 0, 1, 12, 1, 0),
  ...over,
});

describe('leak flag text', () => {
  it('diagnostic message names the rate and the class', () => {
    assert.equal(
      diagnosticMessage(suspect()),
      'Suspected leak: +3.2 MB/min of live Order objects allocated here (12.0 MB live, 99 % confidence)',
    );
  });

  it('falls back to the function when no class is known', () => {
    const m = diagnosticMessage(
      suspect({ className: null, function: 'handleRequest', growthBytesPerSec: 1000, liveBytes: 300e3 }),
    );
    assert.equal(
      m,
      'Suspected leak: +60 kB/min of live memory allocated by handleRequest() here (300 kB live, 99 % confidence)',
    );
    assert.match(
      diagnosticMessage(suspect({ className: null, function: '(anonymous)' })),
      /by an anonymous function here/,
    );
  });

  it('inline text is short', () => {
    assert.equal(inlineText(suspect()), '⚠ leak? +3.2 MB/min Order');
  });
});

describe('escaping of debuggee names', () => {
  const hostile = suspect({
    function: HOSTILE,
    className: null,
    file: `/app/${HOSTILE}.js`,
    stack: [{ function: `[x](command:evil)`, file: `/app/${HOSTILE}.js`, line: 1, column: 1, note: 'allocating line' }],
  });

  it('hover Markdown has no raw HTML and no injected links', () => {
    const links = {
      showReport: commandLink('Show Leak Report', 'memoryMonitor.showLeakReport', ['s1']),
      huntLeak: '',
      takeSnapshot: '',
    };
    const md = hoverMarkdown(
      hostile,
      {
        sessionName: '[click](command:workbench.action.quit)',
        pid: 1,
        hunt: {
          t: 0,
          leakedCount: 1,
          leakedRetainedSize: 1,
          classes: [],
          groups: [{ name: HOSTILE, count: 3, retainedSize: 10, retainerPath: ['Map', HOSTILE] }],
        },
      },
      links,
    );
    assert.ok(!md.includes('<img'), md);
    assert.ok(!md.includes('[click](command:'), md);
    assert.ok(md.includes('&lt;img src=x onerror=alert\\(1\\)&gt;'), md);
    assert.ok(md.includes('[Show Leak Report](command:memoryMonitor.showLeakReport?%5B%22s1%22%5D)'), md);
  });

  it('Markdown export escapes names, paths and retainer paths', () => {
    const md = reportMarkdown(
      report({
        sessionName: HOSTILE,
        suspects: [hostile],
        hunt: {
          t: 0,
          leakedCount: 3,
          leakedRetainedSize: 4096,
          classes: [],
          groups: [{ name: HOSTILE, count: 3, retainedSize: 4096, retainerPath: ['(GC roots)', `${HOSTILE}.x`] }],
        },
      }),
    );
    assert.ok(!md.includes('<img'), md);
    assert.ok(!md.includes('](command:evil)'), md);
    assert.ok(!/\]\(command:/.test(suspectMarkdown(hostile)));
  });
});

describe('Markdown export', () => {
  it('lists verdicts, ranked suspects with their stacks, and the hunt', () => {
    const md = reportMarkdown(
      report({
        hunt: {
          t: 0,
          leakedCount: 80,
          leakedRetainedSize: 1.6e6,
          classes: [],
          groups: [{ name: 'Order', count: 80, retainedSize: 1.6e6, retainerPath: ['Map', 'Order'] }],
        },
      }),
    );
    assert.match(md, /^# Memory Monitor leak report — Launch server \(pid 4242\)/);
    assert.match(
      md,
      /\*\*Leak suspected\*\* in JS heap: \+3\.6 MB\/min since 2026-01-01T12:00:00\.000Z, confidence 99 %/,
    );
    assert.match(md, /### 1\. \/app\/orders\\\.js:12:5/);
    assert.match(md, /- Growth: \+3\.2 MB\/min, 12\.0 MB live/);
    assert.match(md, / {2}- Order — \/app\/orders\\\.js:12:5 \(allocating line\)/);
    assert.match(md, /- 80 × Order retaining 1\.6 MB — retained by: Map → Order/);
  });

  it('says so when nothing is suspected, or when sites are missing', () => {
    assert.match(reportMarkdown(report({ suspected: false, verdicts: [], suspects: [] })), /No leak suspected\./);
    assert.match(
      reportMarkdown(report({ suspects: [], profilerNote: 'held by DevTools' })),
      /No allocation sites: held by DevTools/,
    );
  });

  it('status tooltip and notification name the top suspect', () => {
    assert.equal(statusTooltipMarkdown(report({ suspected: false }), 'LINK'), '');
    assert.match(
      statusTooltipMarkdown(report(), 'LINK'),
      /Leak suspected:\*\* JS heap \+3\.6 MB\/min — top suspect orders\\\.js:12\n\nLINK/,
    );
    assert.equal(
      notificationText('Launch server', report()),
      'Memory LEAK SUSPECTED in "Launch server": JS heap grows +3.6 MB/min; top suspect orders.js:12.',
    );
  });
});

describe('leak report messages from the webview', () => {
  it('accepts well-formed messages and rejects the rest', () => {
    assert.equal(isFromLeakReportMessage({ type: 'ready' }), true);
    assert.equal(isFromLeakReportMessage({ type: 'openSource', file: '/a.js', line: 3, column: 1 }), true);
    assert.equal(isFromLeakReportMessage({ type: 'openSource', file: '/a.js', line: 0, column: 1 }), false);
    assert.equal(isFromLeakReportMessage({ type: 'openSource', file: '', line: 1, column: 1 }), false);
    assert.equal(isFromLeakReportMessage({ type: 'export', format: 'html' }), false);
    assert.equal(isFromLeakReportMessage({ type: 'copyMarkdown', key: null }), true);
    assert.equal(isFromLeakReportMessage({ type: 'runShell' }), false);
    assert.equal(isFromLeakReportMessage(null), false);
  });
});
