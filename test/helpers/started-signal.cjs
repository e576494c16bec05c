// Preloaded into every test debuggee (`--require`). The callback runs after the main script's first synchronous pass,
// so when startDebuggee sees the line, the globals and timers the fixture sets up exist. Without it a test that talks
// to the inspector at once can race the script (it is listening before the script runs).
setImmediate(() => process.stderr.write('memmon-test: script started\n'));
