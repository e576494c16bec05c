import { CliCommand, parseOptions, UsageError } from '../command';
import { runProgram } from '../session/runProgram';
import {
  DIAGNOSTIC_AND_METRIC_HELP,
  DIAGNOSTIC_AND_METRIC_FLAGS,
  diagnosticAndMetricPlugins,
} from '../session/plugins/featureOptions';
import { SESSION_OPTION_HELP, SESSION_OPTION_SPEC, sessionOptionsFrom } from '../session/sessionOptions';
import { parseSnapshotAt, SnapshotAtPlugin } from '../session/plugins/snapshotAtPlugin';
import { MetricsSessionPlugin } from '../session/plugins/metricsPlugin';
import { LEAK_OPTION_HELP, LEAK_OPTION_SPEC, leakPluginFrom } from '../session/plugins/leakOptions';

export const command: CliCommand = {
  name: 'run',
  summary: 'start a program and monitor the memory of every Node.js process it starts',
  usage: `Usage: memmon run [options] -- <command> [args…]

Starts <command> with the inspector on a free loopback port (through NODE_OPTIONS, so \`npm start\`, npx and child
processes are covered too) and samples heap and RSS of every Node.js process of the tree until the program exits
or --duration ends. Exits with the program's own exit code unless a memmon code applies.

${SESSION_OPTION_HELP}
${DIAGNOSTIC_AND_METRIC_HELP}
  --snapshot-at <s>[,<s>…]    take a heap snapshot of every monitored process s seconds after attaching, into
                              --snapshot-dir (default: the current folder)
${LEAK_OPTION_HELP}

Examples:
  memmon run -- node server.js
  memmon run --json --duration 60 --report report.json -- npm test
  memmon run --detect-leaks --duration 120 -- node server.js`,
  async run(argv, io) {
    const dd = argv.indexOf('--');
    const own = dd < 0 ? argv : argv.slice(0, dd);
    const program = dd < 0 ? [] : argv.slice(dd + 1);
    const { values, positionals } = parseOptions(own, {
      ...SESSION_OPTION_SPEC,
      ...DIAGNOSTIC_AND_METRIC_FLAGS,
      ...LEAK_OPTION_SPEC,
      'snapshot-at': { type: 'string' },
    });
    if (positionals.length)
      throw new UsageError(`unexpected "${positionals[0]}": put the program after --, e.g. memmon run -- node app.js`);
    if (!program.length) throw new UsageError('missing program: memmon run [options] -- <command> [args…]');
    const options = sessionOptionsFrom(values);
    const featurePlugins = await diagnosticAndMetricPlugins(values, io);
    const leakPlugin = leakPluginFrom(values, (m) => new UsageError(m));
    const metricsPlugin = featurePlugins.find((p) => p instanceof MetricsSessionPlugin);
    if (leakPlugin && metricsPlugin) leakPlugin.exportTo(metricsPlugin.registry);
    const snapshotAt = parseSnapshotAt(values['snapshot-at']);
    const snapshotPlugins = snapshotAt.length
      ? [new SnapshotAtPlugin(snapshotAt, values['snapshot-dir'] ?? process.cwd())]
      : [];
    return runProgram(
      program,
      { ...options, plugins: [...featurePlugins, ...snapshotPlugins, ...(leakPlugin ? [leakPlugin] : [])] },
      io,
    );
  },
};
