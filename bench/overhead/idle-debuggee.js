// Idle debuggee for the overhead benchmark: reports its own CPU time (process.cpuUsage) when told to stop.
const start = process.cpuUsage();
setInterval(() => {}, 1000);
process.on('message', (m) => {
  if (m === 'report') {
    const u = process.cpuUsage(start);
    process.send({ userUs: u.user, systemUs: u.system });
  }
});
process.send('ready');
