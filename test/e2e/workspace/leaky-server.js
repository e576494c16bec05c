// A small program that leaks on purpose, for the end-to-end tests of Memory Monitor.
// Every 100 ms it "handles" 30 requests and keeps a record of each forever in a module-level cache (~1 MB/s: growth
// slower than 1 MB/s must last up to 50 s before it is flagged, which would slow the end-to-end run down).

class LeakyOrderRecord {
  constructor(id) {
    this.id = id;
    this.customer = `customer-${id}`;
    this.items = Array.from({ length: 20 }, (_, i) => [`sku-${i}`, i]);
    this.payload = 'x'.repeat(2048) + id;
  }
}

class RequestContextHolder {
  constructor(record) {
    this.record = record;
    this.createdAt = Date.now();
  }
}

// Objects whose property name is HTML: their shape class holds a property named like HTML,
// which the viewer must show as text, never run. (Like DevTools, the viewer names a shape only when at least 1 in
// 1,000 plain objects has it: the order items above are arrays, not plain objects, so these 50 stay enough.)
const HOSTILE_KEY = '<img src=x onerror=alert(1)>';

const cache = new Map();
const hostile = [];
let next = 0;

function handleRequest() {
  const record = new LeakyOrderRecord(next++);
  cache.set(record.id, new RequestContextHolder(record));
  if (hostile.length < 50) hostile.push({ [HOSTILE_KEY]: { n: hostile.length }, hostileLabel: 'hostile' });
}

setInterval(() => {
  for (let i = 0; i < 30; i++) handleRequest();
}, 100);

console.log(`leaky server ${process.pid} started`);

// A global variable, for the heap snapshot viewer's Global variables view.
globalThis.serverStats = { startedAt: Date.now(), recentIds: Array.from({ length: 1000 }, (_, i) => i) };
