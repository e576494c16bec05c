import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EndpointError, isLoopbackHost, parseEndpoint } from '../../src/core/inspector/endpoint';
import { checkTarget, sessionOptionsFrom } from '../../src/cli/session/sessionOptions';
import { UsageError, nonNegativeInt, parseOptions } from '../../src/cli/command';
import { findVscodeImports } from '../../scripts/lint.mjs';
import path from 'node:path';

test('targets: ws URL, host:port, bare port, and js-debug {host, port, path}', () => {
  assert.deepEqual(parseEndpoint('ws://127.0.0.1:9229/abc-def'), {
    host: '127.0.0.1',
    port: 9229,
    path: '/abc-def',
    secure: false,
  });
  assert.deepEqual(parseEndpoint('localhost:9230'), { host: 'localhost', port: 9230 });
  assert.deepEqual(parseEndpoint('9229'), { host: '127.0.0.1', port: 9229 });
  assert.deepEqual(parseEndpoint('[::1]:9229'), { host: '::1', port: 9229 });
  assert.deepEqual(parseEndpoint({ host: '127.0.0.1', port: 40000, path: 'xyz' }), {
    host: '127.0.0.1',
    port: 40000,
    path: '/xyz',
  });
  for (const bad of ['', 'nonsense', '99999', 'host:port', 'ws://[bad'])
    assert.throws(() => parseEndpoint(bad), EndpointError, bad);
});

test('loopback detection', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) assert.ok(isLoopbackHost(h), h);
  for (const h of ['10.0.0.1', 'example.com', '0.0.0.0', '128.0.0.1']) assert.ok(!isLoopbackHost(h), h);
});

test('attach refuses non-loopback targets unless --allow-remote', () => {
  assert.throws(
    () => checkTarget('10.1.2.3:9229', false),
    (e: Error) => e instanceof UsageError && /--allow-remote/.test(e.message),
  );
  assert.equal(checkTarget('10.1.2.3:9229', true), '10.1.2.3:9229');
  assert.throws(() => checkTarget(undefined, false), UsageError);
  assert.throws(() => checkTarget('garbage', false), UsageError);
});

test('session options: defaults, fractions, and bad values', () => {
  const d = sessionOptionsFrom({});
  assert.equal(d.monitor.intervalMs, 1000);
  assert.equal(d.monitor.thresholdMb, 1000);
  assert.equal(d.monitor.alertThresholdMb, 2000);
  assert.equal(d.durationMs, null);
  assert.equal(d.failOnEmergency, false);
  const o = sessionOptionsFrom({
    interval: '0.5',
    'memory-threshold-mb': '300',
    'memory-alert-mb': '400',
    duration: '2.5',
    'fail-on': 'emergency',
    json: true,
    'log-dir': '/tmp/x',
  });
  assert.equal(o.monitor.intervalMs, 500);
  assert.equal(o.durationMs, 2500);
  assert.equal(o.failOnEmergency, true);
  assert.equal(o.monitor.logDir, '/tmp/x');
  for (const bad of [
    { interval: '0' },
    { interval: 'fast' },
    { 'memory-threshold-mb': '-1' },
    { 'fail-on': 'warning' },
  ]) {
    assert.throws(() => sessionOptionsFrom(bad), UsageError, JSON.stringify(bad));
  }
  assert.throws(() => parseOptions(['--nope'], {}), UsageError);
  assert.equal(nonNegativeInt('0', 'top', 20), 0);
  assert.throws(() => nonNegativeInt('1.5', 'top', 20), UsageError);
});

test('src/core never imports vscode (architecture rule)', () => {
  assert.deepEqual(findVscodeImports(path.resolve(__dirname, '../../src/core')), []);
});
