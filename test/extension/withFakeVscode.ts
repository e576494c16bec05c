// Import this first in a test file: from then on `require('vscode')` (in the code under test) loads ./fakeVscode.ts.
// Test files run as CommonJS under tsx, each in its own process, so the hook stays local to the file that asks.
import Module from 'node:module';
import path from 'node:path';

const FAKE = path.join(__dirname, 'fakeVscode.ts');
const resolver = Module as unknown as {
  _resolveFilename(request: string, parent: unknown, ...rest: unknown[]): string;
};
const resolve = resolver._resolveFilename.bind(resolver);
resolver._resolveFilename = (request, parent, ...rest) =>
  request === 'vscode' ? FAKE : resolve(request, parent, ...rest);

export { fake, FakeWebviewPanel, noCancellation, Uri } from './fakeVscode';
