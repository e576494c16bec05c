// Fixed allocation-heavy work for the overhead benchmark, done in slices like a busy server (the event loop turns
// between slices, so the inspector is served). Builds and drops objects at several hundred MB/s, keeps a bounded
// working set, prints the wall and CPU milliseconds the work took. Usage: node workload.js <iterations>
'use strict';
const iterations = Number(process.argv[2] || 3000);
const SLICE = 200;
setTimeout(() => {
  const keep = [];
  const t0 = process.hrtime.bigint();
  // CPU time of the whole process (main thread, GC helpers, inspector thread): what monitoring costs the program,
  // much less sensitive than wall time to other load on the machine.
  const c0 = process.cpuUsage();
  let sum = 0;
  let i = 0;
  const slice = () => {
    const end = Math.min(iterations, i + SLICE);
    for (; i < end; i++) {
      const rows = [];
      for (let k = 0; k < 200; k++) rows.push({ id: k, name: `row-${k}-${i}`, values: [k, i, k * i] });
      sum += JSON.stringify(rows).length;
      keep[i % 50] = rows;
    }
    if (i < iterations) return void setImmediate(slice);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const c = process.cpuUsage(c0);
    process.stdout.write(`${JSON.stringify({ ms, cpuMs: (c.user + c.system) / 1000, sum })}\n`);
    // Stay alive until killed so that monitoring can be torn down cleanly.
    setInterval(() => keep.length, 1000);
  };
  slice();
}, 1500);
