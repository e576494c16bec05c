import { CliCommand, interruptExitCode, parseOptions, UsageError } from '../command';
import { MonitorSession } from '../session/monitorSession';
import {
  DIAGNOSTIC_AND_METRIC_HELP,
  DIAGNOSTIC_AND_METRIC_FLAGS,
  diagnosticAndMetricPlugins,
} from '../session/plugins/featureOptions';
import { checkTarget, SESSION_OPTION_HELP, SESSION_OPTION_SPEC, sessionOptionsFrom } from '../session/sessionOptions';
import { MetricsSessionPlugin } from '../session/plugins/metricsPlugin';
import { LEAK_OPTION_HELP, LEAK_OPTION_SPEC, leakPluginFrom } from '../session/plugins/leakOptions';

export const command: CliCommand = {
  name: 'attach',
  summary: 'monitor a running process through its inspector (ws:// URL, host:port or port)',
  usage: `Usage: memmon attach [options] <ws-url | host:port | port>

Connects to a process started with --inspect and samples its memory until it exits, --duration ends or you press
Ctrl-C. Only loopback targets are accepted unless --allow-remote is given.

${SESSION_OPTION_HELP}
${DIAGNOSTIC_AND_METRIC_HELP}
${LEAK_OPTION_HELP}
  --allow-remote              allow a target that is not on this machine`,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, {
      ...SESSION_OPTION_SPEC,
      ...DIAGNOSTIC_AND_METRIC_FLAGS,
      ...LEAK_OPTION_SPEC,
      'allow-remote': { type: 'boolean' },
    });
    if (positionals.length > 1) throw new UsageError(`expected one target, got ${positionals.length}`);
    const target = checkTarget(positionals[0], !!values['allow-remote']);
    const options = sessionOptionsFrom(values);
    options.monitor.allowRemote = !!values['allow-remote'];
    const session = new MonitorSession(options, io);
    const featurePlugins = await diagnosticAndMetricPlugins(values, io);
    for (const p of featurePlugins) session.use(p);
    const leakPlugin = leakPluginFrom(values, (m) => new UsageError(m));
    const metricsPlugin = featurePlugins.find((p) => p instanceof MetricsSessionPlugin);
    if (leakPlugin && metricsPlugin) leakPlugin.exportTo(metricsPlugin.registry);
    if (leakPlugin) session.use(leakPlugin);
    // A hard deadline from the start: attaching to a debuggee that does not answer counts against --duration too.
    let reason = 'target-closed';
    let timer: NodeJS.Timeout | undefined;
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    if (options.durationMs !== null) timer = setTimeout(() => ((reason = 'duration'), stop()), options.durationMs);
    const onAbort = () => ((reason = 'interrupted'), stop());
    io.signal.addEventListener('abort', onAbort, { once: true });
    const monitor = await Promise.race([session.add(target), stopped.then(() => undefined)]);
    if (monitor === null) {
      clearTimeout(timer);
      session.fail('nothing was monitored');
      return session.finish({ programExitCode: null, reason: 'attach-failed' });
    }
    if (monitor) await Promise.race([stopped, session.whenIdle()]);
    else session.fail(`no inspector session could be set up with ${target} before the run ended`);
    clearTimeout(timer);
    io.signal.removeEventListener('abort', onAbort);
    if (reason === 'target-closed' && monitor)
      session.note(`the debuggee at ${monitor.connection.description} went away; monitoring ended`);
    return session.finish({ programExitCode: reason === 'interrupted' ? interruptExitCode(io.signal) : 0, reason });
  },
};
