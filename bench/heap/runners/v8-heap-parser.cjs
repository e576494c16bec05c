// @vscode/v8-heap-parser (Rust→WASM), as VS Code's heap snapshot viewer uses it: read the file, decode, class groups.
const { readFileSync } = require('node:fs');
const path = require('node:path');

const [dir, file] = process.argv.slice(2);
const parser = require(path.join(dir, 'node_modules/@vscode/v8-heap-parser'));
const graph = parser.decode_bytes(readFileSync(file));
const groups = graph.get_class_groups(0, 20, false);
const top = groups.map((g) => ({ name: g.name(), retainedSize: Number(g.retained_size) }));
process.stdout.write(`${JSON.stringify({ classes: top.length, top: top[0] })}\n`);
