// Renders the Marketplace icon (media/icon.png, 128×128) from the SVG below with headless Chromium (playwright-core).
// Usage: node scripts/make-icon.mjs   (commit the PNG; rerun only when the drawing changes)
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const SIZE = 128;

// A memory chip whose die shows a rising heap line with a GC drop and a leak marker.
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 128 128">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#2b3a55"/><stop offset="1" stop-color="#16202f"/>
    </linearGradient>
    <linearGradient id="fill" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#3794ff" stop-opacity="0.55"/><stop offset="1" stop-color="#3794ff" stop-opacity="0.05"/>
    </linearGradient>
  </defs>
  <rect x="4" y="4" width="120" height="120" rx="22" fill="url(#bg)"/>
  <g stroke="#8aa4c8" stroke-width="5" stroke-linecap="round">
    ${[38, 56, 74, 92].map((x) => `<line x1="${x}" y1="14" x2="${x}" y2="24"/><line x1="${x}" y1="104" x2="${x}" y2="114"/>`).join('')}
    ${[38, 56, 74, 92].map((y) => `<line x1="14" y1="${y}" x2="24" y2="${y}"/><line x1="104" y1="${y}" x2="114" y2="${y}"/>`).join('')}
  </g>
  <rect x="26" y="26" width="76" height="76" rx="10" fill="#0e1520" stroke="#8aa4c8" stroke-width="3"/>
  <path d="M34 86 L46 76 L56 79 L66 64 L70 80 L80 60 L94 40 L94 94 L34 94 Z" fill="url(#fill)"/>
  <polyline points="34,86 46,76 56,79 66,64 70,80 80,60 94,40" fill="none" stroke="#3794ff" stroke-width="5" stroke-linejoin="round" stroke-linecap="round"/>
  <circle cx="94" cy="40" r="7" fill="#e8a03a" stroke="#0e1520" stroke-width="2.5"/>
</svg>`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless'] });
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  const png = await page.locator('svg').screenshot({ omitBackground: true });
  const out = path.join(root, 'media', 'icon.png');
  writeFileSync(out, png);
  console.log(`make-icon: ${path.relative(root, out)} (${png.length} bytes)`);
} finally {
  await browser.close();
}
