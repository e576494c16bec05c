// Preloaded (`node --require`) into every benchmarked process: at exit, writes the process's peak resident set size
// (VmHWM from /proc, worker threads included) to the file named by $MEMMON_BENCH_PEAK_FILE.
const { writeFileSync, readFileSync } = require('node:fs');

const out = process.env.MEMMON_BENCH_PEAK_FILE;
if (out) {
  process.on('exit', () => {
    let peakBytes = process.resourceUsage().maxRSS * 1024;
    try {
      const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
      if (kb) peakBytes = Number(kb) * 1024;
    } catch {
      // Not Linux: maxRSS from getrusage is the same number.
    }
    writeFileSync(out, JSON.stringify({ peakBytes }));
  });
}
