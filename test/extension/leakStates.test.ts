// Issue 12 §2/§4 in the editor: the LeakController follows the core's verdict states (suspected → confirmed, or
// cleared once growth stopped) and carries each verdict's forecast to the status-bar tooltip, the notification, the
// flags, the Leak Report, its Markdown export and the language-model tool text. The core's VerdictTracker and
// forecast are real; only the debuggee side of the LeakMonitor is replaced (fed baselines by the test).
import { fake } from './withFakeVscode';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { after, before, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { formatForecast, forecastLeak } from '../../src/core/leak/forecast';
import { LeakDetector } from '../../src/core/leak/detector';
import type { LeakMonitor, LeakMonitorOptions } from '../../src/core/leak/leakMonitor';
import type { LeakReportLine, LeakRetainer, LeakSite, LeakVerdict } from '../../src/core/leak/types';
import { VerdictTracker } from '../../src/core/leak/verdictState';
import type { SeriesPoint } from '../../src/core/leak/stats';
import { LeakController } from '../../src/extension/leaks/leakController';
import { LEAK_DIAGNOSTIC_CODE, LeakFlags, RETAINER_DIAGNOSTIC_CODE } from '../../src/extension/leaks/leakFlags';
import { LeakNotifier } from '../../src/extension/leaks/leakNotifier';
import {
  hoverMarkdown,
  notificationText,
  reportMarkdown,
  statusTooltipMarkdown,
} from '../../src/extension/leaks/leakText';
import { leakReportText } from '../../src/extension/lmTools/toolText';
import type { MarkerView } from '../../src/shared/protocol';
import { testContext } from './testContext';

const FILE = '/app/shop.js';
const MB = 1e6;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const RATE = 1 * MB; // bytes/s of post-GC growth
const THRESHOLDS = { criticalBytes: 1000 * MB, emergencyBytes: 2000 * MB };

const site: LeakSite = {
  file: FILE,
  line: 8,
  column: 5,
  function: 'Order',
  liveBytes: 12 * MB,
  growthBytesPerSec: RATE,
  lineSource: 'allocation',
};
const holder: LeakRetainer = {
  path: 'orders (Array) in module shop.js',
  kind: 'array',
  file: FILE,
  line: 20,
  count: 900,
  countGrowthPerSec: 10,
  retainedBytes: 30 * MB,
};

/**
 * The core monitor's editor-facing surface with a real VerdictTracker and real forecasts; the test feeds it what
 * the forced-GC cycle would (a verdict from the trend test, or none, and the baselines), as LeakMonitor.judge does.
 */
class ScriptedLeakMonitor extends EventEmitter {
  readonly tracker = new VerdictTracker(new LeakDetector('normal').settings);
  readonly detector = { points: () => [] as SeriesPoint[] };
  verdicts: LeakReportLine[] = [];
  readonly thresholds: { criticalBytes: number; emergencyBytes: number };
  /** The figure alert levels compare (max of RSS and heapUsed), bytes. */
  levelBytes = 400 * MB;
  disposed = false;

  constructor(options: LeakMonitorOptions) {
    super();
    this.thresholds = options.thresholds ?? THRESHOLDS;
  }
  async start(): Promise<void> {}
  async dispose(): Promise<void> {
    this.disposed = true;
  }
  setRetainerSnapshotLimit(): void {}
  currentSites(): LeakSite[] {
    return this.verdicts.length ? [site] : [];
  }
  get currentRetainers(): LeakRetainer[] {
    return this.verdicts.length ? [holder] : [];
  }
  retainerStatus() {
    return { state: 'done' as const, heapBytes: 300 * MB, limitBytes: 256 * MB, estimatedPauseMs: 200, error: null };
  }
  overhead() {
    return { percent: 0.3 };
  }

  /** One evaluation at `t`: `growing` = the trend test holds (a verdict at baseline `baselineBytes`). */
  judge(t: number, growing: boolean, baselineBytes: number, points: SeriesPoint[]): void {
    const verdicts: LeakVerdict[] = growing
      ? [
          {
            metric: 'heap',
            rateBytesPerSec: RATE,
            confidence: 0.99,
            since: T0,
            t,
            baselineBytes,
            growthBytes: baselineBytes - points[0].v,
            evidence: { points: points.map((p) => [p.t, p.v]), pValue: 0.001, recentRateBytesPerSec: RATE },
          },
        ]
      : [];
    const changes = this.tracker.update(t, verdicts, () => points);
    const byMetric = new Map(this.verdicts.map((l) => [l.metric, l]));
    for (const st of this.tracker.standing)
      if (verdicts.includes(st.verdict))
        byMetric.set(st.verdict.metric, {
          type: 'leak',
          t,
          pid: 4242,
          metric: 'heap',
          rateBytesPerSec: st.verdict.rateBytesPerSec,
          confidence: st.verdict.confidence,
          since: st.verdict.since,
          sites: [site],
          retainers: [holder],
          state: st.state,
          forecast: forecastLeak({
            metric: 'heap',
            rateBytesPerSec: st.verdict.rateBytesPerSec,
            levelBytes: this.levelBytes,
            heapBytes: baselineBytes,
            thresholds: this.thresholds,
            heapLimitBytes: 2100 * MB,
          }),
        });
    this.verdicts = this.tracker.standing.map((st) => byMetric.get(st.verdict.metric)!).filter(Boolean);
    for (const c of changes)
      this.emit(c.kind === 'cleared' ? 'leak-cleared' : 'leak', c.kind === 'cleared' ? c.cleared : c.standing);
  }
}

/** The SessionMonitor surface the controller reads: identity, events, markers. */
class FakeSession {
  readonly id = 'shop-1';
  readonly target = { name: 'Launch shop', session: undefined };
  readonly pid = 4242;
  ended = false;
  readonly connection = {};
  readonly markers: MarkerView[] = [];
  private readonly never = new vscode.EventEmitter<never>();
  readonly onDidSample = this.never.event;
  readonly onDidAddMarker = this.never.event;
  readonly onDidAlert = this.never.event;
  readonly onDidEnd = this.never.event;
  addMarker(m: MarkerView): void {
    this.markers.push(m);
  }
  dispose(): void {}
}

/** Baselines every 3 s from `from` to `to` (ms), growing at `rate` bytes/s from `start` bytes at `from`. */
function baselines(from: number, to: number, start: number, rate: number): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (let t = from; t <= to; t += 3000) out.push({ t, v: start + (rate * (t - from)) / 1000 });
  return out;
}

