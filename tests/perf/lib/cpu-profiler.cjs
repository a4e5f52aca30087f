// Preloaded into a service by `npm run bench -- --profile <scenario>` (node --require ...):
// SIGWINCH starts the V8 CPU profiler, the next SIGWINCH stops it and writes
// $BENCH_PROFILE_DIR/<pid>-<n>.cpuprofile. This profiles exactly the measured window, not the
// start-up, and needs no change to the service (node --cpu-prof writes only on a clean exit,
// which Nest's signal handling does not give). Not SIGUSR2: Nest's enableShutdownHooks() shuts
// the app down on it; SIGWINCH is ignored by default, so it can never stop a process.
'use strict';
const inspector = require('node:inspector');
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.BENCH_PROFILE_DIR || process.cwd();
const session = new inspector.Session();
session.connect();
let running = false;
let count = 0;

const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))));

process.on('SIGWINCH', () => {
  if (!running) {
    running = true;
    post('Profiler.enable')
      .then(() => post('Profiler.setSamplingInterval', { interval: Number(process.env.BENCH_PROFILE_INTERVAL_US || 500) }))
      .then(() => post('Profiler.start'))
      .catch((err) => process.stderr.write(`cpu-profiler: ${err}\n`));
    return;
  }
  running = false;
  post('Profiler.stop')
    .then(({ profile }) => {
      const file = path.join(dir, `${process.pid}-${++count}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(profile));
      process.stdout.write(`cpu-profiler: wrote ${file}\n`);
    })
    .catch((err) => process.stderr.write(`cpu-profiler: ${err}\n`));
});
