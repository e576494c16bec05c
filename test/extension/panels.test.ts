import { fake, FakeWebviewPanel, Uri } from './withFakeVscode';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { ViewTypes } from '../../src/extension/commands/commands';
import { registerRecordingComparison } from '../../src/extension/compare/compareRecordingsCommand';
import { LeakController } from '../../src/extension/leaks/leakController';
import { LeakReportPanelHost } from '../../src/extension/leaks/leakReportPanel';
import type { FeatureContext } from '../../src/extension/feature';
import { testContext } from './testContext';

const panelsOf = (viewType: string) => fake.panels.filter((p) => p.viewType === viewType);
const typesPosted = (p: FakeWebviewPanel) => p.posted.map((m) => (m as { type: string }).type);
/** The registry's change listeners (a closed panel must not stay subscribed). */
const changeListeners = (registry: object) =>
  (registry as { changeEmitter: { listenerCount: number } }).changeEmitter.listenerCount;

describe('Monitor panel: one instance owned by the extension', () => {
  let ctx: FeatureContext;
  let baseline: number;
  before(() => {
    ctx = testContext();
    baseline = changeListeners(ctx.registry);
  });
  after(() => ctx.store.dispose());

  it('is created once, then revealed', () => {
    const first = ctx.monitorPanel.show();
    const again = ctx.monitorPanel.show();
    assert.equal(again, first);
    assert.equal(panelsOf(ViewTypes.monitor).length, 1);
    assert.equal(panelsOf(ViewTypes.monitor)[0].revealCount, 1);
    assert.match(panelsOf(ViewTypes.monitor)[0].webview.html, /<script nonce="[^"]+" src="[^"]+monitor\.js">/);
  });

  it('posts nothing before the webview is ready, then its state, settings changes and the metrics URL', () => {
    const webview = panelsOf(ViewTypes.monitor)[0];
    ctx.monitorPanel.setMetricsUrl('http://127.0.0.1:9464/metrics');
    assert.deepEqual(webview.posted, []);
    webview.receive({ type: 'ready' });
    assert.deepEqual(typesPosted(webview), ['state', 'diagnostics']);
    const state = webview.posted[0] as { thresholds: { critical: number } };
    assert.equal(state.thresholds.critical, 1000e6);
    const diagnostics = webview.posted[1] as { diagnostics: { metricsUrl: string } };
    assert.equal(diagnostics.diagnostics.metricsUrl, 'http://127.0.0.1:9464/metrics');

    fake.setSetting('memoryMonitor.thresholdMb', 500);
    fake.setSetting('memoryMonitor.thresholdMb', undefined);
    const thresholds = webview.posted.filter((m) => (m as { type: string }).type === 'thresholds');
    assert.deepEqual(
      thresholds.map((m) => (m as { thresholds: { critical: number } }).thresholds.critical),
      [500e6, 1000e6],
    );
  });

  it('is forgotten when the user closes it, releases its subscriptions, and is created anew on the next show', () => {
    const closed = panelsOf(ViewTypes.monitor)[0];
    closed.dispose();
    assert.equal(ctx.monitorPanel.current, undefined);
    assert.equal(changeListeners(ctx.registry), baseline);
    const fresh = ctx.monitorPanel.show();
    assert.equal(panelsOf(ViewTypes.monitor).length, 2);
    assert.equal(ctx.monitorPanel.current, fresh);
  });

  it('is restored after a reload in place of the open one', async () => {
    const restored = new FakeWebviewPanel(ViewTypes.monitor, 'Memory Monitor');
    fake.panels.push(restored);
    await fake.serializers.items.get(ViewTypes.monitor)?.deserializeWebviewPanel(restored, undefined);
    assert.ok(panelsOf(ViewTypes.monitor)[1].disposed, 'the panel it replaces is disposed');
    restored.receive({ type: 'ready' });
    assert.equal(typesPosted(restored)[0], 'state');
  });

  it('goes with the extension', () => {
    const open = fake.panels.filter((p) => p.viewType === ViewTypes.monitor && !p.disposed);
    assert.equal(open.length, 1);
    ctx.monitorPanel.dispose();
    assert.ok(open[0].disposed);
    assert.equal(fake.serializers.items.has(ViewTypes.monitor), false);
    assert.equal(changeListeners(ctx.registry), baseline);
  });
});

