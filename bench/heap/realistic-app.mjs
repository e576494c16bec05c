// A program shaped like a real Node.js service, used to produce benchmark heap snapshots:
// many real npm modules loaded and used (TypeScript ASTs, cheerio DOMs, ajv validators, markdown-it, lodash…),
// plus a domain model grown to a target heap size: class instances, closures, Maps/Sets, strings, Buffers, arrays.
// Usage: node --inspect=127.0.0.1:0 bench/heap/realistic-app.mjs --heap-mb 300
// Prints `READY <heapUsed>` on stdout when the heap has reached its size, then idles until killed.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { readFileSync } from 'node:fs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, 'package.json'));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const targetHeap = Number(arg('heap-mb', '60')) * 1048576;

/** Loads a module when present; the app only needs a good number of them, not every one. */
const optional = (name) => {
  try {
    return require(name);
  } catch {
    return undefined;
  }
};

// TypeScript and playwright-core are left out on purpose: with either loaded, V8 (Node 20) spends 20-60 s in
// takeHeapSnapshot even on a 20 MB heap, which would make the benchmark measure V8 rather than the analysers.
const libs = {
  cheerio: optional('cheerio'),
  Ajv: optional('ajv'),
  MarkdownIt: optional('markdown-it'),
  lodash: optional('lodash'),
  semver: optional('semver'),
  commander: optional('commander'),
  ws: optional('ws'),
  cri: optional('chrome-remote-interface'),
  esbuild: optional('esbuild'),
  undici: optional('undici'),
  htmlparser2: optional('htmlparser2'),
  fastGlob: optional('fast-glob'),
  chart: optional('chart.js'),
};
globalThis.__libs = libs;

// Library-owned data, as a service would hold it: parsed sources, DOMs, compiled validators, rendered docs.
const libraryState = { sources: [], doms: [], validators: [], docs: [] };
globalThis.__libraryState = libraryState;
libraryState.sources.push(readFileSync(path.join(root, 'src/core/inspector/connection.ts'), 'utf8'));
for (let i = 0; i < 200 && libs.cheerio; i++) {
  libraryState.doms.push(
    libs.cheerio.load(
      `<ul id="l${i}">${Array.from({ length: 30 }, (_, k) => `<li class="c${k % 5}" data-k="${k}">item ${i}-${k}</li>`).join('')}</ul>`,
    ),
  );
}
if (libs.Ajv) {
  const ajv = new (libs.Ajv.default ?? libs.Ajv)({ allErrors: true });
  for (let i = 0; i < 60; i++) {
    libraryState.validators.push(
      ajv.compile({
        $id: `s${i}`,
        type: 'object',
        properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: i } },
        required: ['sku'],
      }),
    );
  }
}
if (libs.MarkdownIt) {
  const md = new libs.MarkdownIt();
  for (let i = 0; i < 300; i++)
    libraryState.docs.push(md.render(`# Doc ${i}\n\n- a *${i}*\n- b \`code ${i}\`\n\n[link](http://x/${i})`));
}

// The domain model that grows.
class Customer {
  constructor(id) {
    this.id = id;
    this.name = `customer-${id}-${(id * 2654435761) % 1e9}`;
    this.email = `c${id}@example.test`;
    this.orders = [];
    this.tags = new Set([`tier-${id % 4}`, `region-${id % 11}`]);
  }
}
class LineItem {
  constructor(sku, qty, price) {
    this.sku = sku;
    this.qty = qty;
    this.price = price;
  }
}
class Order {
  constructor(id, customer) {
    this.id = id;
    this.customer = customer;
    this.items = [];
    this.createdAt = new Date(1_700_000_000_000 + id * 1000);
    this.meta = { source: id % 3 ? 'web' : 'api', attempt: id % 5, note: id % 7 ? null : `note for ${id}` };
  }
}
class Session {
  constructor(id, customer) {
    this.id = `sess-${id.toString(36)}`;
    this.customer = customer;
    this.listeners = [];
    this.buffer = Buffer.alloc(64 + (id % 64), id % 256);
    // A closure per session, capturing its context, as event handlers do.
    this.listeners.push((event) => `${this.id}:${event}:${customer.name}`);
  }
}
class LruCache {
  constructor() {
    this.map = new Map();
  }
  set(k, v) {
    this.map.set(k, v);
  }
}

const state = {
  customers: [],
  sessions: new Map(),
  orderIndex: new Map(),
  skuSet: new Set(),
  cache: new LruCache(),
  log: [],
  handlers: [],
  typed: [],
};
globalThis.__app = state;

let n = 0;
function grow(batch) {
  for (let i = 0; i < batch; i++, n++) {
    const c = new Customer(n);
    state.customers.push(c);
    for (let o = 0; o < 3; o++) {
      const order = new Order(n * 3 + o, c);
      for (let k = 0; k < 3; k++) {
        const sku = `SKU-${(n * 7 + k) % 50_000}`;
        state.skuSet.add(sku);
        order.items.push(new LineItem(sku, 1 + (k % 4), 9.99 + k));
      }
      c.orders.push(order);
      state.orderIndex.set(order.id, order);
    }
    if (n % 2 === 0) state.sessions.set(n, new Session(n, c));
    if (n % 3 === 0) state.cache.set(`k:${n}`, { sku: `SKU-${n}`, qty: n % 9, price: n / 100 });
    if (n % 5 === 0)
      state.log.push(`${new Date(1_700_000_000_000 + n).toISOString()} GET /api/orders/${n} 200 ${n % 300}ms`);
    if (n % 50 === 0)
      state.handlers.push(
        (
          (captured) => () =>
            captured.length
        )(state.log),
      );
    if (n % 400 === 0) state.typed.push(new Float64Array(256).fill(n));
  }
}

while (process.memoryUsage().heapUsed < targetHeap) grow(5000);
globalThis.gc?.();
process.stdout.write(`READY ${process.memoryUsage().heapUsed}\n`);
setInterval(() => undefined, 1 << 30);
