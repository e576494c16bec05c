// Fault suite (issue 10 item 15), in a real browser: the snapshot viewer's class and object rows and the leak report's
// suspect card, built by the webview's own code, show bidi controls and zero-width characters from the heap as muted
// `\u202E` escapes, never raw. Bundled with esbuild like the real webviews and rendered in Chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, noChromium } from '../helpers/chromium';

const ROOT = path.resolve(__dirname, '../..');
/** Bidi controls, zero-width characters and line separators: none may reach the page's text raw. */
const INVISIBLE = /[\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/;

const ENTRY = `
import { classRow, nodeRow } from './webview/src/snapshot/objectTree';
import { fileRow } from './webview/src/snapshot/sourceFileTree';
import { suspectCard } from './webview/src/leakReport/suspectView';
import { adoptStyles } from './webview/src/common/dom';
adoptStyles('');
const events = { select() {}, error() {} };
window.render = (name) => {
  const table = document.createElement('table');
  table.append(
    classRow({ name, count: 50, selfSize: 1600, retainedSize: 1600, distance: 3, key: ',' + name }, events),
    nodeRow({ id: 7, className: name, name, selfSize: 32, retainedSize: 32, distance: 3 }, 2, { name, edgeType: 'property' }, events),
    fileRow(
      { file: '/app/' + name + '/' + name + '.js', index: 0, count: 3, selfSize: 96, retainedSize: 96, distance: 2, classCount: 1, named: true },
      { view: 'all', filter: '', sort: 'retainedSize', descending: true },
      events,
    ),
  );
  const card = suspectCard(
    { key: 'a.js:1', rank: 1, file: '/app/' + name + '.js', line: 1, column: 1, function: name, className: name,
      liveBytes: 1e6, growthBytesPerSec: 1e4, confidence: 0.9, metric: 'heap', since: 0, lineSource: 'allocation',
      stack: [{ function: name, file: '/app/' + name + '.js', line: 1, column: 1 }] },
    () => {},
  );
  document.body.replaceChildren(table, card);
};
window.renderLinks = () => {
  const table = document.createElement('table');
  table.append(
    classRow({ name: 'A', count: 1, selfSize: 8, retainedSize: 8, distance: 2, key: '3,1,2,A', hasSource: true }, events),
    classRow({ name: 'B', count: 1, selfSize: 8, retainedSize: 8, distance: 2, key: ',B', hasSource: false }, events),
    nodeRow({ id: 9, className: 'A', name: 'A', selfSize: 8, retainedSize: 8, distance: 2, hasSource: true }, 2, null, events),
    nodeRow({ id: 10, className: 'B', name: 'B', selfSize: 8, retainedSize: 8, distance: 2, hasSource: false }, 2, null, events),
  );
  document.body.replaceChildren(table);
  return [...table.rows].map((r) => [r.cells.length, r.querySelectorAll('td.name a').length, r.querySelectorAll('td.source a.source-link').length]);
};
`;

let browser: Browser | undefined;
let page: Page;

before(async () => {
  const bundle = await build({
    stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    loader: { '.css': 'text' },
    logLevel: 'silent',
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  page = await browser.newPage();
  await page.addInitScript({
    content: 'window.acquireVsCodeApi = () => ({ postMessage() {}, getState() {}, setState() {} });',
  });
  await page.setContent('<!doctype html><html><body></body></html>');
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
});
after(async () => {
  await browser?.close();
});

test(
  'item 15: the snapshot viewer and leak report show a class named Ev\\u202Eil (and \\u200B, \\u2066, \\uFEFF) as muted escapes, never raw',
  { skip: noChromium },
  async () => {
    const name = 'Ev\u202eil\u200b\u2066x\ufeff';
    await page.evaluate(`window.render(${JSON.stringify(name)})`);
    // Browser code as text: this file is compiled for Node, without the DOM's types.
    const shown = (await page.evaluate(`({
      text: document.body.innerText,
      titles: [...document.querySelectorAll('[title], [aria-label]')].map(
        (e) => (e.getAttribute('title') ?? '') + ' ' + (e.getAttribute('aria-label') ?? ''),
      ),
      classCell: document.querySelector('.class-row td.name')?.textContent ?? '',
      fileCell: document.querySelector('.file-row td.name')?.textContent ?? '',
      escapes: [...document.querySelectorAll('.class-row td.name .escaped-char')].map((e) => ({
        text: e.textContent,
        opacity: Number(getComputedStyle(e).opacity),
      })),
      escapedSpans: document.querySelectorAll('.escaped-char').length,
    })`)) as {
      text: string;
      titles: string[];
      classCell: string;
      fileCell: string;
      escapes: { text: string; opacity: number }[];
      escapedSpans: number;
    };
    assert.doesNotMatch(
      shown.text,
      INVISIBLE,
      `no raw invisible character in the rendered text: ${JSON.stringify(shown.text)}`,
    );
    for (const t of shown.titles) assert.doesNotMatch(t, INVISIBLE, `attribute: ${JSON.stringify(t)}`);
    assert.equal(shown.classCell, '▸Ev\\u202Eil\\u200B\\u2066x\\uFEFF ×50');
    // The source-file row: the file's name first, its folder after it, both escaped.
    assert.equal(
      shown.fileCell,
      '▸Ev\\u202Eil\\u200B\\u2066x\\uFEFF.js /app/Ev\\u202Eil\\u200B\\u2066x\\uFEFF/ ×3 · 1 class',
    );
    // Runs of invisible characters become one muted span each.
    assert.deepEqual(
      shown.escapes.map((e) => e.text),
      ['\\u202E', '\\u200B\\u2066', '\\uFEFF'],
    );
    // Muted by the shared base stylesheet.
    for (const e of shown.escapes) assert.ok(e.opacity < 1, `escape ${e.text} has opacity ${e.opacity}`);
    // Class row, object row (edge, class, name) and the suspect card (function, class, file, stack) all escape.
    assert.ok(shown.escapedSpans >= 18, `escaped spans in the page: ${shown.escapedSpans}`);
  },
);

test(
  'Summary rows: a class or object with a script location has one source link, in its own column; others none',
  { skip: noChromium },
  async () => {
    const rows = (await page.evaluate('window.renderLinks()')) as number[][];
    assert.deepEqual(rows, [
      [6, 0, 1],
      [6, 0, 0],
      [6, 0, 1],
      [6, 0, 0],
    ]);
  },
);
