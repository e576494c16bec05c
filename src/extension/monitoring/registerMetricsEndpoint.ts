import type { LeakState } from '../../core/metrics/metricsRegistry';
import type { Feature, FeatureContext } from '../feature';
import { MetricsEndpoint } from './metricsEndpoint';

/**
 * The metric records in every recording and the Prometheus endpoint (`memoryMonitor.metricsPort`), which follows the
 * setting and tells the Monitor panel its URL.
 */
export function registerMetricsEndpoint(
  ctx: FeatureContext,
  leakState: (sessionId: string) => LeakState | null,
): Feature {
  const metrics = ctx.store.add(new MetricsEndpoint(ctx.registry, ctx.log, leakState));
  ctx.store.add(metrics.onDidChangeUrl((url) => ctx.monitorPanel.setMetricsUrl(url)));
  metrics.setNames(ctx.config.current.metricsNames);
  void metrics.setPort(ctx.config.current.metricsPort);
  ctx.store.add(
    ctx.config.onDidChange(({ config }) => {
      metrics.setNames(config.metricsNames);
      void metrics.setPort(config.metricsPort);
    }),
  );
  return { commands: {} };
}
