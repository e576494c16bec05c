// memlab: getFullHeapFromFile parses the snapshot and computes dominators and retained sizes.
const path = require('node:path');

const [dir, file] = process.argv.slice(2);
const { getFullHeapFromFile } = require(path.join(dir, 'node_modules/@memlab/heap-analysis'));
getFullHeapFromFile(file).then(
  (heap) => {
    process.stdout.write(`${JSON.stringify({ nodeCount: heap.nodes.length })}\n`);
  },
  (err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(1);
  },
);
