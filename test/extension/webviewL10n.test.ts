// Localization of the webviews' own text: the page the extension builds carries the bundle VS Code loaded
// (data-l10n on #app, no inline script under the CSP), and the real webview bundles, rendered in Chromium, show
// their text from that bundle (compare view: headings, table labels, verdict; the other three: headings and tabs),
// with English when there is none.
import { fake, Uri } from './withFakeVscode';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, noChromium } from '../helpers/chromium';
import type * as vscode from 'vscode';
import { comparisonMessage } from '../../src/extension/compare/comparisonView';
import { loadAnyRecording } from '../../src/extension/compare/exportedRecording';
import { toJson } from '../../src/extension/monitoring/recordingExport';
import { webviewHtml } from '../../src/extension/panel/webviewHtml';
import { memorySample } from '../helpers/samples';
import { extensionRoot } from './testContext';

const root = path.join(__dirname, '../..');
const bundle = JSON.parse(readFileSync(path.join(root, 'l10n/bundle.l10n.json'), 'utf8')) as Record<string, string>;
// A pseudo-translation of every string: «…» around the English, placeholders kept.
const pseudo = Object.fromEntries(Object.keys(bundle).map((k) => [k, `«${k}»`]));
const webview = { cspSource: 'vscode-resource:', asWebviewUri: (u: Uri) => u } as unknown as vscode.Webview;

/** The #app element of the page the extension builds for the compare view, with the given loaded bundle. */
function appElement(loaded: Record<string, string> | undefined): string {
  fake.l10nBundle = loaded;
  try {
    const html = webviewHtml(webview, Uri.file(extensionRoot) as unknown as vscode.Uri, 'compare', 'Compare');
    const app = /<div id="app"[^>]*><\/div>/.exec(html);
    assert.ok(app, 'the page has #app');
    return app[0];
  } finally {
    fake.l10nBundle = undefined;
  }
}

