// Fixed allocation-heavy work for the overhead benchmark: builds and drops objects, keeps a bounded working set,
// prints the wall and CPU milliseconds the work took. Usage: node workload.js <iterations>
'use strict';
const iterations = Number(process.argv[2] || 3000);
setTimeout(() => {
  const keep = [];
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  let sum = 0;
  for (let i = 0; i < iterations; i++) {
    const rows = [];
    for (let k = 0; k < 200; k++) rows.push({ id: k, name: `row-${k}-${i}`, values: [k, i, k * i] });
    sum += JSON.stringify(rows).length;
    keep[i % 50] = rows;
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  // CPU time of the whole process (main thread, GC helpers, inspector thread): what monitoring costs the program,
  // much less sensitive than wall time to other load on the machine.
  const c = process.cpuUsage(c0);
  process.stdout.write(`${JSON.stringify({ ms, cpuMs: (c.user + c.system) / 1000, sum })}\n`);
  // Stay alive until killed so that monitoring can be torn down cleanly.
  setInterval(() => keep.length, 1000);
}, 1500);
