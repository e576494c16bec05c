import { fake } from './withFakeVscode';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConfigChange,
  ConfigService,
  metricsNamesOf,
  metricsPortOf,
  readConfig,
  SettingsSection,
  watchedClassList,
} from '../../src/extension/config';

const PREFIX = 'memoryMonitor.';
const properties = fake.manifest.contributes.configuration.properties;

/** `{a: 1, b: {c: 2}}` → `{a: 1, 'b.c': 2}`: the config as package.json names its keys. */
function flatten(value: object, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v as object, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = v;
  }
  return out;
}

const section = (values: Record<string, unknown>): SettingsSection => ({
  get: <T>(key: string) => values[key] as T | undefined,
});

describe('typed config and package.json', () => {
  it('holds every contributed setting, and nothing else', () => {
    const keys = Object.keys(flatten(readConfig())).sort();
    assert.deepEqual(
      keys,
      Object.keys(properties)
        .map((k) => k.slice(PREFIX.length))
        .sort(),
    );
    assert.ok(Object.keys(properties).every((k) => k.startsWith(PREFIX)));
  });

  it("reads package.json's defaults when nothing is set, and the same defaults for nonsense values", () => {
    const defaults = Object.fromEntries(
      Object.entries(properties).map(([k, p]) => [k.slice(PREFIX.length), p.default]),
    );
    assert.deepEqual(flatten(readConfig()), defaults);
    assert.deepEqual(flatten(readConfig(section({}))), defaults);
    const nonsense = Object.fromEntries(Object.keys(defaults).map((k) => [k, { not: 'a setting' }]));
    assert.deepEqual(flatten(readConfig(section(nonsense))), defaults);
  });

  it('keeps values at or above each minimum, replaces those below, accepts numeric strings', () => {
    const c = readConfig(
      section({ thresholdMb: 0, samplingIntervalMs: 100, diagnosticIntervalMinutes: 0, alertThresholdMb: '500' }),
    );
    assert.equal(c.thresholdMb, 1000);
    assert.equal(c.samplingIntervalMs, 100);
    assert.equal(c.diagnosticIntervalMinutes, 0);
    assert.equal(c.alertThresholdMb, 500);
    assert.equal(readConfig(section({ samplingIntervalMs: 99 })).samplingIntervalMs, 1000);
    assert.equal(readConfig(section({ 'leakDetection.sensitivity': 'high' })).leakDetection.sensitivity, 'high');
    assert.equal(readConfig(section({ 'leakDetection.sensitivity': 'extreme' })).leakDetection.sensitivity, 'normal');
    assert.equal(readConfig(section({ autoStart: false })).autoStart, false);
  });

  it('keeps valid, distinct class names and real ports only', () => {
    assert.deepEqual(watchedClassList(['Session', ' pg.Client ', 'Session', 'a-b', '', 42, 'x;alert(1)', '$_.Ok']), [
      'Session',
      'pg.Client',
      '$_.Ok',
    ]);
    assert.deepEqual(watchedClassList('Session'), []);
    assert.equal(metricsPortOf(null), null);
    assert.equal(metricsPortOf(0), 0);
    assert.equal(metricsPortOf(9464), 9464);
    assert.equal(metricsPortOf(70000), null);
    assert.equal(metricsPortOf('9464'), null);
    assert.equal(metricsPortOf(1.5), null);
  });

  it('reads metricsNames as an array or a comma string, in canonical order, unknown names dropped', () => {
    assert.deepEqual(metricsNamesOf(['otel', 'memmon']), ['memmon', 'otel']);
    assert.deepEqual(metricsNamesOf('prom-client, otel'), ['prom-client', 'otel']);
    assert.deepEqual(metricsNamesOf(['otel', 'statsd']), ['otel']);
    assert.deepEqual(metricsNamesOf('statsd'), ['memmon', 'prom-client']);
    assert.deepEqual(metricsNamesOf(42), ['memmon', 'prom-client']);
    assert.deepEqual(readConfig(section({ metricsNames: 'otel' })).metricsNames, ['otel']);
  });
});

describe('ConfigService', () => {
  it('subscribes once, re-reads on memoryMonitor.* changes only, and reports the previous settings', () => {
    const service = new ConfigService();
    assert.equal(fake.configEmitter.listenerCount, 1);
    const changes: ConfigChange[] = [];
    const sub = service.onDidChange((c) => changes.push(c));

    fake.setSetting('editor.fontSize', 20);
    assert.equal(changes.length, 0);

    fake.setSetting('memoryMonitor.thresholdMb', 250);
    assert.equal(changes.length, 1);
    assert.equal(changes[0].previous.thresholdMb, 1000);
    assert.equal(changes[0].config.thresholdMb, 250);
    assert.equal(service.current.thresholdMb, 250);

    fake.setSetting('memoryMonitor.leakDetection.sensitivity', 'low');
    assert.equal(changes.length, 2);
    assert.equal(changes[1].previous.leakDetection.sensitivity, 'normal');
    assert.equal(service.current.leakDetection.sensitivity, 'low');
    assert.equal(service.current.thresholdMb, 250);

    sub.dispose();
    service.dispose();
    assert.equal(fake.configEmitter.listenerCount, 0);
    fake.setSetting('memoryMonitor.thresholdMb', undefined);
    fake.setSetting('memoryMonitor.leakDetection.sensitivity', undefined);
    assert.equal(changes.length, 2);
  });
});
