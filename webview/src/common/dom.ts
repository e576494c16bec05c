// DOM helpers that never interpret strings as HTML: heap strings and session names are untrusted.

import { escapeInvisible, splitInvisible } from '../../../src/core/format';
import baseCss from './base.css';

type Attrs = Record<string, string | number | boolean | undefined>;

/**
 * Creates an element with attributes and children; string children become text nodes (bidi controls and zero-width
 * characters shown as muted `\u202E` escapes, see `safeText`), and shown attribute values get the same escapes.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs,
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Attrs, ...children: (Node | string | null | undefined)[]): HTMLElement;
export function h(tag: string, attrs: Attrs = {}, ...children: (Node | string | null | undefined)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k.startsWith('on')) throw new Error('use addEventListener');
    // Shown attributes (title, aria-label…) get the escapes; data-* ones are matched against, never shown.
    e.setAttribute(k, v === true ? '' : k.startsWith('data-') ? String(v) : escapeInvisible(String(v)));
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(typeof c === 'string' ? safeText(c) : c);
  return e;
}

/**
 * Untrusted text as DOM nodes that cannot reorder or hide what surrounds them: each run of bidi controls or
 * zero-width characters becomes its escape (`\u202E`) in a muted `escaped-char` span.
 */
export function safeText(text: string): Node {
  const runs = splitInvisible(text);
  if (runs.length === 1 && !runs[0].escaped) return document.createTextNode(text);
  const fragment = document.createDocumentFragment();
  for (const run of runs) {
    if (!run.escaped) {
      fragment.append(document.createTextNode(run.text));
      continue;
    }
    const span = document.createElement('span');
    span.className = 'escaped-char';
    span.title = 'an invisible or text-reordering character, shown escaped';
    span.textContent = run.text;
    fragment.append(span);
  }
  return fragment;
}

/**
 * Applies the shared base stylesheet (once) and then a view's own, through adoptedStyleSheets (allowed by our CSP,
 * unlike inline style elements).
 */
export function adoptStyles(css: string): void {
  const sheets = [css];
  if (!baseAdopted) sheets.unshift(baseCss);
  baseAdopted = true;
  document.adoptedStyleSheets = [
    ...document.adoptedStyleSheets,
    ...sheets.map((text) => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(text);
      return sheet;
    }),
  ];
}
let baseAdopted = false;

/** Reads a VS Code theme colour (CSS variable) with a fallback. */
export function themeColor(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/** Local time of day, e.g. `14:03:27`. */
export function timeOfDay(t: number): string {
  return new Date(t).toLocaleTimeString(undefined, { hour12: false });
}

/** `fn` run at most once per animation frame however often the returned function is called before it. */
export function oncePerFrame(fn: () => void): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      fn();
    });
  };
}