describe('leak verdict states and forecasts in the editor', () => {
  const ctx = testContext();
  const session = new FakeSession();
  let leak: ScriptedLeakMonitor | undefined;
  let seenOptions: LeakMonitorOptions | undefined;
  let controller: LeakController;
  const problems = () => [...(fake.diagnostics.get('memory-monitor')?.get(FILE) ?? [])];
  const warnings = () => fake.messages.filter((m) => m.level === 'warning').map((m) => m.text);
  const tooltip = () => {
    const r = controller.report(session.id);
    return r ? statusTooltipMarkdown(r, 'LINK') : '';
  };
  let grown: SeriesPoint[] = [];

  before(() => {
    fake.messages.length = 0;
    controller = ctx.store.add(
      new LeakController(ctx.registry, { ...ctx.config.current.leakDetection, enabled: true }, ctx.log, {
        thresholds: () => THRESHOLDS,
        createMonitor: (_conn, options) => {
          seenOptions = options;
          leak = new ScriptedLeakMonitor(options);
          return leak as unknown as LeakMonitor;
        },
      }),
    );
    ctx.store.add(new LeakFlags(controller));
    ctx.store.add(new LeakNotifier(controller));
    ctx.registry.add(session as unknown as Parameters<typeof ctx.registry.add>[0], true);
  });
  after(() => ctx.store.dispose());

  it('starts detection with the thresholds the forecast counts down to', () => {
    assert.ok(leak, 'a core monitor was made for the live session');
    assert.deepEqual(seenOptions?.thresholds, THRESHOLDS);
    assert.equal(controller.report(session.id)?.suspected, false);
  });

  it('a raised verdict is "suspected", with its forecast in the tooltip, notification, report and tool text', () => {
    grown = baselines(T0, T0 + 21_000, 300 * MB, RATE);
    leak!.judge(T0 + 21_000, true, grown.at(-1)!.v, grown);
    const r = controller.report(session.id)!;
    assert.equal(r.suspected, true);
    assert.deepEqual(
      r.verdicts.map((v) => v.state),
      ['suspected'],
    );
    // 400 MB now at 1 MB/s: 1000 MB in 600 s; the heap (321 MB post-GC) reaches the 2100 MB limit in ~1779 s.
    const v = r.verdicts[0];
    assert.deepEqual(v.forecast, { criticalInSec: 600, emergencyInSec: 1600, heapLimitInSec: 1779 });
    assert.equal(v.forecastText, formatForecast(v.forecast!, THRESHOLDS));
    assert.equal(v.forecastText, 'reaches 1000 MB in ~10 min, 2000 MB in ~27 min, the heap limit in ~30 min');

    const tip = tooltip();
    assert.match(tip, /^\*\*⚠ Leak suspected:\*\* JS heap \+60\.0 MB\/min/);
    assert.ok(tip.includes('At this rate memory reaches 1000 MB in \\~10 min'), tip);
    assert.ok(tip.includes('Kept by orders \\(Array\\) in module shop\\.js (shop\\.js:20)'), tip);

    assert.equal(warnings().length, 1);
    assert.match(
      warnings()[0],
      /^Memory LEAK SUSPECTED in "Launch shop": JS heap grows \+60\.0 MB\/min; top suspect shop\.js:8\. At this rate memory reaches 1000 MB in ~10 min/,
    );

    const md = reportMarkdown(r);
    assert.match(md, /- \*\*Leak suspected\*\* in JS heap: .*At this rate memory reaches 1000 MB in \\~10 min/);
    assert.match(
      leakReportText(r),
      /Verdict: LEAK SUSPECTED in JS heap: .* Forecast: At this rate memory reaches 1000 MB in ~10 min, 2000 MB in ~27 min, the heap limit in ~30 min\./,
    );

    assert.deepEqual(
      problems().map((d) => d.code),
      [LEAK_DIAGNOSTIC_CODE, RETAINER_DIAGNOSTIC_CODE],
    );
    assert.match(session.markers.at(-1)!.label, /^leak suspected \(heap/);
    const hover = hoverMarkdown(r.suspects[0], r, { showReport: 'R', huntLeak: 'H', takeSnapshot: 'S' }, T0 + 21_000);
    assert.match(hover, /- Forecast: At this rate memory reaches 1000 MB in \\~10 min/);
    assert.doesNotMatch(hover, /confirmed/);
  });

  it('growth that went on confirms it: worded more strongly, still one notification', () => {
    const more = baselines(T0, T0 + 45_000, 300 * MB, RATE);
    leak!.judge(T0 + 45_000, true, more.at(-1)!.v, more);
    grown = more;
    const r = controller.report(session.id)!;
    assert.deepEqual(
      r.verdicts.map((v) => v.state),
      ['confirmed'],
    );
    assert.match(tooltip(), /^\*\*⚠ Leak confirmed:\*\*/);
    assert.match(
      hoverMarkdown(r.suspects[0], r, { showReport: 'R', huntLeak: 'H', takeSnapshot: 'S' }),
      /confidence 99 % \(confirmed: growth went on\)/,
    );
    assert.match(reportMarkdown(r), /- \*\*Leak confirmed\*\* in JS heap/);
    assert.match(leakReportText(r), /Verdict: LEAK CONFIRMED \(growth went on after it was suspected\)/);
    assert.match(notificationText(r.sessionName, r), /^Memory LEAK CONFIRMED in "Launch shop"/);
    assert.equal(warnings().length, 1, 'no second notification for the same suspicion');
  });

  it('a cleared verdict leaves the status bar, removes the flags and is listed as cleared, not standing', () => {
    // The heap stays flat for the settle span (20 s at this rate): the tracker withdraws the verdict.
    const top = grown.at(-1)!.v;
    const flat = [...grown, ...baselines(T0 + 48_000, T0 + 72_000, top, 0)];
    leak!.judge(T0 + 72_000, false, top, flat);
    const r = controller.report(session.id)!;
    assert.equal(r.suspected, false);
    assert.deepEqual(r.verdicts, []);
    assert.equal(r.cleared.length, 1);
    assert.equal(r.cleared[0].state, 'confirmed');
    assert.match(r.cleared[0].reason, /^growth stopped: post-GC heap flat for \d+ s/);

    assert.equal(tooltip(), '', 'the status bar leaves its "leak suspected" state');
    assert.equal(controller.isSuspected(session.id), false);
    assert.deepEqual(problems(), [], 'allocation and keeps flags removed');

    const md = reportMarkdown(r);
    assert.match(md, /No leak suspected now \(earlier verdicts were cleared, see below\)\./);
    assert.ok(
      md.includes(
        '## Cleared verdicts (growth stopped: not standing leaks)\n\n- JS heap \\(was confirmed, \\+60\\.0 MB/min\\) cleared at 2026\\-01\\-01T12:01:12\\.000Z: growth stopped',
      ),
      md,
    );
    assert.doesNotMatch(md, /\*\*Leak (suspected|confirmed)\*\*/);
    const text = leakReportText(r);
    assert.match(text, /Verdict: no leak suspected .*earlier verdicts were cleared/);
    assert.match(text, /Cleared \(not a standing leak\): JS heap \(was confirmed/);
    assert.match(session.markers.at(-1)!.label, /^leak cleared \(heap\): growth stopped/);
  });

  it('a later new suspicion notifies again', () => {
    const again = baselines(T0 + 80_000, T0 + 101_000, 400 * MB, RATE);
    leak!.judge(T0 + 101_000, true, again.at(-1)!.v, again);
    const r = controller.report(session.id)!;
    assert.deepEqual(
      r.verdicts.map((v) => v.state),
      ['suspected'],
    );
    assert.equal(r.cleared.length, 1, 'the earlier cleared verdict stays listed');
    assert.equal(warnings().length, 2);
    assert.equal(problems().length, 2);
  });

  it('says "already above" once a threshold is crossed, and nothing when the forecast is unknown', () => {
    leak!.levelBytes = 1200 * MB;
    const again = baselines(T0 + 80_000, T0 + 104_000, 400 * MB, RATE);
    leak!.judge(T0 + 104_000, true, again.at(-1)!.v, again);
    const v = controller.report(session.id)!.verdicts[0];
    assert.match(v.forecastText, /^is already above 1000 MB; reaches 2000 MB in ~13 min/);
    assert.match(tooltip(), /At this rate memory is already above 1000 MB; reaches 2000 MB/);
    const unknown = { ...controller.report(session.id)!, verdicts: [{ ...v, forecast: null, forecastText: '' }] };
    assert.doesNotMatch(statusTooltipMarkdown(unknown, 'LINK'), /At this rate/);
    assert.doesNotMatch(notificationText('x', unknown), /At this rate/);
  });
});
