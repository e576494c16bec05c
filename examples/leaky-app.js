// A small "order service" with a classic leak, used by `memmon demo`.
// Every simulated request creates an Order; finished orders are meant to be dropped, but a debugging aid
// (`auditLog`) keeps every one of them forever. Short-lived garbage (the parsed request) makes the heap saw-tooth,
// so only the post-GC baseline shows the leak.
'use strict';

class Order {
  constructor(id) {
    this.id = id;
    this.createdAt = Date.now();
    this.items = Array.from({ length: 20 }, (_, i) => ({ sku: `SKU-${id}-${i}`, qty: i + 1, price: 9.99 }));
    this.note = 'x'.repeat(2000);
  }
}

const auditLog = new Map(); // the leak: never pruned

let nextId = 1;
function handleRequest() {
  const body = JSON.parse(JSON.stringify({ payload: new Array(2000).fill('garbage') })); // short-lived
  const order = new Order(nextId++);
  auditLog.set(order.id, order); // ← leaks ~6 KB per request
  return body.payload.length;
}

setInterval(() => {
  for (let i = 0; i < 10; i++) handleRequest();
}, 20);

console.log(`leaky-app: order service running (pid ${process.pid})`);
