import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withInspectorFlag } from '../../src/cli/session/runtimeArgs';

const FLAG = '--inspect=127.0.0.1:0';

test('deno: the inspector flag goes right after a running subcommand, never twice, never elsewhere', () => {
  assert.deepEqual(withInspectorFlag('deno', ['run', '-A', 'app.ts']), ['run', FLAG, '-A', 'app.ts']);
  assert.deepEqual(withInspectorFlag('/opt/bin/deno', ['test']), ['test', FLAG]);
  assert.deepEqual(withInspectorFlag('deno.exe', ['--quiet', 'serve', 'x.ts']), ['--quiet', 'serve', FLAG, 'x.ts']);
  assert.deepEqual(withInspectorFlag('deno', ['run', '--inspect-brk', 'app.ts']), ['run', '--inspect-brk', 'app.ts']);
  assert.deepEqual(withInspectorFlag('deno', ['fmt', 'x.ts']), ['fmt', 'x.ts']);
  assert.deepEqual(withInspectorFlag('deno', ['--version']), ['--version']);
});

test('bun gets the flag first; node and other commands are left alone (NODE_OPTIONS covers Node.js)', () => {
  assert.deepEqual(withInspectorFlag('bun', ['app.ts']), [FLAG, 'app.ts']);
  assert.deepEqual(withInspectorFlag('bun', ['--inspect=127.0.0.1:7000', 'app.ts']), [
    '--inspect=127.0.0.1:7000',
    'app.ts',
  ]);
  assert.deepEqual(withInspectorFlag('node', ['app.js']), ['app.js']);
  assert.deepEqual(withInspectorFlag('npm', ['start']), ['start']);
});
