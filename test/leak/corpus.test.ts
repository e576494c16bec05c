import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const CORPUS = path.resolve(__dirname, '../fixtures/leaks');
const manifest = JSON.parse(readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')).programs as Array<{
  program: string;
  leaks: boolean;
  site?: { file: string; line: number };
  acceptLines?: number[];
  retainer?: { path: string; kind: string; file: string; line: number };
}>;

describe('leak corpus manifest', () => {
  it('has at least 10 leaky and 10 healthy programs, every one on disk, every .js listed', () => {
    assert.ok(manifest.filter((m) => m.leaks).length >= 10);
    assert.ok(manifest.filter((m) => !m.leaks).length >= 10);
    for (const m of manifest) assert.ok(existsSync(path.join(CORPUS, m.program)), m.program);
    const listed = new Set(manifest.map((m) => m.program));
    for (const f of readdirSync(CORPUS).filter((f) => f.endsWith('.js')))
      assert.ok(listed.has(f), `${f} is not in manifest.json`);
  });
  it('each leaky program names the exact line marked "// LEAK" in its source (the .ts for the TypeScript one)', () => {
    for (const m of manifest.filter((x) => x.leaks)) {
      const lines = readFileSync(path.join(CORPUS, m.site!.file), 'utf8').split('\n');
      assert.match(lines[m.site!.line - 1]!, /\/\/ LEAK(?!-)/, `${m.program}: line ${m.site!.line}`);
      assert.ok(m.acceptLines!.includes(m.site!.line));
    }
  });
  it('each leaky program names its retainer: a known kind and a line marked "// LEAK-RETAIN" (or "// LEAK")', () => {
    const kinds = [
      'array',
      'map',
      'set',
      'object',
      'listeners',
      'timers',
      'closure',
      'promise',
      'module-cache',
      'other',
    ];
    for (const m of manifest.filter((x) => x.leaks)) {
      assert.ok(m.retainer, `${m.program}: retainer`);
      assert.ok(kinds.includes(m.retainer.kind), `${m.program}: kind ${m.retainer.kind}`);
      const lines = readFileSync(path.join(CORPUS, m.retainer.file), 'utf8').split('\n');
      assert.match(lines[m.retainer.line - 1]!, /\/\/ LEAK/, `${m.program}: line ${m.retainer.line}`);
    }
  });
  it('healthy programs contain no LEAK marker, and each program says in its header whether it leaks', () => {
    for (const m of manifest) {
      const text = readFileSync(
        path.join(CORPUS, m.program.endsWith('leak-typescript.js') ? 'ts/leak-typescript.ts' : m.program),
        'utf8',
      );
      assert.match(text, m.leaks ? /Leaks: yes/ : /Leaks: no/, m.program);
      if (!m.leaks) assert.doesNotMatch(text, /\/\/ LEAK/, m.program);
    }
  });
  it('the compiled TypeScript fixture is up to date with its source map', () => {
    const js = readFileSync(path.join(CORPUS, 'ts/leak-typescript.js'), 'utf8');
    assert.match(js, /\/\/# sourceMappingURL=leak-typescript\.js\.map\s*$/);
    const map = JSON.parse(readFileSync(path.join(CORPUS, 'ts/leak-typescript.js.map'), 'utf8'));
    assert.deepEqual(map.sources, ['leak-typescript.ts']);
  });
});
