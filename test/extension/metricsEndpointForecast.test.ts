// The extension's Prometheus endpoint serves the leak series of the leak controller — `memmon_forecast_seconds{limit}`
// included — for a real leaking debuggee, with the same `pid` and `program` labels as its memory series, and only
// while a verdict stands.
import './withFakeVscode';
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FeatureContext } from '../../src/extension/feature';
import { LeakController } from '../../src/extension/leaks/leakController';
import { MetricsEndpoint } from '../../src/extension/monitoring/metricsEndpoint';
import { SessionMonitor } from '../../src/extension/monitoring/sessionMonitor';
import { startDebuggee, type Debuggee } from '../helpers/debuggee';
import { testContext } from './testContext';

const LEAKY_APP = path.resolve(__dirname, '../../examples/leaky-app.js');

async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  return res.text();
}

/** The value of the one line of `series` (a name with its labels, as served), or null when absent. */
function value(text: string, series: RegExp): number | null {
  const line = text.split('\n').find((l) => series.test(l));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : null;
}

describe('the extension’s metrics endpoint on a leaking debuggee', () => {
  let ctx: FeatureContext;
  let app: Debuggee;
  let endpoint: MetricsEndpoint;
  let leaks: LeakController;

  before(async () => {
    ctx = testContext();
    app = await startDebuggee(LEAKY_APP);
    leaks = ctx.store.add(
      new LeakController(ctx.registry, { ...ctx.config.current.leakDetection, sensitivity: 'high' }, ctx.log),
    );
    endpoint = ctx.store.add(new MetricsEndpoint(ctx.registry, ctx.log, (id) => leaks.leakState(id)));
    await endpoint.setPort(0);
  });
  after(async () => {
    ctx?.store.dispose();
    await app?.kill();
  });

  it('serves memmon_forecast_seconds{limit} once the leak verdict stands, labelled like the other series', async () => {
    assert.ok(endpoint.url, 'the endpoint listens');
    const monitor = await SessionMonitor.start(
      { id: 'leaky', name: 'Leaky app', local: true },
      app.wsUrl,
      ctx.config.current,
      null,
      ctx.log,
    );
    ctx.registry.add(monitor, true);
    const labels = `pid="${app.pid}",program="leaky-app.js"`;
    const series = (name: string, extra = '') => new RegExp(`^${name}\\{${labels}${extra}\\} `);

    let text = '';
    for (const end = Date.now() + 60_000; ;) {
      text = await scrape(endpoint.url);
      if (value(text, series('memmon_leak_suspected', ',metric="heap"')) === 1) break;
      assert.ok(Date.now() < end, `a heap leak verdict within 60 s; last scrape:\n${text.slice(-1500)}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    const critical = value(text, series('memmon_forecast_seconds', ',limit="critical"'));
    const emergency = value(text, series('memmon_forecast_seconds', ',limit="emergency"'));
    const heapLimit = value(text, series('memmon_forecast_seconds', ',limit="heap_limit"'));
    assert.ok(critical !== null && critical > 0, `critical ETA served: ${critical}`);
    assert.ok(emergency !== null && emergency > critical, `emergency ${emergency} s after critical ${critical} s`);
    assert.ok(heapLimit !== null && heapLimit > 0, `heap-limit ETA served: ${heapLimit}`);
    const rss = value(text, series('process_resident_memory_bytes'));
    assert.ok(rss !== null && rss > 0, 'the memory series carry the same labels');
  });

  it('drops the forecast when the session ends', async () => {
    await ctx.registry.get('leaky')?.stop();
    const text = await scrape(endpoint.url!);
    assert.doesNotMatch(text, /^memmon_forecast_seconds\{/m);
  });
});
