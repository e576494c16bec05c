// CPU-bound debuggee: runs a fixed workload in 20 ms slices (so timers and inspector messages interleave, as in a
// real server) for `argv[2]` ms, then reports operations per second.
const ms = Number(process.argv[2] ?? 3000);
function work() {
  let x = 0;
  for (let i = 0; i < 20000; i++) x += Math.sqrt(i * 1.0001) * (i & 1 ? 1 : -1);
  const o = { a: x, b: [x, x + 1, x + 2] };
  return o.b.length;
}
process.on('message', (m) => {
  if (m !== 'go') return;
  let ops = 0;
  const end = Date.now() + ms;
  const slice = () => {
    const sliceEnd = Math.min(end, Date.now() + 20);
    while (Date.now() < sliceEnd) ops += work();
    if (Date.now() < end) setImmediate(slice);
    else process.send({ opsPerSec: (ops / ms) * 1000 });
  };
  slice();
});
process.send('ready');
