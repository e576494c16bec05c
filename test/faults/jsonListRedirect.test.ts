// Issue 10 item 11: `memmon gc|attach 127.0.0.1:PORT` discovers the target through /json/list and used to follow
// whatever webSocketDebuggerUrl it returned — a local endpoint could send memmon to a remote inspector without
// --allow-remote. The loopback rule now applies to the discovered URL too.
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { after, before, test } from 'node:test';
import { runCli } from '../helpers/cli';

/** A non-loopback IPv4 address of this machine: a real "remote" inspector can listen there. */
const remoteIp = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

let inspectee: ChildProcess;
let remoteWsUrl = '';
let redirector: Server;
let redirectorPort = 0;

before(async () => {
  assert.ok(remoteIp, 'this test needs a non-loopback IPv4 address');
  inspectee = spawn(process.execPath, [`--inspect=${remoteIp}:0`, '-e', 'setInterval(() => {}, 1000)'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  remoteWsUrl = await new Promise<string>((resolve, reject) => {
    let err = '';
    inspectee.stderr!.on('data', (d) => {
      err += d;
      const m = /Debugger listening on (ws:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    inspectee.once('exit', (code) => reject(new Error(`inspectee exited ${code}: ${err}`)));
  });
  // The local endpoint: answers /json/list with the remote inspector's URL.
  redirector = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify([{ type: 'node', title: 'x', url: 'file:///x', webSocketDebuggerUrl: remoteWsUrl }]));
  });
  await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
  redirectorPort = (redirector.address() as AddressInfo).port;
});

after(async () => {
  redirector?.close();
  if (inspectee && inspectee.exitCode === null) {
    const exited = new Promise((resolve) => inspectee.once('exit', resolve));
    inspectee.kill('SIGKILL');
    await exited;
  }
});

test('gc 127.0.0.1:PORT whose /json/list points to a non-loopback host is refused without --allow-remote (exit 1, nothing collected)', async () => {
  const r = await runCli(['gc', `127.0.0.1:${redirectorPort}`, '--json'], { timeoutMs: 30_000 });
  assert.equal(r.code, 1, `followed the redirect: ${r.stdout}`);
  assert.equal(r.stdout, '');
  assert.match(
    r.stderr,
    new RegExp(`refusing to follow .* non-loopback host "${remoteIp!.replace(/\./g, '\\.')}".*--allow-remote`),
  );
});

test('attach 127.0.0.1:PORT redirected to a non-loopback host is refused too; with --allow-remote gc follows it', async () => {
  const r = await runCli(['attach', `127.0.0.1:${redirectorPort}`, '--json', '--duration', '2'], { timeoutMs: 30_000 });
  assert.notEqual(r.code, 0, r.stdout);
  assert.match(r.stderr, /refusing to follow/);
  assert.doesNotMatch(r.stdout, /"type":"sample".*"heapUsed":\d/);
  const allowed = await runCli(['gc', `127.0.0.1:${redirectorPort}`, '--json', '--allow-remote'], {
    timeoutMs: 30_000,
  });
  assert.equal(allowed.code, 0, allowed.stderr);
});