describe('webview localization', () => {
  it('the page carries VS Code’s bundle as an escaped JSON attribute, and nothing for English', () => {
    assert.doesNotMatch(appElement(undefined), /data-l10n/);
    const withBundle = appElement({ Summary: '"<Zusammenfassung>" & \'so\'' });
    assert.doesNotMatch(withBundle.slice(withBundle.indexOf('data-l10n')), /[<>]Zus|"<|& /);
    const attr = /data-l10n="([^"]*)"/.exec(withBundle)?.[1] ?? '';
    const decoded = attr.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));
    assert.deepEqual(JSON.parse(decoded), { Summary: '"<Zusammenfassung>" & \'so\'' });
  });

  describe('in Chromium, the compare view', { skip: noChromium }, () => {
    let browser: Browser | undefined;
    let script = '';
    const scripts: Record<string, string> = {};
    let message: unknown;
    const dir = mkdtempSync(path.join(tmpdir(), 'memmon-webview-l10n-'));

    before(async () => {
      for (const name of ['monitor', 'snapshot', 'leakReport']) {
        const other = await build({
          entryPoints: [path.join(root, `webview/src/${name}.main.ts`)],
          bundle: true,
          write: false,
          format: 'iife',
          platform: 'browser',
          loader: { '.css': 'text' },
          logLevel: 'silent',
        });
        scripts[name] = other.outputFiles[0]!.text;
      }
      const out = await build({
        entryPoints: [path.join(root, 'webview/src/compare.main.ts')],
        bundle: true,
        write: false,
        format: 'iife',
        platform: 'browser',
        loader: { '.css': 'text' },
        logLevel: 'silent',
      });
      script = out.outputFiles[0]!.text;
      const recording = (growth: number) =>
        toJson({
          session: 'run',
          pid: 7,
          samples: Array.from({ length: 20 }, (_, i) =>
            memorySample({ t: 1e6 + i * 1000, pid: 7, heapUsed: 1e7 + i * growth, heapTotal: 2e7, rss: 4e7 }),
          ),
          gcs: [],
          alerts: [],
        });
      writeFileSync(path.join(dir, 'a.json'), recording(0));
      writeFileSync(path.join(dir, 'b.json'), recording(1e6));
      message = comparisonMessage(
        await loadAnyRecording(path.join(dir, 'a.json')),
        await loadAnyRecording(path.join(dir, 'b.json')),
        ['a.json', 'b.json'],
      );
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu'],
      });
    });
    after(async () => {
      await browser?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    /** Renders the real compare bundle in a page whose #app is the extension's, and returns what it shows. */
    async function render(loaded: Record<string, string> | undefined) {
      const page = await browser!.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      try {
        await page.setContent(`<!doctype html><html><body>${appElement(loaded)}</body></html>`);
        await page.addScriptTag({
          content: 'window.acquireVsCodeApi = () => ({ postMessage() {}, getState() {}, setState() {} });',
        });
        await page.addScriptTag({ content: script });
        await page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
        const ready = await page
          .waitForSelector('#app[data-ready="true"]', { state: 'attached', timeout: 10_000 })
          .then(
            () => true,
            () => false,
          );
        assert.deepEqual(errors, [], 'no page errors');
        assert.ok(ready, 'the view rendered the comparison');
        return (await page.evaluate(`({
          heading: document.querySelector('#app h3')?.textContent,
          verdict: document.getElementById('verdict')?.textContent,
          columns: [...document.querySelectorAll('#summary-table thead th')].map((e) => e.textContent),
          rows: [...document.querySelectorAll('#summary-table tbody th')].map((e) => e.textContent),
          chart: document.getElementById('overlay')?.getAttribute('aria-label'),
        })`)) as { heading: string; verdict: string; columns: string[]; rows: string[]; chart: string };
      } finally {
        await page.close();
      }
    }

    it('shows English without a bundle', async () => {
      const shown = await render(undefined);
      assert.equal(shown.heading, 'Summary');
      assert.match(shown.verdict, /^⚠ B is worse than A beyond the 10 % tolerance \(/);
      assert.deepEqual(shown.columns, ['', 'A (baseline)', 'B', 'B − A', 'Check']);
      assert.equal(shown.rows[0], 'Duration');
      assert.equal(shown.rows.at(-1), 'Highest alert level');
    });

    it('shows the pseudo-translation the extension passed, placeholders filled', async () => {
      const shown = await render(pseudo);
      assert.equal(shown.heading, '«Summary»');
      assert.match(shown.verdict, /^«⚠ B is worse than A beyond the 10 % tolerance \(.+\)\.»$/);
      assert.deepEqual(shown.columns, ['', '«A (baseline)»', 'B', 'B − A', '«Check»']);
      assert.equal(shown.rows[0], '«Duration»');
      assert.equal(shown.rows.at(-1), '«Highest alert level»');
      assert.match(shown.chart, /^«Heap used and RSS/);
    });

    it('the monitor panel, snapshot viewer and leak report build their static text from the bundle too', async () => {
      const headings: Record<string, string> = {
        monitor: `[...document.querySelectorAll('vscode-tab-header')].map((e) => e.textContent).join('|')`,
        snapshot: `document.querySelector('h1').textContent + '|' + [...document.querySelectorAll('vscode-tab-header')].map((e) => e.textContent).join('|')`,
        leakReport: `[...document.querySelectorAll('h2')].map((e) => e.textContent).join('|')`,
      };
      const expected: Record<string, string[]> = {
        monitor: ['Chart', 'Table', 'Alerts', 'Diagnostics'],
        snapshot: ['Heap snapshot', 'Summary', 'Dominator tree', 'Containment', 'Comparison', 'Statistics'],
        leakReport: ['Suspected allocation sites (top first)', 'Retainers from the last snapshot comparison'],
      };
      for (const [name, code] of Object.entries(headings)) {
        for (const loaded of [undefined, pseudo]) {
          const page = await browser!.newPage();
          const errors: string[] = [];
          page.on('pageerror', (e) => errors.push(e.message));
          try {
            await page.setContent(`<!doctype html><html><body>${appElement(loaded)}</body></html>`);
            await page.addScriptTag({
              content: 'window.acquireVsCodeApi = () => ({ postMessage() {}, getState() {}, setState() {} });',
            });
            await page.addScriptTag({ content: scripts[name]! });
            const shown = ((await page.evaluate(code)) as string).split('|');
            assert.deepEqual(errors, [], `${name}: no page errors`);
            for (const text of expected[name]!)
              assert.ok(shown.includes(loaded ? `«${text}»` : text), `${name} shows ${text}: ${shown.join(', ')}`);
          } finally {
            await page.close();
          }
        }
      }
    });
  });
});
