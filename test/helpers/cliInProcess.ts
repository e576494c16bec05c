import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main';

/** Runs `memmon` in this process (no build needed, no spawn): its exit code and everything it printed. */
export async function memmonInProcess(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await main(argv, { stdout, stderr, isTTY: false, signal: new AbortController().signal });
  return { code, stdout: out, stderr: err };
}
