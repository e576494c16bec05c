import { CliCommand, parseOptions, UsageError } from '../command';
import { MonitorSession } from '../session/monitorSession';
import {
  DIAGNOSTIC_AND_METRIC_HELP,
  DIAGNOSTIC_AND_METRIC_FLAGS,
  diagnosticAndMetricPlugins,
} from '../session/plugins/featureOptions';
import { checkTarget, SESSION_OPTION_HELP, SESSION_OPTION_SPEC, sessionOptionsFrom } from '../session/sessionOptions';
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
    const session = new MonitorSession(options, io);
    for (const p of await diagnosticAndMetricPlugins(values, io)) session.use(p);
    const leakPlugin = leakPluginFrom(values, (m) => new UsageError(m));
    if (leakPlugin) session.use(leakPlugin);
    const monitor = await session.add(target);
    if (!monitor) {
      session.fail('nothing was monitored');
      return session.finish({ programExitCode: null, reason: 'attach-failed' });
    }
    let reason = 'target-closed';
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      if (options.durationMs !== null) timer = setTimeout(() => ((reason = 'duration'), resolve()), options.durationMs);
      io.signal.addEventListener('abort', () => ((reason = 'interrupted'), resolve()), { once: true });
      void session.whenIdle().then(resolve);
    });
    clearTimeout(timer);
    if (reason === 'target-closed')
      session.note(`the debuggee at ${monitor.connection.description} went away; monitoring ended`);
    return session.finish({ programExitCode: reason === 'interrupted' ? 130 : 0, reason });
  },
};