describe('Leak Report panel: one instance owned by the leak feature', () => {
  let ctx: FeatureContext;
  let host: LeakReportPanelHost;
  before(() => {
    ctx = testContext();
    const controller = ctx.store.add(new LeakController(ctx.registry, ctx.config.current.leakDetection, ctx.log));
    host = ctx.store.add(new LeakReportPanelHost(ctx.extensionUri, controller));
  });
  after(() => ctx.store.dispose());

  it('is created once, sends its report when ready, and tells the webview when a hunt runs', () => {
    const panel = host.show();
    assert.equal(host.show('some-session'), panel);
    const [webview] = panelsOf(ViewTypes.leakReport);
    assert.equal(panelsOf(ViewTypes.leakReport).length, 1);
    host.busy('hunt', true);
    assert.deepEqual(webview.posted, []);
    webview.receive({ type: 'ready' });
    host.busy('hunt', true);
    assert.deepEqual(typesPosted(webview), ['report', 'busy']);
    assert.deepEqual(webview.posted[0], { type: 'report', report: null, sessions: [] });
  });

  it('is forgotten when closed, created anew, and disposed with its owner', () => {
    panelsOf(ViewTypes.leakReport)[0].dispose();
    assert.equal(host.current, undefined);
    host.busy('hunt', false);
    host.show();
    assert.equal(panelsOf(ViewTypes.leakReport).length, 2);
    host.dispose();
    assert.ok(panelsOf(ViewTypes.leakReport).every((p) => p.disposed));
    assert.equal(fake.serializers.items.has(ViewTypes.leakReport), false);
  });
});

describe('Compare Recordings panels: one per comparison, owned by the feature', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'memmon-compare-panels-'));
  const recording = (name: string, heap: number) => {
    const file = path.join(dir, name);
    const samples = [0, 1, 2, 3].map((i) => ({
      t: 1000 * i,
      heapUsed: heap + i * 1e6,
      heapTotal: 2 * heap,
      rss: 3 * heap,
    }));
    writeFileSync(file, JSON.stringify({ session: 'app', pid: 1, samples, gcs: [], alerts: [] }));
    return Uri.file(file) as unknown as vscode.Uri;
  };
  const a = recording('memory-a.json', 10e6);
  const b = recording('memory-b.json', 40e6);
  let ctx: FeatureContext;
  let commands: ReturnType<typeof registerRecordingComparison>['commands'];
  before(() => {
    ctx = testContext();
    commands = registerRecordingComparison(ctx).commands;
  });
  after(() => {
    ctx.store.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens a panel per comparison and sends the comparison once the webview is ready', async () => {
    const owned = ctx.store.size;
    await commands.compareRecordings(a, b);
    await commands.compareRecordings(b, a);
    const panels = panelsOf(ViewTypes.compareRecordings);
    assert.equal(panels.length, 2);
    assert.equal(panels[0].title, 'Compare: memory-a.json ↔ memory-b.json');
    panels[0].receive({ type: 'ready' });
    assert.deepEqual(typesPosted(panels[0]), ['comparison']);
    assert.equal((panels[0].posted[0] as { worse: boolean }).worse, true);
    assert.equal(ctx.store.size, owned, 'the panels live in one store the feature added once');
  });

  it('forgets a closed panel and closes the others with the extension', () => {
    const [first, second] = panelsOf(ViewTypes.compareRecordings);
    first.dispose();
    assert.equal(second.disposed, false);
    ctx.store.dispose();
    assert.equal(second.disposed, true);
  });

  it('tells the user, not the log only, when a recording cannot be read', async () => {
    const ctx2 = testContext();
    const missing = Uri.file(path.join(dir, 'gone.json')) as unknown as vscode.Uri;
    await registerRecordingComparison(ctx2).commands.compareRecordings(a, missing);
    ctx2.store.dispose();
    assert.match(fake.messages.at(-1)?.text ?? '', /^Cannot compare recordings: cannot read .*gone\.json/);
  });
});
