import type { Feature, FeatureContext } from '../feature';
import { MetricsEndpoint } from './metricsEndpoint';

/**
 * The metric records in every recording and the Prometheus endpoint (`memoryMonitor.metricsPort`), which follows the
 * setting and tells the Monitor panel its URL.
 */
export function registerMetricsEndpoint(ctx: FeatureContext): Feature {
  const metrics = ctx.store.add(new MetricsEndpoint(ctx.registry, ctx.log));
  ctx.store.add(metrics.onDidChangeUrl((url) => ctx.monitorPanel.setMetricsUrl(url)));
  void metrics.setPort(ctx.config.current.metricsPort);
  ctx.store.add(ctx.config.onDidChange(({ config }) => void metrics.setPort(config.metricsPort)));
  return { commands: {} };
}
