// Issue 10 items 14 and 16, on one real `memmon run`:
// 14: the metrics endpoint answered any Host header, so a DNS-rebinding web page could read it; only
//     127.0.0.1 / localhost / [::1] (with a port) are answered now, others get 403.
// 16: `--watch-class __proto__` printed `counts:{}` and never said the name was not resolved (the assignment
//     `unresolved['__proto__'] = …` set the object's prototype instead of a key).
import assert from 'node:assert/strict';
import { request } from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { completeJsonLines, RunningCli, startCli } from '../helpers/cli';
import { FIXTURES } from '../helpers/debuggee';

let cli: RunningCli;
let port = 0;

before(async () => {
  cli = startCli(
    [
      'run',
      '--json',
      '--metrics-port',
      '0',
      '--watch-class',
      '__proto__',
      '--watch-class',
      'Widget',
      '--objects-interval',
      '1',
      '--duration',
      '60',
      '--',
      process.execPath,
      path.join(FIXTURES, 'watched-classes.js'),
      '3',
      '1',
    ],
    { timeoutMs: 90_000 },
  );
  const announce = await cli.waitForOutput(
    (o) => completeJsonLines(o.stdout).find((l) => l.type === 'metrics'),
    'the metrics line',
  );
  port = announce.port;
});

after(async () => {
  cli.kill('SIGINT');
  await cli.done;
});

/** GET /metrics with a given Host header over a real socket to 127.0.0.1. */
function get(host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/metrics', headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('metrics endpoint with Host: attacker.example (DNS rebinding) answers 403 without metrics; loopback Hosts get 200', async () => {
  for (const host of ['attacker.example', `attacker.example:${port}`, '127.0.0.1.nip.io', '192.0.2.2']) {
    const r = await get(host);
    assert.equal(r.status, 403, `Host: ${host}`);
    assert.doesNotMatch(r.body, /memmon_|nodejs_/);
  }
  for (const host of ['127.0.0.1', `127.0.0.1:${port}`, `localhost:${port}`, 'LOCALHOST', `[::1]:${port}`]) {
    const r = await get(host);
    assert.equal(r.status, 200, `Host: ${host}`);
  }
});

test('--watch-class __proto__ reports the name as not resolved (unresolved.__proto__ in the objects line, a note on stderr) instead of counts:{}', async () => {
  const line = await cli.waitForOutput(
    (o) => completeJsonLines(o.stdout).find((l) => l.type === 'objects'),
    'an objects line',
    60_000,
  );
  assert.ok(Object.prototype.hasOwnProperty.call(line.unresolved ?? {}, '__proto__'), JSON.stringify(line));
  assert.match(line.unresolved.__proto__, /no class named __proto__/);
  assert.equal(line.counts.Widget, 2);
  assert.ok(!Object.prototype.hasOwnProperty.call(line.counts, '__proto__'));
  await cli.waitForOutput(
    (o) => /--watch-class __proto__ .*no class named __proto__/.test(o.stderr),
    'the stderr note',
  );
});
